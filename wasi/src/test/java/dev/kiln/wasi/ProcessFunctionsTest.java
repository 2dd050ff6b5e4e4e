package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.sys.KernelRandom;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProcessFunctionsTest {
  @Test
  void argsAreNulTerminatedStringsBehindAPointerArray() throws Exception {
    Guest g = new Guest(null, "", WasiConfig.builder().arg("prog").arg("héllo").arg(""));
    int counts = g.alloc(8);
    assertEquals(0, g.wasi.process().argsSizesGet(g.memory, counts, counts + 4));
    assertEquals(3, g.view.i32(counts));
    assertEquals(5 + 7 + 1, g.view.i32(counts + 4)); // "prog\0", "héllo\0" (é is 2 bytes), "\0"
    int argv = g.alloc(12);
    int buf = g.alloc(13);
    assertEquals(0, g.wasi.process().argsGet(g.memory, argv, buf));
    assertEquals(buf, g.view.i32(argv));
    assertEquals(buf + 5, g.view.i32(argv + 4));
    assertEquals(buf + 12, g.view.i32(argv + 8));
    assertEquals("prog\0héllo\0\0", g.text(buf, 13));
  }

  @Test
  void environIsKeyEqualsValueInOrder() throws Exception {
    Guest g = new Guest(null, "", WasiConfig.builder().env("B", "2").env("A", "x=y"));
    int counts = g.alloc(8);
    assertEquals(0, g.wasi.process().environSizesGet(g.memory, counts, counts + 4));
    assertEquals(2, g.view.i32(counts));
    assertEquals(4 + 6, g.view.i32(counts + 4));
    int env = g.alloc(8);
    int buf = g.alloc(10);
    assertEquals(0, g.wasi.process().environGet(g.memory, env, buf));
    assertEquals("B=2\0A=x=y\0", g.text(buf, 10));
    assertEquals(buf + 4, g.view.i32(env + 4));
  }

  @Test
  void pointersOutsideMemoryAreFault() throws Exception {
    Guest g = new Guest(null, "", WasiConfig.builder().arg("p"));
    assertEquals(Errno.FAULT.code(),
        g.wasi.process().argsSizesGet(g.memory, Guest.MEMORY_SIZE - 2, 0));
    assertEquals(Errno.FAULT.code(), g.wasi.process().argsGet(g.memory, -4, 0));
  }

  @Test
  void clocks() throws Exception {
    Guest g = new Guest(null);
    int t = g.alloc(8);
    assertEquals(0, g.wasi.process().clockTimeGet(g.memory, Layouts.CLOCK_MONOTONIC, 1, t));
    long first = g.view.i64(t);
    Thread.sleep(2);
    assertEquals(0, g.wasi.process().clockTimeGet(g.memory, Layouts.CLOCK_MONOTONIC, 1, t));
    assertTrue(g.view.i64(t) - first >= 2_000_000, "monotonic advanced by the sleep");
    assertEquals(0, g.wasi.process().clockTimeGet(g.memory, Layouts.CLOCK_REALTIME, 1, t));
    long wallNanos = System.currentTimeMillis() * 1_000_000L;
    assertTrue(Math.abs(g.view.i64(t) - wallNanos) < 1_000_000_000L, "realtime is the epoch time");
    assertEquals(0, g.wasi.process().clockTimeGet(g.memory, Layouts.CLOCK_THREAD_CPUTIME, 1, t));
    assertTrue(g.view.i64(t) > 0);
    assertEquals(0, g.wasi.process().clockResGet(g.memory, Layouts.CLOCK_MONOTONIC, t));
    assertEquals(1, g.view.i64(t));
    assertEquals(Errno.INVAL.code(), g.wasi.process().clockTimeGet(g.memory, 4, 1, t));
    assertEquals(Errno.INVAL.code(), g.wasi.process().clockResGet(g.memory, 99, t));
  }

  @Test
  void randomGetFillsFromTheConfiguredGenerator() throws Exception {
    Guest g = new Guest(null);
    int buf = g.alloc(100);
    assertEquals(0, g.wasi.process().randomGet(g.memory, buf, 100));
    byte[] expected = new byte[100];
    new SplittableRandom(42).nextBytes(expected);
    assertEquals(java.util.HexFormat.of().formatHex(expected),
        java.util.HexFormat.of().formatHex(g.view.read(buf, 100)));
    assertEquals(Errno.FAULT.code(), g.wasi.process().randomGet(g.memory, Guest.MEMORY_SIZE - 10, 11));
  }

  @Test
  void theDefaultSourceIsTheKernelsAndFillsEveryByteOfLongRequests() {
    assertSame(KernelRandom.INSTANCE, WasiConfig.builder().build().random());
    // 300 000 bytes: past getrandom's 256-byte unit and past one 64 KiB chunk of random_get. A byte
    // the fill missed stays 0; among 300 000 random bytes each value appears about 1170 times, so a
    // missed stretch shows as far too many zeros.
    byte[] bytes = new byte[300_000];
    KernelRandom.INSTANCE.nextBytes(bytes);
    int[] counts = new int[256];
    for (byte b : bytes) {
      counts[b & 0xFF]++;
    }
    for (int v = 0; v < 256; v++) {
      assertTrue(counts[v] > 900 && counts[v] < 1450, "byte value " + v + " appears " + counts[v] + " times");
    }
    assertNotEquals(KernelRandom.INSTANCE.nextLong(), KernelRandom.INSTANCE.nextLong());
  }

  @Test
  void randomGetWithTheDefaultSourceWritesTheKernelsBytesIntoGuestMemory() throws Exception {
    WasiPreview1 wasi = new WasiPreview1(WasiConfig.builder().build());
    MemorySegment memory = Arena.ofAuto().allocate(1 << 16, 8);
    // 20 000 bytes at an odd offset: every one written (a missed stretch stays 0), the bytes around
    // the buffer untouched.
    assertEquals(0, wasi.process().randomGet(memory, 1001, 20_000));
    int zeros = 0;
    for (int i = 1001; i < 21_001; i++) {
      zeros += memory.get(ValueLayout.JAVA_BYTE, i) == 0 ? 1 : 0;
    }
    assertTrue(zeros < 160, zeros + " zero bytes among 20 000"); // about 78 expected
    assertEquals(0, memory.get(ValueLayout.JAVA_BYTE, 1000));
    assertEquals(0, memory.get(ValueLayout.JAVA_BYTE, 21_001));
    assertEquals(Errno.FAULT.code(), wasi.process().randomGet(memory, (1 << 16) - 10, 11));
  }

  @Test
  void procExitThrowsWithTheCodeAndFlushes() throws Exception {
    Guest g = new Guest(null);
    g.write(1, "bye");
    ProcExit exit = assertThrows(ProcExit.class, () -> g.wasi.process().procExit(7));
    assertEquals(7, exit.code());
    assertEquals(7, ProcExit.in(new RuntimeException(new IllegalStateException(exit))).orElseThrow().code());
    assertEquals("bye", g.stdout.toString());
  }

  @Test
  void procExitRefusesAStatusNoProcessCanEndWith() throws Exception {
    Guest g = new Guest(null);
    assertEquals(125, assertThrows(ProcExit.class, () -> g.wasi.process().procExit(125)).code());
    for (int status : new int[] {126, 255, 256, -1}) {
      InvalidExitStatus refused = assertThrows(InvalidExitStatus.class, () -> g.wasi.process().procExit(status));
      assertEquals("proc_exit(" + Integer.toUnsignedString(status) + "): an exit status must be below 126",
          refused.getMessage());
      assertTrue(ProcExit.in(refused).isEmpty(), "no embedder may take it for an exit");
    }
  }

  @Test
  void schedYieldAndProcRaise() throws Exception {
    Guest g = new Guest(null);
    assertEquals(0, g.wasi.process().schedYield());
    assertEquals(Errno.NOTSUP.code(), g.wasi.process().procRaise(2));
  }
}
