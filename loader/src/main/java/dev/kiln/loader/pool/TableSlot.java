package dev.kiln.loader.pool;

import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;

/**
 * One pooled table's region ({@link PoolConfig#tableSlotBytes()}): the table header and its slots
 * ({@code dev.kiln.artifact.vm.TableStorage}), committed from the start as the table grows, and a
 * last page that stays {@code PROT_NONE}, as an on-demand table's reservation has.
 *
 * <p>Between instances the pages the last table could write are dropped ({@link #reset}: {@code
 * madvise(MADV_DONTNEED)}, after which they read as zero: no header, no element of the previous
 * instance's), never unmapped; their protection is kept, so a table made again at the same size
 * makes no {@code mprotect}. Pages left read-write past a smaller next table are zero and are never
 * read: compiled code checks every table index against the table's length, and Java against its size.
 *
 * <p>Used by one instance at a time (the pool hands the slot to one owner), under its store's claim.
 */
public final class TableSlot {
  private final VirtualMemory region;
  /** Bytes from the start that are read-write now. */
  private long accessible;
  /** Whether a table used the slot since its last reset. */
  private boolean used;

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

  /** Marks the slot taken by a new table: its pages are reset when the instance is freed. */
  public void take() {
    used = true;
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
  }

  /** Drops every page the last table could have written, if a table used the slot. */
  void reset() {
    if (used && accessible > 0) {
      region.discard(0, accessible);
    }
    used = false;
  }
}
