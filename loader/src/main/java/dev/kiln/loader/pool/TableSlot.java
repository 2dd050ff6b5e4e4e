package dev.kiln.loader.pool;

import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;

/**
 * One pooled table's region ({@link PoolConfig#tableSlotBytes()}): the table header and its slots
 * ({@code dev.kiln.artifact.vm.TableStorage}), committed from the start as the table grows, and a
 * last page that stays {@code PROT_NONE}, as an on-demand table's reservation has.
 *
 * <p>Between instances the bytes the last table could write are emptied ({@link #reset}), never
 * unmapped: the first {@link #KEEP_RESIDENT_BYTES} are zeroed in place, the rest dropped with
 * {@code madvise(MADV_DONTNEED)}, after which they read as zero: no header, no element of the
 * previous instance's. Their protection is kept, so a table made again at the same size makes no
 * {@code mprotect}. Pages left read-write past a smaller next table are zero and are never read:
 * compiled code checks every table index against the table's length, and Java against its size.
 *
 * <p>Why zero in place: {@code madvise(MADV_DONTNEED)} unmaps the pages from every CPU's TLB (an
 * inter-processor interrupt to each core that ran the process) and the next touch faults a fresh
 * zero page in; on a loaded 2-core machine a JFR profile of the pooled cycle put 108 of 283
 * native samples of the release in the table's madvise. A table of a few thousand elements is a
 * few pages, cheaper to clear with a store loop than with a system call; only a large table's
 * tail goes back to the kernel.
 *
 * <p>Used by one instance at a time (the pool hands the slot to one owner), under its store's claim.
 */
public final class TableSlot {
  private final VirtualMemory region;
  /** Bytes from the start that are read-write now. */
  private long accessible;
  /** Bytes from the start zeroed in place by {@link #reset} (64 KiB: 8,188 elements and the header). */
  static final long KEEP_RESIDENT_BYTES = 64 << 10;
  /** Bytes from the start the table since the last reset committed, so could have written (0: unused). */
  private long dirty;

  TableSlot(VirtualMemory region) {
    this.region = region;
  }

  /** The whole region; only its first {@link #accessibleBytes()} may be touched. */
  public VirtualMemory region() {
    return region;
  }

  /** Bytes from the start that are read-write now. */
  public long accessibleBytes() {
    return accessible;
  }

  /** Slots (8 bytes each, after the header) the region holds: the pool's table size. */
  public long capacityBytes() {
    return region.size() - VirtualMemory.pageSize();
  }


  /**
   * Makes the first {@code bytes} (whole pages, at most {@link #capacityBytes()}) read-write, with one
   * {@code mprotect} of the pages past those already read-write, or none.
   *
   * @throws IllegalArgumentException past the capacity (the table's own maximum is checked before)
   */
  public void commit(long bytes) {
    if (bytes > capacityBytes()) {
      throw new IllegalArgumentException(bytes + " table bytes in a slot of " + capacityBytes());
    }
    if (bytes > accessible) {
      region.protect(accessible, bytes - accessible, Protection.READ_WRITE);
      accessible = bytes;
    }
    dirty = Math.max(dirty, bytes);
  }

  /**
   * Empties every byte the last table could have written (the pages it committed): zeroed in
   * place up to {@link #KEEP_RESIDENT_BYTES}, dropped past that.
   */
  void reset() {
    long zeroed = Math.min(dirty, KEEP_RESIDENT_BYTES);
    region.segment().asSlice(0, zeroed).fill((byte) 0);
    if (dirty > zeroed) {
      region.discard(zeroed, dirty - zeroed);
    }
    dirty = 0;
  }
}
