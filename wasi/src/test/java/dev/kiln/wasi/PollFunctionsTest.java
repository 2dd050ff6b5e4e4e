package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PollFunctionsTest {
  @TempDir Path dir;

  private static void clock(Guest g, int at, long userdata, int clock, long timeout, int flags) {
    g.view.putI64(at, userdata);
    g.view.putU8(at + Layouts.SUBSCRIPTION_TAG, Layouts.EVENTTYPE_CLOCK);
    g.view.putI32(at + Layouts.SUBSCRIPTION_CLOCK_ID, clock);
    g.view.putI64(at + Layouts.SUBSCRIPTION_CLOCK_TIMEOUT, timeout);
    g.view.putI64(at + Layouts.SUBSCRIPTION_CLOCK_PRECISION, 0);
    g.view.putU16(at + Layouts.SUBSCRIPTION_CLOCK_FLAGS, flags);
  }

  private static void fd(Guest g, int at, long userdata, int type, int fd) {
    g.view.putI64(at, userdata);
    g.view.putU8(at + Layouts.SUBSCRIPTION_TAG, type);
    g.view.putI32(at + Layouts.SUBSCRIPTION_FD, fd);
  }

  @Test
  void relativeClockSleepsForItsTimeout() throws Exception {
    Guest g = new Guest(dir);
    int in = g.alloc(Layouts.SUBSCRIPTION_SIZE);
    int out = g.alloc(Layouts.EVENT_SIZE);
    int n = g.alloc(4);
    clock(g, in, 0x1234, Layouts.CLOCK_MONOTONIC, 20_000_000L, 0);
    long start = System.nanoTime();
    assertEquals(0, g.wasi.poll().pollOneoff(g.memory, in, out, 1, n));
    assertTrue(System.nanoTime() - start >= 20_000_000L, "slept 20 ms");
    assertEquals(1, g.view.i32(n));
    assertEquals(0x1234, g.view.i64(out + Layouts.EVENT_USERDATA));
    assertEquals(0, g.view.u16(out + Layouts.EVENT_ERROR));
    assertEquals(Layouts.EVENTTYPE_CLOCK, g.view.u8(out + Layouts.EVENT_TYPE));
  }

  @Test
  void absoluteClockInThePastIsReadyAtOnce() throws Exception {
    Guest g = new Guest(dir);
    int in = g.alloc(Layouts.SUBSCRIPTION_SIZE);
    int out = g.alloc(Layouts.EVENT_SIZE);
    int n = g.alloc(4);
    clock(g, in, 1, Layouts.CLOCK_REALTIME, 1_000_000_000L, Layouts.SUBCLOCKFLAG_ABSTIME);
    assertEquals(0, g.wasi.poll().pollOneoff(g.memory, in, out, 1, n));
    assertEquals(1, g.view.i32(n));
  }

  @Test
  void readyDescriptorsBeatALongClockAndBadOnesCarryTheirErrno() throws Exception {
    Files.writeString(dir.resolve("f"), "0123456789");
    Guest g = new Guest(dir);
    int file = g.openOk("f", 0, Rights.REGULAR_FILE);
    g.read(file, 4);
    int in = g.alloc(4 * Layouts.SUBSCRIPTION_SIZE);
    int out = g.alloc(4 * Layouts.EVENT_SIZE);
    int n = g.alloc(4);
    clock(g, in, 10, Layouts.CLOCK_MONOTONIC, 60_000_000_000L, 0);
    fd(g, in + 48, 11, Layouts.EVENTTYPE_FD_WRITE, 1);
    fd(g, in + 96, 12, Layouts.EVENTTYPE_FD_READ, file);
    fd(g, in + 144, 13, Layouts.EVENTTYPE_FD_READ, 99);
    long start = System.nanoTime();
    assertEquals(0, g.wasi.poll().pollOneoff(g.memory, in, out, 4, n));
    assertTrue(System.nanoTime() - start < 10_000_000_000L);
    assertEquals(3, g.view.i32(n));
    assertEquals(11, g.view.i64(out));
    assertEquals(Layouts.EVENTTYPE_FD_WRITE, g.view.u8(out + Layouts.EVENT_TYPE));
    assertEquals(12, g.view.i64(out + 32));
    assertEquals(6, g.view.i64(out + 32 + Layouts.EVENT_NBYTES), "bytes left after the offset");
    assertEquals(13, g.view.i64(out + 64));
    assertEquals(Errno.BADF.code(), g.view.u16(out + 64 + Layouts.EVENT_ERROR));
  }

  @Test
  void stdinWithDataIsReadable() throws Exception {
    Guest g = new Guest(dir, "abc", WasiConfig.builder());
    int in = g.alloc(Layouts.SUBSCRIPTION_SIZE);
    int out = g.alloc(Layouts.EVENT_SIZE);
    int n = g.alloc(4);
    fd(g, in, 5, Layouts.EVENTTYPE_FD_READ, 0);
    assertEquals(0, g.wasi.poll().pollOneoff(g.memory, in, out, 1, n));
    assertEquals(1, g.view.i32(n));
    assertEquals(3, g.view.i64(out + Layouts.EVENT_NBYTES));
  }

  @Test
  void noSubscriptionsIsInvalidAndUnknownTypesToo() throws Exception {
    Guest g = new Guest(dir);
    int in = g.alloc(Layouts.SUBSCRIPTION_SIZE);
    int n = g.alloc(4);
    assertEquals(Errno.INVAL.code(), g.wasi.poll().pollOneoff(g.memory, in, in, 0, n));
    g.view.putU8(in + Layouts.SUBSCRIPTION_TAG, 7);
    int out = g.alloc(Layouts.EVENT_SIZE);
    assertEquals(Errno.INVAL.code(), g.wasi.poll().pollOneoff(g.memory, in, out, 1, n));
  }
}
