package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.GuardedUpcall;
import dev.kiln.loader.exec.UpcallShape;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One store's entry for compiled code's allocation slow path ({@code Builtin.GC_ALLOCATE}): an
 * upcall that asks the store's {@link GcHeap} for the bytes, collecting with the wasm frames'
 * stack-map slots ({@link WasmFrameRoots}) among the roots.
 *
 * <p><b>Nested activations.</b> The roots in wasm frames are those of every activation of the
 * store: the running one's, from the slow path's frame up to the innermost entry, and each one's
 * that waits in a host call ({@link SuspendedActivations}: wasm called the host, which called wasm
 * of this store again), from its wasm-to-array trampoline's frame up to its own entry. The host
 * function's Java frames between them hold only handles, which are roots already. A collection is
 * refused (the slow path only grows the heap, within the memory limit, and fails with the {@code
 * gc_heap_exhausted} trap where growing does not suffice; counted in {@link #refusals}) only while
 * an activation waits whose frames were not recorded: see {@link SuspendedActivations#unwalkable}.
 *
 * <p>A walk that finds what compiled code does not leave ({@link FrameWalkException}) fails the
 * allocation: the store records why, and the trap the allocation raises reports that ({@code
 * GC_FRAME_WALK_FAILED}) instead of an out-of-memory trap.
 *
 * <p>The upcall must not throw (an exception would stop the JVM): any failure returns 0, which
 * compiled code traps on; its guard ({@link GuardedUpcall}) answers 0 for whatever escapes.
 */
final class GcSlowPath {
  private static final GuardedUpcall ALLOCATE;

  static {
    try {
      ALLOCATE = GuardedUpcall.of(MethodHandles.lookup().findStatic(GcSlowPath.class, "allocate", UpcallShape.TYPE), 0);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What the slow path needs of its store, read at each call. */
  interface Store {
    /** The store's heap, or null when it has none or is closed. */
    GcHeap heap();

    /**
     * The chains of wasm frames of every activation, innermost first, the running one's from the
     * frame {@code runningFp} ({@link WasmFrameRoots.Chain}); null when an activation cannot be
     * walked, having said why ({@link SuspendedActivations#unwalkable}).
     */
    List<WasmFrameRoots.Chain> chains(long runningFp);

    /** Every module's code the store runs. */
    List<CodeRegion> regions();

    /** Records why the walk failed, for the trap the failed allocation raises. */
    void walkFailed(FrameWalkException failure);

    /** The roots outside the wasm frames: globals, tables, handles. */
    List<GcRoots> otherRoots();

    /** Each runtime type id's object shape. */
    GcCollector.Shape shape(int typeId);
  }

  private final MemorySegment context;
  private final Store store;
  /** The store's monitor, which its host-side collection and allocation hold too. */
  private final Object lock;
  private Executor installedFor;
  private long refusals;
  /** The frame pointer the slow path under way left in {@code trap_fp}; written and read under the lock. */
  private long runningFp;
  /** The store's shapes, made once as {@link #rootsOfRunningCode} is. */
  private final IntFunction<GcCollector.Shape> shapes;
  /** {@link #rootsOfRunningCode}, made once: the slow path hands it to the heap on every call. */
  private final Supplier<List<GcRoots>> rootsOfRunningCode = this::rootsOfRunningCode;

  GcSlowPath(MemorySegment context, Store store, Object lock) {
    this.context = context;
    this.store = store;
    this.shapes = store::shape;
    this.lock = lock;
  }

  /**
   * Points the store context's {@code gc_allocate} at the upcall of code {@code executor} runs (once
   * per store: a store runs GC code of one target), which finds this object through {@code
   * upcalls}, the store's entry in {@link UpcallRegistry}. The stub is the executor's, for every
   * store, its target static: one bound to this object was a JNI global root that kept the store
   * for the JVM's life (red team 24 F1).
   *
   * @throws IllegalStateException if it was installed for another executor
   */
  synchronized void install(Executor executor, StoreUpcalls upcalls) {
    if (installedFor == executor) {
      return;
    }
    if (installedFor != null) {
      throw new IllegalStateException("this store already runs GC code of another target;"
          + " a store runs such code of one target");
    }
    upcalls.gcSlowPath(this);
    context.set(JAVA_LONG, StoreLayout.GC_ALLOCATE,
        executor.staticHostFunction(ALLOCATE).address());
    installedFor = executor;
  }

  /**
   * The upcall, {@code gc_allocate(vmctx, bytes)} for every store: the address of {@code bytes}
   * zeroed bytes of the heap of the store whose context {@code vmctx} names ({@link
   * UpcallRegistry}), or 0 (compiled code traps), also when no open store's is named. The slow
   * path's trampoline left its frame pointer in {@code trap_fp}. The frame chains are found only
   * when the heap collects ({@link #rootsOfRunningCode}): most slow paths only account a chunk.
   * Its guard answers 0 for whatever else it throws.
   */
  private static long allocate(long vmctx, long bytes, long unused1, long unused2, long unused3) {
    GcSlowPath slowPath = null;
    try {
      slowPath = UpcallRegistry.gcSlowPathOf(vmctx);
      return slowPath == null ? 0 : slowPath.allocate(bytes);
    } catch (FrameWalkException failed) {
      slowPath.store.walkFailed(failed);
      return 0;
    }
  }

  /** {@link #allocate(long, long, long, long, long)} in the store found; under its lock. */
  private long allocate(long bytes) {
    synchronized (lock) {
      GcHeap heap = store.heap();
      if (heap == null) {
        return 0;
      }
      runningFp = context.get(JAVA_LONG, StoreLayout.TRAP_FP);
      return heap.allocateSlow(context, bytes, rootsOfRunningCode, shapes);
    }
  }

  /**
   * Every root of a collection at the slow path under way (from {@link #runningFp}), or null, the
   * refusal counted, when an activation's frames cannot be walked. Called under the lock.
   */
  private List<GcRoots> rootsOfRunningCode() {
    List<WasmFrameRoots.Chain> chains = store.chains(runningFp);
    if (chains == null) {
      refusals++;
      return null;
    }
    List<GcRoots> roots = new ArrayList<>(store.otherRoots());
    roots.add(WasmFrameRoots.walk(chains, store.regions()));
    return roots;
  }

  /** How many slow paths due to collect could not (an activation whose frames were not recorded waits). */
  long refusals() {
    synchronized (lock) {
      return refusals;
    }
  }
}
