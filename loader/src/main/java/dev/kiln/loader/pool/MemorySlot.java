package dev.kiln.loader.pool;

import dev.kiln.loader.sys.WasmFaults;
import dev.kiln.loader.sys.ImageFile;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.foreign.MemorySegment;

/**
 * One pooled linear memory's region: {@link PoolConfig#memorySlotBytes()} of address space (the
 * 32-bit index space and the loader's guard, as an on-demand 32-bit memory reserves, or a larger
 * 64-bit memory's size and the guard), of which the first {@link #accessibleBytes()} are read-write
 * and the rest {@code PROT_NONE}. The region is registered with
 * {@link WasmFaults} once, for the pool's life; each instance that takes it names its own store
 * ({@link #prepare}), so a fault past its length is that store's trap.
 *
 * <p>Between instances every byte the last instance could have written is emptied ({@link #reset}),
 * never unmapped, and the protection is kept: the next instance changes only the pages between the
 * old and the new length, so a module instantiated again and again at the same size makes no
 * {@code mprotect} at all. The first {@link #KEEP_RESIDENT_BYTES} are emptied in place (the image's
 * bytes copied back over its part, zeros written over the rest), the pages past them dropped with
 * {@code madvise(MADV_DONTNEED)}, after which they read as zero or as the image.
 *
 * <p>Why in place: {@code madvise(MADV_DONTNEED)} removes the pages from the TLB of every core
 * that ran the process (an inter-processor interrupt each, Linux's {@code flush_tlb_mm_range}), and
 * the next instance's first store to each page faults a page in again. Measured on the 2-core
 * machine with {@code scripts/cycle-soak}'s memory module (one 64 KiB memory, an 8 KiB image),
 * the release's madvise was 417 of 652 native samples of two cycling threads, the next instance's
 * fault most of the rest, and {@code perf stat} counted 2 TLB flushes and 1.7 page faults a cycle;
 * the CPU a cycle quadrupled from one thread to two. Writing 64 KiB costs a few microseconds and
 * no other core; past that a large memory's untouched pages would cost more to write than to drop.
 *
 * <p>Used by one instance at a time (the pool hands the slot to one owner), under its store's claim.
 */
public final class MemorySlot {
  /**
   * Bytes from the start emptied in place by {@link #reset}: one WebAssembly page. They stay
   * resident between instances (at most this much a slot); the rest is handed back to the kernel.
   */
  static final long KEEP_RESIDENT_BYTES = 64 << 10;
  private final VirtualMemory region;
  private final WasmFaults.Registration guard;
  /** Bytes from the start that are read-write now. */
  private long accessible;
  /** The memory image mapped at the start of the region, or null (anonymous pages throughout). */
  private ImageFile mappedImage;

  MemorySlot(VirtualMemory region) {
    this.region = region;
    this.guard = WasmFaults.registerMemory(0, region.address(), region.address() + region.size());
  }

  /** The region's guard-fault entry, removed when the pool's mappings go. */
  WasmFaults.Registration guard() {
    return guard;
  }

  /** The whole region; only its first {@link #accessibleBytes()} may be touched. */
  public VirtualMemory region() {
    return region;
  }

  /** Bytes from the start that are read-write now. */
  public long accessibleBytes() {
    return accessible;
  }

  /**
   * Makes exactly the first {@code bytes} (whole pages) read-write for an instance of the store whose
   * context is at {@code storeContext}, and names that store for guard faults in the region.
   */
  public void prepare(long bytes, long storeContext) {
    prepare(bytes, storeContext, null);
  }

  /**
   * {@link #prepare(long, long)} with {@code image} (or null) mapped copy-on-write over the start:
   * a slot that has it mapped already (its last instance was of the same module) keeps the mapping,
   * which its reset returned to the image's bytes, so an instance of the same module again costs
   * no system call; another image, or none, replaces the old one's pages with fresh inaccessible
   * ones first.
   */
  public void prepare(long bytes, long storeContext, ImageFile image) {
    if (image != null && image.size() > bytes) {
      throw new IllegalArgumentException("an image of " + image.size() + " bytes in a memory of " + bytes);
    }
    if (mappedImage != null && mappedImage != image) {
      region.unmapImage(0, Math.max(accessible, mappedImage.size()));
      mappedImage = null;
      accessible = 0;
    }
    if (bytes > accessible) {
      region.protect(accessible, bytes - accessible, Protection.READ_WRITE);
    } else if (bytes < accessible) {
      region.protect(bytes, accessible - bytes, Protection.NONE);
    }
    accessible = bytes;
    if (image != null && mappedImage == null) {
      region.mapImage(image);
      mappedImage = image;
    }
    guard.retarget(storeContext);
  }

  /**
   * Records that the instance's memory grew to {@code bytes} (compiled code commits the pages with
   * {@code mprotect} itself; the slot learns the new length when the memory is released).
   */
  void grewTo(long bytes) {
    accessible = Math.max(accessible, bytes);
  }

  /**
   * Empties every byte the last instance could have written ({@code [0, length)}, the memory's
   * largest length): from then on each reads as the image where one is mapped, zero elsewhere.
   * The first {@link #KEEP_RESIDENT_BYTES} are rewritten in place, the rest dropped (madvise(2): a
   * private file mapping's dropped page is read from the file again, an anonymous one is zero).
   */
  void reset(long lengthAtRelease) {
    grewTo(lengthAtRelease);
    long inPlace = Math.min(accessible, KEEP_RESIDENT_BYTES);
    long imaged = mappedImage == null ? 0 : Math.min(mappedImage.size(), inPlace);
    MemorySegment bytes = region.segment();
    if (imaged > 0) {
      MemorySegment.copy(mappedImage.contents(), 0, bytes, 0, imaged);
    }
    bytes.asSlice(imaged, inPlace - imaged).fill((byte) 0);
    region.discard(inPlace, accessible - inPlace);
  }
}
