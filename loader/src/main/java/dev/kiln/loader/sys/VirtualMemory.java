package dev.kiln.loader.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A range of address space reserved without backing (PROT_NONE, MAP_NORESERVE) whose pages are
 * committed on demand. Linear memories use it so that {@code memory.grow} never moves the base the
 * compiled code has loaded; code pages use it to be written and then published as R|X.
 *
 * <p><b>Lifetime.</b> A reservation belongs to an {@link Arena}: its {@link #segment()} has the
 * arena's scope and closing the arena unmaps it. The FFM API invalidates every segment of a closed
 * arena before the unmap runs (as a cleanup action of the arena), so Java code still holding a view
 * of released memory gets an {@link IllegalStateException} instead of touching unmapped pages. An
 * instance reserves its memories and tables in its own arena, so freeing it is one arena close. A
 * reservation made with {@link #reserve(long)} has an arena of its own, closed by {@link #close()}.
 * One made with {@link #reserveUnscoped} has none: {@link #close()} unmaps it without the all-thread
 * handshake a shared arena's close costs, and its segment refuses no late access, so it is for
 * memory only code that checks its owner is open reaches (a store's GC heap).
 *
 * <p>Not thread-safe: the owner (an instance, a loaded module) serialises commits and protection
 * changes.
 */
public final class VirtualMemory implements AutoCloseable {
  private final long address;
  private final long size;
  private final MemorySegment segment;
  /** The arena made for this reservation alone, or null when it lives as long as someone else's. */
  private final Arena ownArena;
  /** Whether no arena owns it ({@link #reserveUnscoped}), and then whether {@link #close()} unmapped it. */
  private final boolean unscoped;
  private boolean unmapped;

  private VirtualMemory(long address, long size, Arena arena, Arena ownArena) {
    this.address = address;
    this.size = size;
    this.ownArena = ownArena;
    this.unscoped = arena == null;
    this.segment = unscoped ? MemorySegment.ofAddress(address).reinterpret(size)
        : MemorySegment.ofAddress(address).reinterpret(size, arena, unused -> Libc.munmap(address, size));
  }

  /**
   * Reserves {@code bytes} (rounded up to whole pages) of inaccessible address space that lives as
   * long as {@code arena}: closing the arena unmaps it.
   */
  public static VirtualMemory reserve(long bytes, Arena arena) {
    return reserve(bytes, arena, null);
  }

  /** Reserves {@code bytes} (rounded up to whole pages) in an arena of its own, released by {@link #close()}. */
  public static VirtualMemory reserve(long bytes) {
    Arena own = Arena.ofShared();
    try {
      return reserve(bytes, own, own);
    } catch (RuntimeException | Error e) {
      own.close();
      throw e;
    }
  }

  /**
   * Reserves {@code bytes} (rounded up to whole pages) that no arena owns, unmapped by {@link
   * #close()}: no handshake, and no refusal of an access after it (see the class documentation).
   */
  public static VirtualMemory reserveUnscoped(long bytes) {
    return reserve(bytes, null, null);
  }

  private static VirtualMemory reserve(long bytes, Arena arena, Arena ownArena) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("reservation must be positive: " + bytes);
    }
    long size = pageAlign(bytes);
    long address = Libc.mmapAnonymous(size, Libc.PROT_NONE, Libc.MAP_PRIVATE | Libc.MAP_NORESERVE);
    try {
      return new VirtualMemory(address, size, arena, ownArena);
    } catch (RuntimeException | Error e) {
      // The arena refused the segment (it is closed): the mapping has no owner to unmap it.
      Libc.munmap(address, size);
      throw e;
    }
  }

  /**
   * The part {@code [offset, offset + size)} of this reservation, page-aligned, as a reservation of
   * its own that lives and is unmapped with this one (the instance pool's slots): its {@link
   * #segment()} has this one's scope, and {@link #close()} refuses it.
   */
  public VirtualMemory slice(long offset, long size) {
    checkOpen();
    if (offset < 0 || size <= 0 || offset > this.size - size || (offset | size) % Libc.PAGE_SIZE != 0) {
      throw new IllegalArgumentException("slice [" + offset + ", +" + size + ") of a reservation of " + this.size
          + " bytes is outside it or not page-aligned");
    }
    return new VirtualMemory(address + offset, size, segment.asSlice(offset, size));
  }

  private VirtualMemory(long address, long size, MemorySegment segment) {
    this.address = address;
    this.size = size;
    this.ownArena = null;
    this.unscoped = false;
    this.segment = segment;
  }

  /**
   * Drops the pages of {@code [offset, offset + length)} (page-aligned, inside the reservation) with
   * madvise(2) {@code MADV_DONTNEED}: the mapping and its protection stay, and each page of a
   * private anonymous mapping reads as zero on its next touch (a private file mapping: as the file).
   * How a pooled memory is emptied for its next instance without unmapping it.
   *
   * @throws NativeException if the kernel refuses
   */
  public void discard(long offset, long length) {
    checkOpen();
    checkPageRange(offset, length);
    if (length > 0) {
      Libc.madviseOrFail(address + offset, length, Libc.MADV_DONTNEED);
    }
  }

  /** Refuses a range {@code [offset, offset + length)} that is not page-aligned or not inside the reservation. */
  private void checkPageRange(long offset, long length) {
    if (offset < 0 || length < 0 || offset > size - length || (offset | length) % Libc.PAGE_SIZE != 0) {
      throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside reservation of " + size
          + " bytes or not page-aligned");
    }
  }

  /**
   * Maps {@code image} copy-on-write over the first {@code image.size()} bytes, read-write ({@link
   * ImageFile}): those pages read as the image until written, each write copying its page.
   */
  public void mapImage(ImageFile image) {
    checkOpen();
    if (image.size() > size) {
      throw new IllegalArgumentException("an image of " + image.size() + " bytes over a reservation of " + size);
    }
    image.mapPrivateAt(address);
  }

  /**
   * Replaces {@code [offset, offset + length)} with fresh inaccessible anonymous pages (the
   * reservation's state before any commit): how a pooled memory drops an image it no longer uses.
   */
  public void unmapImage(long offset, long length) {
    checkOpen();
    checkPageRange(offset, length);
    if (length > 0) {
      Libc.mmapAnonymousAt(address + offset, length, Libc.PROT_NONE);
    }
  }

  /**
   * Maps {@code code} on pages of its own, written and then made R|X, for the rest of the process:
   * code the loader writes out itself ({@link CodeRow}) and never frees. A fresh mapping made
   * executable once needs no instruction-cache maintenance from user space on Linux (the kernel
   * syncs the caches when it maps a page executable). Returns the code's address.
   */
  static long publishCode(byte[] code) {
    VirtualMemory pages = reserve(code.length, Arena.global());
    pages.protect(0, pages.size(), Protection.READ_WRITE);
    MemorySegment.copy(MemorySegment.ofArray(code), 0, pages.segment(), 0, code.length);
    pages.protect(0, pages.size(), Protection.READ_EXECUTE);
    return pages.address();
  }

  /** The host's page size in bytes. */
  public static long pageSize() {
    return Libc.PAGE_SIZE;
  }

  /** {@code bytes} rounded up to a multiple of the page size. */
  public static long pageAlign(long bytes) {
    long mask = Libc.PAGE_SIZE - 1;
    return Math.addExact(bytes, mask) & ~mask;
  }

  public long address() {
    return address;
  }

  public long size() {
    return size;
  }

  /**
   * The whole reservation, valid while its arena is open; touching a page that is not committed
   * faults, so stay within commits.
   */
  public MemorySegment segment() {
    checkOpen();
    return segment;
  }

  /**
   * Sets the protection of {@code [offset, offset + length)}, which must be page-aligned and inside
   * the reservation. Committing is {@code protect(..., READ_WRITE)}: the kernel backs the pages with
   * zeroes on first touch.
   */
  public void protect(long offset, long length, Protection protection) {
    checkOpen();
    if (offset < 0 || length < 0 || offset > size - length) {
      throw new IllegalArgumentException(
          "range [" + offset + ", +" + length + ") outside reservation of " + size + " bytes");
    }
    if ((offset | length) % Libc.PAGE_SIZE != 0) {
      throw new IllegalArgumentException("range [" + offset + ", +" + length + ") is not page-aligned");
    }
    if (length > 0) {
      Libc.mprotect(address + offset, length, protection.bits);
    }
  }

  /**
   * Asks the kernel to back the reservation with transparent huge pages where it can
   * (madvise(2) MADV_HUGEPAGE; with THP in "madvise" mode, the default of many distributions, only
   * such memory gets them): one fault and one page-table entry per 2 MiB instead of 512. For a large
   * region written once and read many times, such as a loaded artifact's copy: on this project's
   * test machine a 52 MB copy took 300-490 ms of 4 KiB page faults and 8-16 ms with huge pages
   * (docs/PERFORMANCE.md, "Loading a .cwasm"). Returns whether the kernel took the advice; a kernel
   * without THP ignores it, and the memory works as before.
   */
  public boolean adviseHugePages() {
    checkOpen();
    return Libc.madvise(address, size, Libc.MADV_HUGEPAGE);
  }

  /**
   * Releases a reservation made with {@link #reserve(long)} or {@link #reserveUnscoped}; idempotent.
   *
   * @throws IllegalStateException for one made with {@link #reserve(long, Arena)}, which lives as
   *     long as that arena
   */
  @Override
  public void close() {
    if (unscoped) {
      if (!unmapped) {
        Libc.munmap(address, size);
        unmapped = true; // a field write once the pages are gone: a close retried unmaps nothing twice
      }
      return;
    }
    if (ownArena == null) {
      throw new IllegalStateException("a reservation of " + size
          + " bytes is released with the arena it was reserved in");
    }
    SharedArenaClose.closeIfOpen(ownArena, "releasing a reservation");
  }

  private void checkOpen() {
    if (unmapped || !segment.scope().isAlive()) {
      throw new IllegalStateException("a reservation of " + size + " bytes was released");
    }
  }
}
