package dev.kiln.loader.memory;

import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.pool.MemorySlot;
import dev.kiln.loader.runtime.Described;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.sys.WasmFaults;
import dev.kiln.loader.sys.ImageFile;
import dev.kiln.loader.sys.NativeException;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One defined linear memory: an address-space reservation whose base never moves, of which the
 * first {@code pages * 64 KiB} are committed read-write (docs/ARCHITECTURE.md section 4). A 32-bit
 * memory reserves the whole 32-bit index space plus {@link MemoryGuard#LOADER_GUARD_BYTES}, whatever
 * its maximum, and registers the reservation with {@link WasmFaults}: code compiled with a {@link
 * MemoryGuard} leaves accesses within the guard unchecked, and their faults past the committed
 * pages become traps. A 64-bit memory reserves its declared maximum capped at 4 GiB, or the minimum
 * if larger, plus a 64 KiB guard so that a compiled bounds check that is off by a little faults
 * instead of touching a neighbour. Growing commits more pages; it never copies. The reservation
 * lives as long as the arena it was made in (its owner's), which unmaps it.
 *
 * <p>The memory's state is its {@code {base, length, max_length}} definition record ({@link
 * VmLayout#MEMORY_BASE}), not a Java field: compiled code grows the memory itself (the MEMORY_GROW
 * builtin commits the pages, takes them from the store's account and writes {@code length}), so
 * Java reads the size from the record every time.
 */
final class LinearMemory {
  /** Inaccessible bytes after the largest size a 64-bit memory can reach. */
  static final long GUARD_BYTES_64 = 64 * 1024;
  /** Reservation for a memory without a declared maximum: 2^32 bytes (65536 pages). */
  static final long DEFAULT_RESERVATION = 1L << 32;
  /** Pages a 32-bit memory can have at most (spec 4.2.8: 2^16). */
  static final long MAX_PAGES_32 = 1L << 16;
  /** Pages a 64-bit memory can have in Kiln (2^48 bytes of address space, the x86-64 user half). */
  static final long MAX_PAGES_64 = 1L << 32;

  private static final ValueLayout.OfLong FIELD = ValueLayout.JAVA_LONG;

  private final VirtualMemory reservation;
  private final StoreResources resources;
  private final MemorySegment definition;

  private LinearMemory(VirtualMemory reservation, StoreResources resources, MemorySegment definition) {
    this.reservation = reservation;
    this.resources = resources;
    this.definition = definition;
  }

  /**
   * Reserves and commits {@code type}'s minimum, in {@code arena}, counted against the store's
   * {@code resources} (one memory, its committed bytes) until the arena closes, and writes its
   * {@code definition} record ({@link VmLayout#MEMORY_DEFINITION_SIZE} bytes, made in the same
   * shared arena before this call: it is read when the arena closes); a 32-bit memory's reservation is
   * registered as the store's (context at {@code storeContext}) until then.
   *
   * @throws ResourceLimitException if the store may not have one more memory, or not the minimum's bytes
   */
  static LinearMemory create(MemoryType type, Arena arena, StoreResources resources, long storeContext,
      MemorySegment definition) {
    long limit = type.is64() ? MAX_PAGES_64 : MAX_PAGES_32;
    long declared = type.limits().max().orElse(limit);
    long maxPages = Math.min(declared, limit);
    long min = type.limits().min();
    if (min > maxPages) {
      throw new ModuleInstantiationException("memory of " + min + " pages exceeds the " + maxPages + "-page limit");
    }
    // At most 4 GiB unless the minimum needs more; growth past the reservation fails (returns -1),
    // which the spec allows (4.4.7: memory.grow may fail for any reason).
    long reservedPages = Math.max(min, Math.min(maxPages, DEFAULT_RESERVATION / MemoryType.PAGE_SIZE));
    resources.add(StoreResources.Kind.MEMORY, "a memory of " + min + " pages", arena);
    long reservation = type.is64() ? reservedPages * MemoryType.PAGE_SIZE + GUARD_BYTES_64
        : MemoryGuard.RESERVATION_32 + MemoryGuard.LOADER_GUARD_BYTES;
    resources.reserveAddressSpace(reservation, "a memory of " + min + " pages", arena);
    VirtualMemory reserved;
    try {
      reserved = VirtualMemory.reserve(reservation, arena);
    } catch (NativeException e) {
      // Address space, not memory: what runs out is a process limit such as ulimit -v.
      throw new ModuleInstantiationException("cannot reserve " + reservation + " bytes of address space for a memory ("
          + e.getMessage() + ")" + (type.is64() ? "" : "; every 32-bit memory reserves 4 GiB plus a guard region"));
    }
    long growablePages = Math.min(maxPages, reservedPages);
    definition.set(FIELD, VmLayout.MEMORY_BASE, reserved.address());
    definition.set(FIELD, VmLayout.MEMORY_LENGTH, 0L);
    definition.set(FIELD, VmLayout.MEMORY_MAX_LENGTH, growablePages * MemoryType.PAGE_SIZE);
    LinearMemory memory = new LinearMemory(reserved, resources, definition);
    if (!type.is64()) {
      long base = memory.base();
      WasmFaults.Registration guard = WasmFaults.registerMemory(storeContext, base, base + reservation);
      StoreResources.whenClosed(arena, guard::close);
    }
    // Whatever the memory has grown to (in Java or in compiled code) is given back when its owner's
    // arena closes. The arena's segments are closed by then, so the record is read through an
    // unscoped view; it was allocated before this cleanup was registered, and a shared arena (every
    // owner's: Instance, HostObjects) runs its cleanups and frees in reverse order of registration
    // (a confined one runs its first registration first), so the record's bytes are still there.
    MemorySegment record = MemorySegment.ofAddress(definition.address()).reinterpret(VmLayout.MEMORY_DEFINITION_SIZE);
    StoreResources.whenClosed(arena, () -> resources.memoryBytes().release(record.get(FIELD, VmLayout.MEMORY_LENGTH)));
    resources.memoryBytes().take(min * MemoryType.PAGE_SIZE, "a memory of " + min + " pages");
    memory.commit(min);
    return memory;
  }

  /**
   * A memory of {@code type}'s minimum in a pool's {@code slot} instead of a reservation of its own:
   * counted against the store's {@code resources} as {@link #create} counts (one memory, its
   * address space against the store's share, its committed bytes) until {@link #releasePooled}, and
   * able to grow to at most {@code maxPoolPages}. The slot's first {@code min} pages are made
   * read-write for the store whose context is at {@code storeContext}; they read as zero (the pool
   * emptied them when their last instance was freed).
   *
   * @throws ResourceLimitException if the store may not have one more memory, its address space or
   *     the minimum's bytes
   * @throws ModuleInstantiationException if the minimum is larger than the pool's memories may be
   */
  static LinearMemory createPooled(MemoryType type, MemorySlot slot, long maxPoolPages, StoreResources resources,
      long storeContext, MemorySegment definition, ImageFile image) {
    long limit = Math.min(type.is64() ? MAX_PAGES_64 : MAX_PAGES_32, maxPoolPages);
    long maxPages = Math.min(type.limits().max().orElse(limit), limit);
    long min = type.limits().min();
    if (min > maxPages) {
      throw new ModuleInstantiationException("memory of " + min + " pages exceeds the "
          + (min > limit ? "instance pool's " + limit + "-page limit per memory"
              + (type.is64() && limit == maxPoolPages ? " (its maxMemoryBytes, which may be larger than 4 GiB for"
                  + " 64-bit memories)" : "") : maxPages + "-page limit"));
    }
    // Made into a string only if something refuses the memory (Described)
    Described what = new Described("memory", min, "pages");
    resources.add(StoreResources.Kind.MEMORY, what);
    boolean shareTaken = false;
    boolean bytesTaken = false;
    try {
      resources.takeAddressSpaceShare(slot.region().size(), what);
      shareTaken = true;
      resources.memoryBytes().take(min * MemoryType.PAGE_SIZE, what);
      bytesTaken = true;
      slot.prepare(min * MemoryType.PAGE_SIZE, storeContext, image);
    } catch (RuntimeException | Error e) {
      if (bytesTaken) {
        resources.memoryBytes().release(min * MemoryType.PAGE_SIZE);
      }
      if (shareTaken) {
        resources.giveBackAddressSpaceShare(slot.region().size());
      }
      resources.remove(StoreResources.Kind.MEMORY);
      throw e;
    }
    definition.set(FIELD, VmLayout.MEMORY_BASE, slot.region().address());
    definition.set(FIELD, VmLayout.MEMORY_LENGTH, min * MemoryType.PAGE_SIZE);
    definition.set(FIELD, VmLayout.MEMORY_MAX_LENGTH, maxPages * MemoryType.PAGE_SIZE);
    return new LinearMemory(slot.region(), resources, definition);
  }

  /**
   * Gives back what {@link #createPooled} counted (the bytes the memory has grown to) and returns
   * that length, which the slot's reset drops.
   */
  long releasePooled() {
    long length = byteLength();
    resources.memoryBytes().release(length);
    resources.giveBackAddressSpaceShare(reservation.size());
    resources.remove(StoreResources.Kind.MEMORY);
    return length;
  }

  /**
   * Maps {@code image} copy-on-write over the start of the memory, whose committed pages must
   * cover it: the memory then reads as the image until written ({@code instance.MemoryImages}).
   */
  void mapImage(ImageFile image) {
    if (image.size() > byteLength()) {
      throw new IllegalArgumentException("an image of " + image.size() + " bytes in a memory of " + byteLength());
    }
    reservation.mapImage(image);
  }

  /** Where the memory starts; never changes. */
  long base() {
    return reservation.address();
  }

  /** Where the memory's {@code {base, length, max_length}} record is. */
  long definitionAddress() {
    return definition.address();
  }

  long pages() {
    return byteLength() / MemoryType.PAGE_SIZE;
  }

  long byteLength() {
    return definition.get(FIELD, VmLayout.MEMORY_LENGTH);
  }

  /** The committed bytes. */
  MemorySegment segment() {
    return reservation.segment().asSlice(0, byteLength());
  }

  /**
   * {@code memory.grow} (spec 4.4.7): the old size in pages, or -1 if the memory cannot grow by
   * {@code delta} pages (treated as unsigned); on failure nothing changes. New pages read as zero.
   */
  long grow(long delta) {
    long old = pages();
    long maxPages = definition.get(FIELD, VmLayout.MEMORY_MAX_LENGTH) / MemoryType.PAGE_SIZE;
    if (delta < 0 || delta > maxPages - old) {
      return -1;
    }
    if (delta > 0) {
      if (!resources.memoryBytes().tryTake(delta * MemoryType.PAGE_SIZE)) {
        return -1; // the store's memory limit (StoreLimits): the spec lets grow fail for any reason
      }
      commit(delta);
    }
    return old;
  }

  /**
   * Makes {@code delta} more pages, already taken from the store's resources, read-write; if that
   * fails they are given back.
   */
  private void commit(long delta) {
    long length = byteLength();
    try {
      reservation.protect(length, delta * MemoryType.PAGE_SIZE, Protection.READ_WRITE);
    } catch (RuntimeException | Error e) {
      resources.memoryBytes().release(delta * MemoryType.PAGE_SIZE);
      throw e;
    }
    definition.set(FIELD, VmLayout.MEMORY_LENGTH, length + delta * MemoryType.PAGE_SIZE);
  }
}
