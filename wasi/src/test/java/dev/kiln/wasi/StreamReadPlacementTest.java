package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * fd_read from a Java stream (an embedder's stdin) places the bytes as readv(2) does: the iovecs
 * filled in order as one run, and the count exactly the bytes placed. A guest buffer larger than
 * one host chunk (64 KiB) must be filled to its end before the next buffer gets a byte; the count
 * must never cover memory that kept its old contents.
 */
class StreamReadPlacementTest {
  private static final int BIG = 200 * 1024;
  private static final int SMALL = 16;
  private static final byte STALE = '.';

  private static byte[] pattern(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  /** Reads stdin into [BIG-byte buffer, SMALL-byte buffer] prefilled with STALE; checks placement. */
  private static void readIntoTwoBuffersAndCheck(InputStream stdin, byte[] input) throws Exception {
    Guest g = new Guest(null, 1 << 20, stdin, WasiConfig.builder());
    int a = g.alloc(BIG);
    int b = g.alloc(SMALL);
    byte[] stale = new byte[BIG];
    Arrays.fill(stale, STALE);
    g.view.write(a, stale);
    g.view.write(b, Arrays.copyOf(stale, SMALL));
    int iovs = g.alloc(16);
    g.view.putI32(iovs, a);
    g.view.putI32(iovs + 4, BIG);
    g.view.putI32(iovs + 8, b);
    g.view.putI32(iovs + 12, SMALL);
    int out = g.alloc(4);
    assertEquals(0, g.wasi.fd().read(g.memory, 0, iovs, 2, out));
    int n = g.view.i32(out);
    byte[] got = new byte[BIG + SMALL];
    g.view.read(a, got, 0, BIG);
    g.view.read(b, got, BIG, SMALL);
    assertEquals(true, n > 0 && n <= input.length, "count " + n);
    assertArrayEquals(Arrays.copyOf(input, n), Arrays.copyOf(got, n), "bytes land in iovec order");
    for (int i = n; i < got.length; i++) {
      assertEquals(STALE, got[i], "byte " + i + " past the count was written");
    }
  }

  @Test
  void aBufferOverOneChunkIsFilledBeforeTheNext() throws Exception {
    byte[] input = pattern(300_000);
    readIntoTwoBuffersAndCheck(new ByteArrayInputStream(input), input);
    // All of it was available, so the whole of both buffers is the read.
    Guest g = new Guest(null, 1 << 20, new ByteArrayInputStream(input), WasiConfig.builder());
    int a = g.alloc(BIG);
    int b = g.alloc(SMALL);
    int iovs = g.alloc(16);
    g.view.putI32(iovs, a);
    g.view.putI32(iovs + 4, BIG);
    g.view.putI32(iovs + 8, b);
    g.view.putI32(iovs + 12, SMALL);
    int out = g.alloc(4);
    assertEquals(0, g.wasi.fd().read(g.memory, 0, iovs, 2, out));
    assertEquals(BIG + SMALL, g.view.i32(out));
    byte[] tail = new byte[SMALL];
    g.view.read(b, tail, 0, SMALL);
    assertArrayEquals(Arrays.copyOfRange(input, BIG, BIG + SMALL), tail);
  }

  /** A stream that gives at most 1000 bytes a read but always says more is available. */
  @Test
  void shortReadsStopAnywhereButStayContiguous() throws Exception {
    byte[] input = pattern(300_000);
    InputStream trickle = new ByteArrayInputStream(input) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1000));
      }
    };
    readIntoTwoBuffersAndCheck(trickle, input);
  }

  /** A stream ending inside the first buffer, past its first chunk. */
  @Test
  void anInputEndingInsideTheBigBufferCountsOnlyItsBytes() throws Exception {
    byte[] input = pattern(70_000);
    readIntoTwoBuffersAndCheck(new ByteArrayInputStream(input), input);
  }

  /** The write side of the same boundary: a Java stream receives A || B whole and in order. */
  @Test
  void aWriteOfABufferOverOneChunkSendsItWholeBeforeTheNext() throws Exception {
    byte[] input = pattern(BIG + SMALL);
    Guest g = new Guest(null, 1 << 20, new ByteArrayInputStream(new byte[0]), WasiConfig.builder());
    int a = g.alloc(BIG);
    int b = g.alloc(SMALL);
    g.view.write(a, Arrays.copyOf(input, BIG));
    g.view.write(b, Arrays.copyOfRange(input, BIG, BIG + SMALL));
    int iovs = g.alloc(16);
    g.view.putI32(iovs, a);
    g.view.putI32(iovs + 4, BIG);
    g.view.putI32(iovs + 8, b);
    g.view.putI32(iovs + 12, SMALL);
    int out = g.alloc(4);
    assertEquals(0, g.wasi.fd().write(g.memory, 1, iovs, 2, out));
    assertEquals(BIG + SMALL, g.view.i32(out));
    assertArrayEquals(input, g.stdout.toByteArray());
  }
}
