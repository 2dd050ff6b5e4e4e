package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.sys.Linux;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A witx {@code iovec_array} / {@code ciovec_array} ({@code iovs_len} records of {buf: u32,
 * buf_len: u32}) checked once against guest memory: the array and every buffer must lie inside it
 * ({@link Errno#FAULT}), and the total must fit the u32 byte count the call returns
 * ({@link Errno#INVAL}, as POSIX refuses an iovec total beyond SSIZE_MAX). The entries are then read
 * from guest memory as they are used, never turned into one host object each: a guest can name
 * hundreds of millions of them. File I/O hands them to the kernel in batches of {@link
 * Linux#IOV_MAX} host iovecs pointing straight into guest memory.
 */
final class GuestIovecs {
  private final GuestMemory memory;
  private final int array;
  private final int count;
  private final long total;

  private GuestIovecs(GuestMemory memory, int array, int count, long total) {
    this.memory = memory;
    this.array = array;
    this.count = count;
    this.total = total;
  }

  static GuestIovecs of(GuestMemory memory, int iovs, int iovsLen) {
    long count = Integer.toUnsignedLong(iovsLen);
    memory.check(iovs, count * Layouts.IOVEC_SIZE);
    GuestIovecs vecs = new GuestIovecs(memory, iovs, (int) count, 0);
    long total = 0;
    for (int i = 0; i < count; i++) {
      long length = vecs.length(i);
      memory.check(vecs.buffer(i), length);
      total += length;
      if (total > 0xFFFF_FFFFL) {
        throw new WasiException(Errno.INVAL, "iovec total exceeds 4 GiB");
      }
    }
    return new GuestIovecs(memory, iovs, (int) count, total);
  }

  /** Bytes the buffers hold together. */
  long total() {
    return total;
  }

  int count() {
    return count;
  }

  /** Entry {@code i}'s buffer as a guest pointer. */
  int buffer(int i) {
    return memory.i32(array + i * Layouts.IOVEC_SIZE + Layouts.IOVEC_BUF);
  }

  long length(int i) {
    return Integer.toUnsignedLong(memory.i32(array + i * Layouts.IOVEC_SIZE + Layouts.IOVEC_LEN));
  }

  /** One readv/writev-shaped call: {@code n} host iovecs, at {@code offset} (< 0: the fd's own). */
  @FunctionalInterface
  interface HostTransfer {
    long transfer(MemorySegment iov, int n, long offset);
  }

  /**
   * Moves the bytes with {@code call}, batch after batch, stopping at the first short transfer (end
   * of file, a full pipe), and returns the bytes moved. {@code offset} < 0 uses and advances the
   * descriptor's position; otherwise each batch starts where the previous one ended.
   */
  long transfer(HostTransfer call, long offset) {
    long base = memory.nativeAddress();
    int batch = Math.min(count, Linux.IOV_MAX);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment iov = arena.allocate(Math.max(batch, 1) * Linux.IOVEC_SIZE, 8);
      long done = 0;
      for (int first = 0; first < count; first += batch) {
        int n = Math.min(batch, count - first);
        long wanted = 0;
        for (int j = 0; j < n; j++) {
          long length = length(first + j);
          iov.set(ValueLayout.JAVA_LONG, j * Linux.IOVEC_SIZE,
              base + Integer.toUnsignedLong(buffer(first + j)));
          iov.set(ValueLayout.JAVA_LONG, j * Linux.IOVEC_SIZE + 8, length);
          wanted += length;
        }
        if (wanted == 0) {
          continue;
        }
        long moved = call.transfer(iov, n, offset < 0 ? -1 : offset + done);
        done += moved;
        if (moved < wanted) {
          break;
        }
      }
      return done;
    }
  }
}
