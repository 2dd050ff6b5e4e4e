package dev.kiln.loader.runtime;

import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A store's GC heap: one reservation of address space, readable and writable from the start but
 * backed only where touched (MAP_NORESERVE), whose objects ({@code artifact.gc.ObjectLayout})
 * compiled code allocates by bumping {@code gc_heap_top} in the store context and reaches with
 * plain loads and stores. The store context's four heap fields ({@link StoreLayout#GC_HEAP_BASE}
 * ...) describe it; this class writes them once, when the first module that has struct or array
 * types is instantiated in the store, and frees the reservation when the store closes.
 *
 * <p><b>Limits.</b> The reservation is {@link ObjectLayout#MAX_HEAP_BYTES} or the store's memory
 * limit, whichever is smaller, and counts against the store's address-space share. Bytes the
 * guest allocates count against {@link StoreLimits#maxMemoryBytes} together with its memories:
 * compiled allocation adds whole {@link ObjectLayout#CHUNK}s to {@code memory_bytes_used} before
 * it moves past {@code gc_heap_end}, and traps ({@code GC_HEAP_EXHAUSTED}) where the limit or the
 * reservation has no room.
 *
 * <p><b>No collector yet.</b> Nothing is ever freed before the store closes; a guest that keeps
 * allocating reaches its limit and traps. Pages are therefore zero when first allocated, which
 * is every field's default value (0, 0.0, null), so allocation writes only the header.
 */
final class GcHeap implements AutoCloseable {
  private final Arena arena;

  private GcHeap(Arena arena) {
    this.arena = arena;
  }

  /**
   * Reserves the heap of the store whose context is {@code context} and publishes it in the
   * context's heap fields.
   *
   * @throws ResourceLimitException if the store's address-space share has no room for it
   */
  static GcHeap reserve(MemorySegment context, StoreResources resources, String store) {
    long limit = resources.limits().maxMemoryBytes();
    long bytes = Math.max(ObjectLayout.CHUNK,
        Math.min(ObjectLayout.MAX_HEAP_BYTES, limit / ObjectLayout.CHUNK * ObjectLayout.CHUNK));
    Arena arena = Arena.ofShared();
    try {
      resources.reserveAddressSpace(bytes, "the GC heap of " + store, arena);
      VirtualMemory memory = VirtualMemory.reserve(bytes, arena);
      memory.protect(0, memory.size(), Protection.READ_WRITE);
      long base = memory.address();
      context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_BASE, base);
      context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP, base);
      context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_END, base);
      context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_LIMIT, base + bytes);
      return new GcHeap(arena);
    } catch (RuntimeException | Error e) {
      arena.close();
      throw e;
    }
  }

  /**
   * Allocates {@code bytes} (a multiple of {@link ObjectLayout#ALIGNMENT}) for the loader, by the
   * rule compiled allocation follows ({@code compiler.translate.GcObjects}): bump the top,
   * accounting whole chunks against the store's memory limit past the accounted end.
   *
   * @return the address of the zeroed bytes
   * @throws TrapException with {@code GC_HEAP_EXHAUSTED} where the limit or the reservation has no room
   */
  static long allocate(MemorySegment context, long bytes) {
    long top = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP);
    long end = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_END);
    long limit = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_LIMIT);
    if (bytes < 0 || bytes > limit - top) {
      throw new TrapException(TrapCode.GC_HEAP_EXHAUSTED, 0, new long[0]);
    }
    long newTop = top + bytes;
    if (newTop > end) {
      long grow = (newTop - end + ObjectLayout.CHUNK - 1) & -ObjectLayout.CHUNK;
      long used = context.get(ValueLayout.JAVA_LONG, StoreLayout.MEMORY_BYTES_USED);
      long allowed = context.get(ValueLayout.JAVA_LONG, StoreLayout.MEMORY_BYTES_LIMIT);
      if (Long.compareUnsigned(grow, allowed - used) > 0) {
        throw new TrapException(TrapCode.GC_HEAP_EXHAUSTED, 0, new long[0]);
      }
      context.set(ValueLayout.JAVA_LONG, StoreLayout.MEMORY_BYTES_USED, used + grow);
      context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_END, end + grow);
    }
    context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP, newTop);
    return top;
  }

  /** Unmaps the reservation and gives its address space back. */
  @Override
  public void close() {
    arena.close();
  }
}
