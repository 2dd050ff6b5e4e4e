package dev.kiln.loader.runtime;

import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.function.IntFunction;

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
 * <p><b>Semispaces.</b> The reservation is two halves of equal size; objects are allocated in one
 * (the context's {@code [gc_heap_base, gc_heap_limit)}) and a collection ({@link #collect},
 * {@link GcCollector}) copies the live ones into the other, which becomes the current one, and then
 * zeroes what the old one used. So the bytes past {@code gc_heap_top} are always zero, every field's
 * default value (0, 0.0, null), and allocation writes only the header. The accounted part
 * shrinks to the live bytes' chunks at each collection, giving the rest back to the store's memory
 * limit.
 *
 * <p><b>The slow path.</b> Compiled code bumps the top only up to the context's {@code gc_heap_end};
 * past it, it calls {@link #allocateSlow} (through {@code Builtin.GC_ALLOCATE}), which accounts more
 * chunks, or collects first when the accounted part would pass twice the bytes the last collection
 * left live (at least {@link #MIN_COLLECTION_BYTES}), or when the semispace or the memory limit has
 * no room; it fails (compiled code traps {@code gc_heap_exhausted}) only when the object does not fit
 * even after a collection. In the debug mode that collects at every slow path ({@link
 * GcStress}), the context's {@code gc_heap_end} is kept at the top, so every compiled allocation
 * takes the slow path and collects; the accounted end is this object's {@link #accountedEnd}
 * either way.
 *
 * <p><b>A collection stopped half way.</b> From the first root a collection relocates until the
 * context names the copies, the heap is inconsistent: some roots name the new semispace, the old
 * one's copied objects have forwarding headers where compiled code reads a type id and a length,
 * and the context still names the old one. A throwable can stop it there (an {@code
 * OutOfMemoryError} of the embedder's Java heap, a {@code StackOverflowError}, a bug), and nothing
 * can undo what it did, so the heap is damaged for good ({@link #damage}, issue 35): the store's
 * entries are refused from before the first root moves until the collection ends ({@link
 * StoreEntries#heapMoving}, a flag the failure leaves set), compiled allocation can no longer bump
 * (the context's end and limit at the top), and every way in here refuses ({@link #requireIntact}),
 * until the store's close frees the heap.
 */
final class GcHeap implements AutoCloseable {
  /**
   * The accounted part a heap grows to before its first collection, and below which it never
   * collects for growth alone: small heaps grow rather than collect at every chunk.
   */
  static final long MIN_COLLECTION_BYTES = 16 * ObjectLayout.CHUNK;

  /**
   * The heap's pages, in no arena: only the store's code and the loader under the store's claim
   * touch them, so their unmap needs no all-thread handshake (a shared arena's close made one per
   * store with a GC heap).
   */
  private final VirtualMemory memory;
  /** What was taken from the address-space budgets, given back by {@link #close()} once. */
  private final StoreResources resources;
  private boolean budgetsReleased;
  private final long reservation;
  private final long semispace;
  private final boolean collectAlways;
  /** The end of the accounted part of the current semispace (see the class documentation). */
  private long accountedEnd;
  /** The accounted size past which the slow path collects before it grows. */
  private long collectAt = MIN_COLLECTION_BYTES;
  private final GcPauses pauses = new GcPauses();
  /** Told at the end of each collection which tags the live exception objects carry. */
  private final AfterCollection afterCollection;
  /** Told when a collection starts moving objects and when it has finished: the store's entries. */
  private final StoreEntries entries;
  /** The store's name, for the message of a damaged heap. */
  private final String store;
  /**
   * What stopped a collection half way, or null: written by the handler of that collection's
   * frame, a field write no throwable can stop. Read under the store's lock, as every collection
   * runs.
   */
  private Throwable damage;

  /** What the store learns from each collection. */
  @FunctionalInterface
  interface AfterCollection {
    /**
     * A collection ended, {@code liveBytes} live, the live exception objects carrying the tags in
     * {@code liveTags} ({@link TagRegistry#collected}).
     */
    void collected(LiveTags liveTags, long liveBytes);
  }

  private GcHeap(VirtualMemory memory, StoreResources resources, long semispace, boolean collectAlways,
      AfterCollection afterCollection, StoreEntries entries, String store) {
    this.memory = memory;
    this.resources = resources;
    this.reservation = memory.address();
    this.semispace = semispace;
    this.collectAlways = collectAlways;
    this.accountedEnd = reservation;
    this.afterCollection = afterCollection;
    this.entries = entries;
    this.store = store;
  }

  /**
   * Reserves the heap of the store whose context is {@code context} and publishes it in the
   * context's heap fields; {@code afterCollection} is told the outcome of each collection, and
   * {@code entries} refuses entries while one moves objects.
   *
   * @throws ResourceLimitException if the store's address-space share has no room for it
   */
  static GcHeap reserve(MemorySegment context, StoreResources resources, String store, boolean collectAlways,
      AfterCollection afterCollection, StoreEntries entries) {
    long limit = resources.limits().maxMemoryBytes();
    long semispace = Math.max(ObjectLayout.CHUNK,
        Math.min(ObjectLayout.MAX_HEAP_BYTES, limit / ObjectLayout.CHUNK * ObjectLayout.CHUNK));
    long bytes = 2 * semispace;
    resources.reserveAddressSpace(bytes, "the GC heap of " + store);
    VirtualMemory memory = null;
    try {
      memory = VirtualMemory.reserveUnscoped(bytes);
      memory.protect(0, memory.size(), Protection.READ_WRITE);
      long base = memory.address();
      context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_BASE, base);
      context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP, base);
      context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_END, base);
      context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_LIMIT, base + semispace);
      return new GcHeap(memory, resources, semispace, collectAlways, afterCollection, entries, store);
    } catch (RuntimeException | Error e) {
      if (memory != null) {
        memory.close();
      }
      resources.releaseAddressSpace(bytes);
      throw e;
    }
  }

  /**
   * Allocates {@code bytes} (a multiple of {@link ObjectLayout#ALIGNMENT}) for the loader, without
   * collecting (the loader's objects under construction are roots nobody registered).
   *
   * @return the address of the zeroed bytes
   * @throws TrapException with {@code GC_HEAP_EXHAUSTED} where the limit or the reservation has no room
   * @throws IllegalStateException if the heap is damaged ({@link #requireIntact})
   */
  long allocate(MemorySegment context, long bytes) {
    requireIntact();
    long object = bump(context, bytes);
    if (object == 0) {
      throw new TrapException(TrapCode.GC_HEAP_EXHAUSTED, 0, new long[0]);
    }
    return object;
  }

  /**
   * The slow path of compiled allocation ({@code Builtin.GC_ALLOCATE}): {@code bytes} zeroed bytes,
   * after a collection where the class documentation says; 0 when they do not fit. {@code roots}
   * gives every root of a collection, asked only when one is due (most slow paths only account
   * another chunk), and answers null when the store cannot collect now (an outer activation's frames
   * are not walked: {@link GcSlowPath}); {@code roots} itself is null when that is known before.
   * Without roots the heap only grows. A damaged heap ({@link #requireIntact}) gives 0 without
   * roots ({@link #refuseAllocation}) and refuses its collection with them.
   */
  long allocateSlow(MemorySegment context, long bytes, java.util.function.Supplier<List<GcRoots>> roots,
      IntFunction<GcCollector.Shape> shapes) {
    if (bytes <= 0 || (bytes & (ObjectLayout.ALIGNMENT - 1)) != 0 || bytes > semispace) {
      return 0;
    }
    boolean asked = false;
    long top = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP);
    long base = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_BASE);
    if (roots != null && (collectAlways || top + bytes - base > collectAt)) {
      asked = true;
      collectWith(context, shapes, roots);
    }
    long object = bump(context, bytes);
    if (object == 0 && roots != null && !asked && collectWith(context, shapes, roots)) {
      object = bump(context, bytes);
    }
    return object;
  }

  /** Collects with the roots {@code roots} gives, unless it gives none; returns whether it collected. */
  private boolean collectWith(MemorySegment context, IntFunction<GcCollector.Shape> shapes,
      java.util.function.Supplier<List<GcRoots>> roots) {
    // the pause starts with the walk of the roots: the store's code is stopped for both
    long start = System.nanoTime();
    List<GcRoots> all = roots.get();
    if (all == null) {
      return false;
    }
    collect(context, shapes, all, collectAlways, start, null);
    return true;
  }

  /** Whether this heap collects at every slow path (the debug mode, {@link GcStress}). */
  boolean collectsAlways() {
    return collectAlways;
  }

  /** How many collections this heap has made. */
  long collections() {
    return pauses.collections();
  }

  /** Each collection's pause and the live bytes it copied ({@link GcPauses}). */
  GcPauses.Snapshot pauses() {
    return pauses.snapshot();
  }

  /**
   * Moves the top by {@code bytes}, accounting whole chunks against the store's memory limit past
   * the accounted end; returns the old top, or 0 (nothing changed) where the semispace or the limit
   * has no room.
   */
  private long bump(MemorySegment context, long bytes) {
    long top = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP);
    long limit = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_LIMIT);
    if (bytes < 0 || bytes > limit - top) {
      return 0;
    }
    long newTop = top + bytes;
    if (newTop > accountedEnd) {
      long grow = (newTop - accountedEnd + ObjectLayout.CHUNK - 1) & -ObjectLayout.CHUNK;
      long used = context.get(ValueLayout.JAVA_LONG, StoreLayout.MEMORY_BYTES_USED);
      long allowed = context.get(ValueLayout.JAVA_LONG, StoreLayout.MEMORY_BYTES_LIMIT);
      if (Long.compareUnsigned(grow, allowed - used) > 0) {
        return 0;
      }
      context.set(ValueLayout.JAVA_LONG, StoreLayout.MEMORY_BYTES_USED, used + grow);
      accountedEnd += grow;
    }
    context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP, newTop);
    publishEnd(context);
    return top;
  }

  /** The end compiled code bumps up to: the accounted end, or the top itself when every allocation must take the slow path. */
  private void publishEnd(MemorySegment context) {
    context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_END,
        collectAlways ? context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP) : accountedEnd);
  }

  /**
   * Collects the heap of the store whose context is {@code context}: copies what {@code roots}
   * reach into the other semispace (then tells each of them that is also a {@link GcWeakRoots}
   * where its weak words went), makes it the current one, zeroes the old one's used bytes and
   * gives the freed chunks back to the memory limit, and tells the store which tags the live
   * exception objects carry ({@link AfterCollection}). With {@code verify}, checks the result ({@link
   * HeapVerifier}). The store must run no code meanwhile (its caller holds it exclusively).
   *
   * @return the live bytes
   * @throws IllegalStateException if a root or object is not what the heap's layout says (a damaged
   *     heap), or the verifier finds a violation, or an earlier collection was stopped half way
   *     ({@link #requireIntact})
   */
  long collect(MemorySegment context, IntFunction<GcCollector.Shape> shapes, List<GcRoots> roots, boolean verify) {
    return collect(context, shapes, roots, verify, System.nanoTime(), null);
  }

  /**
   * {@link #collect(MemorySegment, IntFunction, List, boolean)} with an owner decision: {@code
   * owners} sees every word relocated that is no heap object, and the roots of each candidate it
   * finds reached are relocated too, until none is new. The caller verifies afterwards if it wants
   * to, with the roots that stay (an unreached candidate's roots were not rewritten).
   */
  long collectDeciding(MemorySegment context, IntFunction<GcCollector.Shape> shapes, List<GcRoots> roots,
      HeapHeldOwners owners) {
    return collect(context, shapes, roots, false, System.nanoTime(), owners);
  }

  /** {@link #collect(MemorySegment, IntFunction, List, boolean)}, its pause counted from {@code startNanos}. */
  private long collect(MemorySegment context, IntFunction<GcCollector.Shape> shapes, List<GcRoots> roots,
      boolean verify, long startNanos, HeapHeldOwners owners) {
    requireIntact();
    long fromStart = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_BASE);
    long fromTop = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP);
    long toStart = fromStart == reservation ? reservation + semispace : reservation;
    GcCollector collector = new GcCollector(shapes, reservation, fromStart, fromTop, toStart, toStart + semispace,
        owners);
    // Entries refused before the first word moves, and let in again only once the context names the
    // copies: a throwable anywhere between (the roots' own code, the copying, the weak roots' maps)
    // leaves them refused, and the handler records why and stops compiled allocation (see the class
    // documentation). If this call throws, nothing has moved yet.
    entries.heapMoving();
    long toTop;
    try {
      toTop = move(context, collector, roots, owners, fromStart, fromTop, toStart);
      entries.heapSettled();
    } catch (Throwable stopped) {
      damage = stopped; // first: a field write, which no throwable can stop
      refuseAllocation(context);
      throw stopped;
    }
    collectAt = Math.max(MIN_COLLECTION_BYTES, 2 * (toTop - toStart));
    pauses.record(System.nanoTime() - startNanos, toTop - toStart);
    afterCollection.collected(collector.liveTags(), toTop - toStart);
    if (verify) {
      verify(context, shapes, roots, new long[0]);
    }
    return toTop - toStart;
  }

  /**
   * The copying of {@link #collect}: every root and what it reaches into the semispace at {@code
   * toStart}, the weak roots told, the old semispace zeroed and the context switched to the new
   * one; returns the new top. Leaves the heap inconsistent if it throws.
   */
  private long move(MemorySegment context, GcCollector collector, List<GcRoots> roots, HeapHeldOwners owners,
      long fromStart, long fromTop, long toStart) {
    long fromEnd = accountedEnd;
    for (GcRoots set : roots) {
      set.relocate(collector::relocate);
    }
    long toTop = collector.finish();
    if (owners != null) {
      for (List<GcRoots> more = owners.takeReachedRoots(); !more.isEmpty(); more = owners.takeReachedRoots()) {
        for (GcRoots set : more) {
          set.relocate(collector::relocate);
        }
        toTop = collector.finish();
      }
    }
    for (GcRoots set : roots) {
      if (set instanceof GcWeakRoots weak) {
        weak.retain(collector::survivor);
      }
    }
    // what the old semispace used back to zero (allocation's invariant), its chunks back to the limit
    MemorySegment.ofAddress(fromStart).reinterpret(fromTop - fromStart).fill((byte) 0);
    long toEnd = toStart + ((toTop - toStart + ObjectLayout.CHUNK - 1) & -ObjectLayout.CHUNK);
    long used = context.get(ValueLayout.JAVA_LONG, StoreLayout.MEMORY_BYTES_USED);
    context.set(ValueLayout.JAVA_LONG, StoreLayout.MEMORY_BYTES_USED, used - (fromEnd - fromStart) + (toEnd - toStart));
    context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_BASE, toStart);
    context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP, toTop);
    context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_LIMIT, toStart + semispace);
    accountedEnd = toEnd;
    publishEnd(context);
    return toTop;
  }

  /**
   * After a collection stopped half way: the context's end and limit at its top, so compiled code's
   * inline bump never succeeds and every allocation takes the slow path, which gives 0 (a trap).
   */
  private static void refuseAllocation(MemorySegment context) {
    long top = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP);
    context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_END, top);
    context.set(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_LIMIT, top);
  }

  /** What stopped a collection half way, or null while the heap is intact. */
  Throwable damage() {
    return damage;
  }

  /**
   * Refuses to read or change a heap a collection stopped half way: its words cannot be trusted.
   *
   * @throws IllegalStateException naming the store and what stopped the collection
   */
  void requireIntact() {
    if (damage != null) {
      throw damagedException();
    }
  }

  /** The refusal of everything a damaged heap's store is asked to run or read ({@link #requireIntact}). */
  IllegalStateException damagedException() {
    return new IllegalStateException(store + ": a garbage collection failed half way (" + damage
        + ") and left its GC heap inconsistent; close the store", damage);
  }

  /**
   * Checks the current semispace ({@link HeapVerifier}) with {@code roots} and {@code held}; returns the object count.
   *
   * @throws IllegalStateException if the heap is damaged ({@link #requireIntact})
   */
  int verify(MemorySegment context, IntFunction<GcCollector.Shape> shapes, List<GcRoots> roots, long[] held) {
    requireIntact();
    long start = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_BASE);
    long top = context.get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP);
    return new HeapVerifier(shapes, reservation, reservation + 2 * semispace, start, top).verify(check -> {
      roots.forEach(set -> set.relocate(word -> {
        check.accept(word);
        return word;
      }));
      for (long word : held) {
        check.accept(word);
      }
    });
  }

  /** Whether {@code word} lies in the reservation: either semispace, used or not. */
  boolean reserves(long word) {
    return Long.compareUnsigned(word - reservation, 2 * semispace) < 0;
  }

  /**
   * Unmaps the reservation and gives its address space back, each once: a store's close that was
   * interrupted is made again (issue 35). Called by the store's close, under its claim.
   */
  @Override
  public void close() {
    memory.close();
    if (!budgetsReleased) {
      resources.releaseAddressSpace(2 * semispace);
      budgetsReleased = true;
    }
  }
}
