package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.fs.WaitLimit;
import dev.kiln.wasi.sys.KernelRandom;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 35, red-team finding F3: a call whose work grows with a size the guest chose (random_get
 * over a gigabyte, fd_read/fd_write over 4 GiB of buffers, poll_oneoff over thousands of
 * subscriptions, fd_readdir over a big directory) must end within one piece of its deadline, as
 * the guest's {@code kiln run --timeout 1s} once ran 25 s past it. Each test here asks for several
 * pieces' worth with a deadline that has already passed at the first check ({@link CountingLimit}
 * of 0) and counts the work done: bytes produced or moved, subscriptions scanned. Without the
 * checks between pieces every call does all of it.
 */
class LongHostCallDeadlineTest {
  private static final int CHUNK = (int) WaitLimit.CHUNK_BYTES;
  /** What each call asks for: three chunks. */
  private static final int ASKED = 3 * CHUNK;

  @TempDir Path dir;

  /** A generator that counts the bytes it produces. */
  private static final class CountingRandom implements RandomGenerator {
    long produced;

    @Override
    public long nextLong() {
      produced += 8;
      return 0x5555_5555_5555_5555L;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      produced += bytes.length;
      java.util.Arrays.fill(bytes, (byte) 0x55);
    }
  }

  @Test
  void randomGetProducesOneChunkThenTraps() throws Exception {
    CountingRandom random = new CountingRandom();
    Guest g = new Guest(dir, ASKED + 4096, InputStream.nullInputStream(), WasiConfig.builder().random(random));
    CountingLimit limit = new CountingLimit(0);
    g.wasi.context().waitLimit(limit);
    assertThrows(CountingLimit.Reached.class, () -> g.wasi.process().randomGet(g.memory, 0, ASKED));
    assertEquals(CHUNK, random.produced, "one chunk, then the deadline");
    assertEquals(1, limit.checks);
  }

  /** The kernel's source writes into guest memory directly: what lies past the first chunk stays untouched. */
  @Test
  void kernelRandomGetFillsOneChunkThenTraps() throws Exception {
    Guest g = new Guest(dir, ASKED, InputStream.nullInputStream(),
        WasiConfig.builder().random(KernelRandom.INSTANCE));
    g.wasi.context().waitLimit(new CountingLimit(0));
    assertThrows(CountingLimit.Reached.class, () -> g.wasi.process().randomGet(g.memory, 0, ASKED));
    long nonZeroPast = 0;
    for (long at = CHUNK; at < ASKED; at += 8) {
      nonZeroPast += g.memory.get(ValueLayout.JAVA_LONG, at) != 0 ? 1 : 0;
    }
    assertEquals(0, nonZeroPast, "nothing past the first chunk was filled");
    long nonZeroFirst = 0;
    for (long at = 0; at < CHUNK; at += 8) {
      nonZeroFirst += g.memory.get(ValueLayout.JAVA_LONG, at) != 0 ? 1 : 0;
    }
    assertTrue(nonZeroFirst > CHUNK / 16, "the first chunk was filled");
  }

  /**
   * {@code count} iovec entries all over one buffer of {@code size} bytes: a large transfer from a
   * small memory, as a guest can name.
   */
  private static int sameBufferIovecs(Guest g, int buffer, int size, int count) {
    int array = g.alloc(count * Layouts.IOVEC_SIZE);
    for (int i = 0; i < count; i++) {
      g.view.putI32(array + i * Layouts.IOVEC_SIZE, buffer);
      g.view.putI32(array + i * Layouts.IOVEC_SIZE + 4, size);
    }
    return array;
  }

  private static final int PIECE = 128 * 1024;

  private interface Transfer {
    int call(Guest g, int fd, int iovs, int count, int out);
  }

  /**
   * fd_read, fd_pread, fd_write and fd_pwrite of a regular file over three chunks: one chunk moves,
   * and the call returns it as a short count (a read(2)/write(2) a signal interrupted).
   */
  @Test
  void fileTransfersMoveOneChunkAndReturnAShortCount() throws Exception {
    Transfer[] transfers = {
        (g, fd, iovs, n, out) -> g.wasi.fd().read(g.memory, fd, iovs, n, out),
        (g, fd, iovs, n, out) -> g.wasi.fd().pread(g.memory, fd, iovs, n, 0, out),
        (g, fd, iovs, n, out) -> g.wasi.fd().write(g.memory, fd, iovs, n, out),
        (g, fd, iovs, n, out) -> g.wasi.fd().pwrite(g.memory, fd, iovs, n, 0, out)};
    for (int t = 0; t < transfers.length; t++) {
      boolean reading = t < 2;
      Path file = dir.resolve("big" + t);
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
        f.setLength(reading ? ASKED : 0);
      }
      Guest g = new Guest(dir);
      int fd = g.openOk(file.getFileName().toString(), 0, Rights.ALL);
      int buffer = g.alloc(PIECE);
      int iovs = sameBufferIovecs(g, buffer, PIECE, ASKED / PIECE);
      int out = g.alloc(4);
      CountingLimit limit = new CountingLimit(0);
      g.wasi.context().waitLimit(limit);
      assertEquals(0, transfers[t].call(g, fd, iovs, ASKED / PIECE, out), "transfer " + t);
      assertEquals(CHUNK, g.view.i32(out), "transfer " + t + " moved one chunk");
      assertEquals(1, limit.checks, "transfer " + t);
      if (!reading) {
        assertEquals(CHUNK, Files.size(file), "transfer " + t + " wrote one chunk");
      }
    }
  }

  /** Without a deadline the same transfer moves everything: the short count is the deadline's doing. */
  @Test
  void withoutADeadlineAFileTransferMovesEverything() throws Exception {
    Path file = dir.resolve("big");
    Guest g = new Guest(dir);
    int fd = g.openOk("big", Layouts.OFLAG_CREAT, Rights.ALL);
    int buffer = g.alloc(PIECE);
    int iovs = sameBufferIovecs(g, buffer, PIECE, ASKED / PIECE);
    int out = g.alloc(4);
    assertEquals(0, g.wasi.fd().write(g.memory, fd, iovs, ASKED / PIECE, out));
    assertEquals(ASKED, g.view.i32(out));
    assertEquals(ASKED, Files.size(file));
  }

  /** An embedder's Java output stream: written in 64 KiB pieces, the deadline asked between two. */
  @Test
  void aJavaStreamWriteEndsOnePieceAfterTheDeadline() throws Exception {
    Guest g = new Guest(dir); // its stdout is a ByteArrayOutputStream: its size counts what was written
    int buffer = g.alloc(PIECE);
    int iovs = sameBufferIovecs(g, buffer, PIECE, ASKED / PIECE);
    int out = g.alloc(4);
    g.wasi.context().waitLimit(new CountingLimit(0));
    assertEquals(0, g.wasi.fd().write(g.memory, 1, iovs, ASKED / PIECE, out));
    assertEquals(FdFunctions.STREAM_CHUNK, g.view.i32(out));
    assertEquals(FdFunctions.STREAM_CHUNK, g.stdout.size());
  }

  /** An embedder's Java input stream that always has more: one buffer's piece, then the deadline. */
  @Test
  void aJavaStreamReadEndsOnePieceAfterTheDeadline() throws Exception {
    long[] read = new long[1];
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        read[0]++;
        return 'x';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        read[0] += len;
        return len;
      }

      @Override
      public int available() {
        return Integer.MAX_VALUE;
      }
    };
    Guest g = new Guest(dir, endless, WasiConfig.builder());
    int buffer = g.alloc(FdFunctions.STREAM_CHUNK);
    int iovs = sameBufferIovecs(g, buffer, FdFunctions.STREAM_CHUNK, 1024);
    int out = g.alloc(4);
    g.wasi.context().waitLimit(new CountingLimit(0));
    assertEquals(0, g.wasi.fd().read(g.memory, 0, iovs, 1024, out));
    assertEquals(FdFunctions.STREAM_CHUNK, g.view.i32(out));
    assertEquals(FdFunctions.STREAM_CHUNK, read[0]);
  }

  /** poll_oneoff over many ready file subscriptions asks the deadline between slices of them. */
  @Test
  void pollOneoffOverManySubscriptionsChecksBetweenSlices() throws Exception {
    Files.writeString(dir.resolve("f"), "data");
    Guest g = new Guest(dir);
    int fd = g.openOk("f", 0, Rights.ALL);
    int count = 2 * PollFunctions.SUBSCRIPTIONS_PER_CHECK + 1;
    int in = g.alloc(count * Layouts.SUBSCRIPTION_SIZE);
    for (int i = 0; i < count; i++) {
      int at = in + i * Layouts.SUBSCRIPTION_SIZE;
      g.view.putU8(at + Layouts.SUBSCRIPTION_TAG, Layouts.EVENTTYPE_FD_READ);
      g.view.putI32(at + Layouts.SUBSCRIPTION_FD, fd);
    }
    int events = g.alloc(count * Layouts.EVENT_SIZE);
    int nevents = g.alloc(4);
    CountingLimit limit = new CountingLimit(0);
    g.wasi.context().waitLimit(limit);
    assertThrows(CountingLimit.Reached.class, () -> g.wasi.poll().pollOneoff(g.memory, in, events, count, nevents));
    assertEquals(1, limit.checks, "ended at the first check, one slice in");
    // With the deadline far away, every subscription is ready and reported.
    g.wasi.context().waitLimit(new CountingLimit(Integer.MAX_VALUE));
    assertEquals(0, g.wasi.poll().pollOneoff(g.memory, in, events, count, nevents));
    assertEquals(count, g.view.i32(nevents));
  }
}
