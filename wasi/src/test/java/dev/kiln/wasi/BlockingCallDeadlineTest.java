package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.fs.WaitLimit;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 35, finding 4: a call that waits (poll_oneoff on a clock that is never due, a read of a
 * pipe or FIFO nobody writes) must give up when its {@link WaitLimit} says the deadline has passed,
 * however long it was asked to wait. The limit here lets a few checks pass and then ends the call;
 * the tests count checks, not time: the call returning at all (by the limit's exception) is the
 * point, and that it was the limit that ended it.
 */
class BlockingCallDeadlineTest {
  @TempDir Path dir;

  private static void clock(Guest g, int at, int clock, long timeout, int flags) {
    g.view.putI64(at, 7);
    g.view.putU8(at + Layouts.SUBSCRIPTION_TAG, Layouts.EVENTTYPE_CLOCK);
    g.view.putI32(at + Layouts.SUBSCRIPTION_CLOCK_ID, clock);
    g.view.putI64(at + Layouts.SUBSCRIPTION_CLOCK_TIMEOUT, timeout);
    g.view.putU16(at + Layouts.SUBSCRIPTION_CLOCK_FLAGS, flags);
  }

  @Test
  void pollOneoffOnAClockNeverDueEndsAtTheDeadline() throws Exception {
    // u64 max and 2^63, relative and absolute: none may overflow into "due at once" or wait forever.
    long[][] cases = {
        {Layouts.CLOCK_MONOTONIC, -1L, 0},
        {Layouts.CLOCK_MONOTONIC, Long.MIN_VALUE, 0},
        {Layouts.CLOCK_REALTIME, -1L, Layouts.SUBCLOCKFLAG_ABSTIME},
        {Layouts.CLOCK_REALTIME, Long.MIN_VALUE, Layouts.SUBCLOCKFLAG_ABSTIME},
        {Layouts.CLOCK_MONOTONIC, Long.MAX_VALUE, Layouts.SUBCLOCKFLAG_ABSTIME}};
    for (long[] c : cases) {
      Guest g = new Guest(dir);
      CountingLimit limit = new CountingLimit(3);
      g.wasi.context().waitLimit(limit);
      int in = g.alloc(Layouts.SUBSCRIPTION_SIZE);
      clock(g, in, (int) c[0], c[1], (int) c[2]);
      int out = g.alloc(Layouts.EVENT_SIZE);
      int n = g.alloc(4);
      assertThrows(CountingLimit.Reached.class, () -> g.wasi.poll().pollOneoff(g.memory, in, out, 1, n),
          "clock " + c[0] + " timeout " + Long.toUnsignedString(c[1]) + " flags " + c[2]);
      assertEquals(4, limit.checks, "the wait was sliced and checked");
    }
  }

  @Test
  void pollOneoffOnAStdinWithoutDataEndsAtTheDeadline() throws Exception {
    PipedOutputStream writer = new PipedOutputStream();
    Guest g = new Guest(dir, new PipedInputStream(writer), WasiConfig.builder());
    CountingLimit limit = new CountingLimit(2);
    g.wasi.context().waitLimit(limit);
    int in = g.alloc(Layouts.SUBSCRIPTION_SIZE);
    g.view.putU8(in + Layouts.SUBSCRIPTION_TAG, Layouts.EVENTTYPE_FD_READ);
    g.view.putI32(in + Layouts.SUBSCRIPTION_FD, 0);
    assertThrows(CountingLimit.Reached.class,
        () -> g.wasi.poll().pollOneoff(g.memory, in, g.alloc(Layouts.EVENT_SIZE), 1, g.alloc(4)));
    assertEquals(3, limit.checks);
  }

  @Test
  void aStdinReadEndsAtTheDeadlineAndLosesNothing() throws Exception {
    PipedOutputStream writer = new PipedOutputStream();
    Guest g = new Guest(dir, new PipedInputStream(writer), WasiConfig.builder());
    CountingLimit limit = new CountingLimit(2);
    g.wasi.context().waitLimit(limit);
    int buffer = g.alloc(16);
    int nread = g.alloc(4);
    int iovec = g.iovec(buffer, 16);
    assertThrows(CountingLimit.Reached.class, () -> g.wasi.fd().read(g.memory, 0, iovec, 1, nread));
    assertEquals(3, limit.checks);
    // The read handed off while waiting gets the bytes that come later; the next call returns them.
    writer.write("late".getBytes(StandardCharsets.UTF_8));
    writer.flush();
    g.wasi.context().waitLimit(WaitLimit.NONE);
    assertEquals(0, g.wasi.fd().read(g.memory, 0, iovec, 1, nread));
    assertEquals("late", g.text(buffer, g.view.i32(nread)));
  }

  /**
   * Under a deadline a read takes no more than the stream says it has: an InputStream whose
   * read(byte[]) is the default one would wait in read() for the rest of the buffer. This stream
   * has three bytes and then fails a read() that would wait.
   */
  @Test
  void aStdinReadTakesOnlyWhatIsThere() throws Exception {
    java.io.InputStream three = new java.io.InputStream() {
      private int left = 3;

      @Override
      public int read() {
        if (left == 0) {
          throw new AssertionError("this read() would wait for input");
        }
        return 'a' + 3 - left--;
      }

      @Override
      public int available() {
        return left;
      }
    };
    Guest g = new Guest(dir, three, WasiConfig.builder());
    g.wasi.context().waitLimit(new CountingLimit(0));
    int buffer = g.alloc(16);
    int nread = g.alloc(4);
    assertEquals(0, g.wasi.fd().read(g.memory, 0, g.iovec(buffer, 16), 1, nread));
    assertEquals("abc", g.text(buffer, g.view.i32(nread)));
  }

  @Test
  void aFifoReadEndsAtTheDeadline() throws Exception {
    Path fifo = fifo();
    // The test holds the FIFO open for writing (O_RDWR does not wait for a reader), so the guest's
    // open returns and its read is what waits.
    try (RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw")) {
      Guest g = new Guest(dir);
      int fd = g.openOk("fifo", 0, Rights.FD_READ.bit());
      CountingLimit limit = new CountingLimit(2);
      g.wasi.context().waitLimit(limit);
      int buffer = g.alloc(16);
      int nread = g.alloc(4);
      int iovec = g.iovec(buffer, 16);
      assertThrows(CountingLimit.Reached.class, () -> g.wasi.fd().read(g.memory, fd, iovec, 1, nread));
      assertEquals(3, limit.checks);
      writer.write("data".getBytes(StandardCharsets.UTF_8));
      assertEquals(0, g.wasi.fd().read(g.memory, fd, iovec, 1, nread));
      assertEquals("data", g.text(buffer, g.view.i32(nread)));
    }
  }

  private Path fifo() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    return fifo;
  }

  /**
   * Opening a FIFO nobody writes returns at once under a deadline, and the first read is what
   * waits. JUnit's timeout is only a hang guard: without the fix open(2) never returns.
   */
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void openingAFifoNobodyWritesEndsAtTheDeadline() throws Exception {
    fifo();
    Guest g = new Guest(dir);
    CountingLimit limit = new CountingLimit(2);
    g.wasi.context().waitLimit(limit);
    int fd = g.openOk("fifo", 0, Rights.FD_READ.bit());
    int iovec = g.iovec(g.alloc(16), 16);
    assertThrows(CountingLimit.Reached.class, () -> g.wasi.fd().read(g.memory, fd, iovec, 1, g.alloc(4)));
    assertEquals(3, limit.checks);
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void openingAFifoNobodyReadsEndsAtTheDeadline() throws Exception {
    fifo();
    Guest g = new Guest(dir);
    CountingLimit limit = new CountingLimit(2);
    g.wasi.context().waitLimit(limit);
    assertThrows(CountingLimit.Reached.class, () -> g.open("fifo", 0, Rights.FD_WRITE.bit()));
    assertEquals(3, limit.checks);
  }

  /** Writes to a FIFO whose reader never reads move at most PIPE_BUF each, until it is full. */
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void writingAFullFifoEndsAtTheDeadline() throws Exception {
    Path fifo = fifo();
    try (RandomAccessFile reader = new RandomAccessFile(fifo.toFile(), "rw")) {
      Guest g = new Guest(dir);
      CountingLimit limit = new CountingLimit(2);
      g.wasi.context().waitLimit(limit);
      int fd = g.openOk("fifo", 0, Rights.FD_WRITE.bit());
      int size = 1 << 17; // 128 KiB: more than a pipe holds (64 KiB by default)
      int iovec = g.iovec(g.alloc(size), size);
      int written = g.alloc(4);
      long total = 0;
      int writes = 0;
      CountingLimit.Reached ended = null;
      while (ended == null && writes < 1000) {
        try {
          assertEquals(0, g.wasi.fd().write(g.memory, fd, iovec, 1, written));
          assertTrue(g.view.i32(written) <= 4096, "one write moved " + g.view.i32(written));
          total += g.view.i32(written);
          writes++;
        } catch (CountingLimit.Reached e) {
          ended = e;
        }
      }
      assertTrue(ended != null, "the writes never waited: " + total + " bytes in " + writes);
      assertEquals(3, limit.checks);
      // Every byte the guest was told it wrote is in the pipe.
      byte[] sent = new byte[(int) total];
      reader.readFully(sent);
    }
  }
}
