package dev.kiln.wasi.abi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A witx {@code iovec_array} / {@code ciovec_array} ({@code iovs_len} records of {buf: u32,
 * buf_len: u32}) as Java data: the entries are copied out of guest memory in one copy when the call
 * starts, checked here, and never read from guest memory again. Every transfer uses these copies,
 * so bytes the call itself writes into the guest (a read whose data lands on its own iovec array)
 * cannot change where later bytes go.
 *
 * <p>Only the first {@value #MAX_ENTRIES} entries are taken (Linux's IOV_MAX, the most one readv(2)
 * accepts): a guest can name hundreds of millions, and copying them all would let it make the host
 * allocate as much as its memory. A transfer over them is a short one, which readv(2)/writev(2) and
 * the witx fd_read/fd_write both allow (the count returned says how much moved; C libraries loop).
 * The whole array must still lie in memory ({@link Errno#FAULT}), as must every buffer taken; their
 * total must fit the u32 count the call returns ({@link Errno#INVAL}, as POSIX refuses an iovec
 * total beyond SSIZE_MAX).
 */
public final class GuestIovecs {
  /** The most entries one call takes: Linux's IOV_MAX (UIO_MAXIOV in include/uapi/linux/uio.h). */
  public static final int MAX_ENTRIES = 1024;

  /** A host {@code struct iovec} (void *iov_base; size_t iov_len), on the 64-bit hosts Kiln runs on. */
  private static final long HOST_IOVEC_SIZE = 16;

  private final GuestMemory memory;
  private final long[] addresses;
  private final long[] lengths;
  private final long total;
  /** {@code ends[i]}: the bytes entries 0..i hold together (where entry i ends in the stream). */
  private final long[] ends;

  private GuestIovecs(GuestMemory memory, long[] addresses, long[] lengths, long total) {
    this.memory = memory;
    this.addresses = addresses;
    this.lengths = lengths;
    this.total = total;
    this.ends = new long[lengths.length];
    long sum = 0;
    for (int i = 0; i < lengths.length; i++) {
      sum += lengths[i];
      ends[i] = sum;
    }
  }

  /** Copies and checks the array of {@code iovsLen} entries at {@code iovs}. */
  static GuestIovecs copy(GuestMemory memory, long iovs, int iovsLen) {
    long declared = Integer.toUnsignedLong(iovsLen);
    long array = memory.check(iovs, declared * Layouts.IOVEC_SIZE);
    int taken = (int) Math.min(declared, MAX_ENTRIES);
    int[] words = new int[taken * 2];
    MemorySegment.copy(memory.segment(), GuestMemory.U32, array, words, 0, words.length);
    long[] addresses = new long[taken];
    long[] lengths = new long[taken];
    long total = 0;
    for (int i = 0; i < taken; i++) {
      addresses[i] = Integer.toUnsignedLong(words[2 * i + Layouts.IOVEC_BUF / 4]);
      lengths[i] = Integer.toUnsignedLong(words[2 * i + Layouts.IOVEC_LEN / 4]);
      memory.check(addresses[i], lengths[i]);
      total += lengths[i];
      if (total > 0xFFFF_FFFFL) {
        throw new WasiException(Errno.INVAL, "iovec total exceeds 4 GiB");
      }
    }
    return new GuestIovecs(memory, addresses, lengths, total);
  }

  /** Bytes the taken buffers hold together (at most 2^32 - 1). */
  public long total() {
    return total;
  }

  /** Entries taken (at most {@value #MAX_ENTRIES}). */
  public int count() {
    return addresses.length;
  }

  /** Entry {@code i}'s buffer as a guest address. */
  public long buffer(int i) {
    return addresses[i];
  }

  public long length(int i) {
    return lengths[i];
  }

  /**
   * The first {@code limit} bytes of these buffers (all of them if they hold no more): the entries
   * up to that point, the last one cut short. For a transfer that must not move more at once.
   */
  public GuestIovecs limitedTo(long limit) {
    return total <= limit ? this : slice(0, limit);
  }

  /**
   * The bytes {@code [from, from+length)} of these buffers taken as one stream (cut to {@link
   * #total()}): the entries they lie in, the first starting late and the last cut short. A transfer
   * of up to 4 GiB moves one slice at a time and checks its deadline between two; the entry a
   * slice starts in is found by binary search over the running totals, so the slices of one call
   * cost the entries once, not once per slice.
   */
  public GuestIovecs slice(long from, long length) {
    long start = Math.min(Math.max(from, 0), total);
    long end = start + Math.min(Math.max(length, 0), total - start);
    if (start == 0 && end == total) {
      return this;
    }
    if (start == end) {
      return new GuestIovecs(memory, new long[0], new long[0], 0);
    }
    int first = entryHolding(start);
    int last = entryHolding(end - 1);
    int n = last - first + 1;
    long[] cutAddresses = java.util.Arrays.copyOfRange(addresses, first, last + 1);
    long[] cutLengths = java.util.Arrays.copyOfRange(lengths, first, last + 1);
    long firstStart = ends[first] - lengths[first];
    cutAddresses[0] += start - firstStart;
    cutLengths[0] -= start - firstStart;
    cutLengths[n - 1] -= ends[last] - end;
    return new GuestIovecs(memory, cutAddresses, cutLengths, end - start);
  }

  /** The entry holding byte {@code at} of the stream ({@code 0 <= at < total}), not an empty one. */
  private int entryHolding(long at) {
    int low = 0;
    int high = ends.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (ends[mid] <= at) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /**
   * The taken entries as host {@code struct iovec}s pointing into guest memory, for one
   * readv/writev, allocated in {@code arena}. Each range is checked again right where it becomes a
   * host address: the kernel, not Java, moves the bytes, so no Java bounds check stands behind this
   * one (and a memory's guard pages must never be the only defence).
   */
  public MemorySegment hostIovecs(Arena arena) {
    long base = memory.nativeAddress();
    MemorySegment iov = arena.allocate(Math.max(count(), 1) * HOST_IOVEC_SIZE, 8);
    for (int i = 0; i < count(); i++) {
      memory.check(buffer(i), lengths[i]);
      iov.set(ValueLayout.JAVA_LONG, i * HOST_IOVEC_SIZE, base + addresses[i]);
      iov.set(ValueLayout.JAVA_LONG, i * HOST_IOVEC_SIZE + 8, lengths[i]);
    }
    return iov;
  }
}
