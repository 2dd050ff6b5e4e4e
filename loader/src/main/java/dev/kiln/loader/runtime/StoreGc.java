package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.gc.ReferenceWord;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.runtime.NativeStore.ObjectKind;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A store's garbage-collected heap and what its collections need: the {@link GcHeap} reserved by
 * the first instance whose module has struct or array types or throws (or by the first host word
 * checked against it, or a host's throw into wasm), compiled code's allocation slow path ({@link
 * GcSlowPath}) and a host throw's ({@link #hostThrowAllocation}), the roots outside the heap
 * (registered ones, the API's {@link ObjectHandles}, the exceptions the exception runtime holds),
 * each type's object shape,
 * and the chains of wasm frames of the store's activations a collection walks. {@link StoreGcAccess}
 * and {@link NativeStore} call it under the store's lock after checking that it is open, except
 * where a method says otherwise.
 */
final class StoreGc {
  /** Every address, for the ValRaw slots of a host call's arguments. */
  private static final MemorySegment ALL_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

  private final NativeStore store;
  private final MemorySegment context;
  private final StoreResources resources;
  private final RuntimeTypes types;
  /** The activations waiting in host calls of this store, for the collector's frame walk. */
  private final SuspendedActivations suspended;
  /**
   * The store's GC heap, reserved by the first instance whose module has struct or array types or
   * throws, or by a host's throw into wasm.
   */
  private GcHeap gcHeap;
  private GcSlowPath gcSlowPath;
  /** The GC roots outside the heap ({@link #registerGcRoots}), in registration order. */
  private final List<GcRoots> gcRoots = new ArrayList<>();
  /**
   * The instance each of {@link #gcRoots} belongs to, where one does: an owner decision leaves them
   * out. Made by the first such registration, and small: a store of the instance-per-request cycle
   * (issue 41) holds one instance, while an identity map's default table has 64 slots (312 bytes a
   * store); the map grows when more instances come.
   */
  private Map<GcRoots, Lifetime> rootOwners;
  /** Each runtime type id's object shape, computed on first use. */
  private final Map<Integer, GcCollector.Shape> gcShapes = new HashMap<>();
  /** Why the last collection's frame walk failed, until the trap of its allocation reports it. */
  private FrameWalkException frameWalkFailure;

  StoreGc(NativeStore store, MemorySegment context, StoreResources resources, RuntimeTypes types,
      SuspendedActivations suspended) {
    this.store = store;
    this.context = context;
    this.resources = resources;
    this.types = types;
    this.suspended = suspended;
  }

  /** {@link NativeStore#ensureGcHeap}. */
  void ensureGcHeap() {
    if (gcHeap == null) {
      gcHeap = GcHeap.reserve(context, resources, store.toString(), GcStress.enabled(),
          (liveTags, liveBytes) -> store.tagRegistry().collected(liveTags, liveBytes), store.entries());
      store.closeWithStore(gcHeap);
    }
  }

  /**
   * Whether the heap holds any object, live or not yet collected: without one, no exception object
   * names a tag ({@link TagRegistry#release}).
   */
  boolean holdsObjects() {
    return gcHeap != null && context.get(JAVA_LONG, StoreLayout.GC_HEAP_TOP) != context.get(JAVA_LONG,
        StoreLayout.GC_HEAP_BASE);
  }

  /**
   * Whether a collection was stopped half way and left the heap damaged for good ({@link
   * GcHeap#requireIntact}): what is done only when due (an owner decision, a stress collection)
   * is then skipped, not refused.
   */
  boolean heapDamaged() {
    return gcHeap != null && gcHeap.damage() != null;
  }

  /** {@link NativeStore#heapDamagedException}. */
  IllegalStateException damagedException() {
    return gcHeap.damagedException();
  }

  /** {@link NativeStore#inGcHeap}. */
  boolean inGcHeap(long word) {
    if (ReferenceWord.isI31(word)) {
      return false;
    }
    ensureGcHeap();
    gcHeap.requireIntact();
    return gcHeap.reserves(word);
  }

  /** {@link NativeStore#objectKind}. */
  ObjectKind objectKind(long word) {
    if (gcHeap != null) {
      gcHeap.requireIntact(); // a damaged heap's headers may be forwarding words
    }
    long base = context.get(JAVA_LONG, StoreLayout.GC_HEAP_BASE);
    long top = context.get(JAVA_LONG, StoreLayout.GC_HEAP_TOP);
    if (word == 0 || (word & (ObjectLayout.ALIGNMENT - 1)) != 0
        || Long.compareUnsigned(word - base, top - base) >= 0) {
      return ObjectKind.NONE;
    }
    ObjectLayout.Kind kind = ObjectLayout.kindOf(
        MemorySegment.ofAddress(word).reinterpret(ObjectLayout.FIELDS).get(JAVA_INT, ObjectLayout.LENGTH));
    if (kind == null) {
      throw new IllegalStateException("an object of " + store + "'s GC heap has a header of no kind (a damaged heap)");
    }
    // An if-chain, not a switch: javac compiles a switch over another class's enum to a numbered
    // class of switch maps with an initialiser, which CallPathClasses would have to name by number
    return kind == ObjectLayout.Kind.STRUCT ? ObjectKind.STRUCT
        : kind == ObjectLayout.Kind.ARRAY ? ObjectKind.ARRAY
        : ObjectKind.EXCEPTION;
  }

  /** {@link NativeStore#allocateObject}. */
  long allocateObject(long bytes) {
    if (gcHeap == null) {
      throw new IllegalStateException(store + " has no GC heap");
    }
    return gcHeap.allocate(context, bytes);
  }

  /** {@link NativeStore#installGcSlowPath}. */
  void installGcSlowPath(Executor executor) {
    if (gcSlowPath == null) {
      gcSlowPath = new GcSlowPath(context, new GcSlowPath.Store() {
        @Override
        public GcHeap heap() {
          return store.isClosed() ? null : gcHeap;
        }

        @Override
        public List<WasmFrameRoots.Chain> chains(long runningFp) {
          return frameChains(runningFp);
        }

        @Override
        public List<CodeRegion> regions() {
          return store.codeRegions();
        }

        @Override
        public void walkFailed(FrameWalkException failure) {
          frameWalkFailure = failure;
        }

        @Override
        public List<GcRoots> otherRoots() {
          return allGcRoots();
        }

        @Override
        public GcCollector.Shape shape(int typeId) {
          return gcShape(typeId);
        }
      }, store);
    }
    gcSlowPath.install(executor, store.upcalls());
  }

  /** Why the last collection's frame walk failed, or null; cleared. Called by the entry's thread. */
  FrameWalkException takeFrameWalkFailure() {
    FrameWalkException failure = frameWalkFailure;
    frameWalkFailure = null;
    return failure;
  }

  /**
   * The chains of wasm frames of every activation of the store, innermost first: from {@code
   * runningFp} up to the innermost entry when wasm runs (nonzero: the slow path's frame), then
   * each one waiting in a host call; null, with the refusal counted, when one cannot be walked
   * ({@link SuspendedActivations#unwalkable}).
   */
  private List<WasmFrameRoots.Chain> frameChains(long runningFp) {
    suspended.resumeReturned(store);
    if (suspended.unwalkable(store.entries().depth(), runningFp != 0) != null) {
      return null;
    }
    List<WasmFrameRoots.Chain> chains = new ArrayList<>();
    if (runningFp != 0) {
      chains.add(new WasmFrameRoots.Chain(runningFp, context.get(JAVA_LONG, StoreLayout.ENTRY_FP)));
    }
    for (SuspendedActivations.Suspended s : suspended.innermostFirst()) {
      chains.add(new WasmFrameRoots.Chain(s.exitFp(), s.entryFp()));
    }
    return chains;
  }

  /**
   * In the debug mode that collects at every safepoint ({@link GcStress}), collects with every
   * activation's frames among the roots: a call out to the host is a call safepoint of every wasm
   * frame on the stack ({@link NativeStore#hostCallEntered}), and the call's reference arguments,
   * already in their ValRaw slots at {@code values} (slots {@code referenceSlots}), which no stack
   * map names: the host function reads them after this collection (apifuzz N2: an externref
   * argument arrived as its old address). Takes the store's lock itself.
   *
   * @throws TrapException with {@code GC_FRAME_WALK_FAILED} if the walk found frames compiled code
   *     does not leave
   */
  void collectAtHostCallInDebugMode(long values, int[] referenceSlots) {
    GcHeap heap;
    synchronized (store) {
      heap = store.isClosed() ? null : gcHeap;
    }
    if (heap == null || !heap.collectsAlways()) {
      return;
    }
    synchronized (store) {
      List<WasmFrameRoots.Chain> chains = frameChains(0);
      if (chains == null) {
        return;
      }
      try {
        List<GcRoots> roots = allGcRoots();
        roots.add(WasmFrameRoots.walk(chains, store.codeRegions()));
        roots.add(relocate -> {
          for (int slot : referenceSlots) {
            long at = values + (long) slot * ValRaw.SIZE;
            ALL_MEMORY.set(JAVA_LONG, at, relocate.applyAsLong(ALL_MEMORY.get(JAVA_LONG, at)));
          }
        });
        heap.collect(context, this::gcShape, roots, true);
      } catch (FrameWalkException failed) {
        throw new TrapException(TrapCode.GC_FRAME_WALK_FAILED, 0, new long[0], store.codeRegions(), failed);
      }
    }
  }

  /** {@link NativeStore#gcPauses}. */
  GcPauses.Snapshot pauses() {
    return gcHeap == null ? new GcPauses().snapshot() : gcHeap.pauses();
  }

  /** {@link NativeStore#gcCollections}. */
  long collections() {
    return gcHeap == null ? 0 : gcHeap.collections();
  }

  /** {@link NativeStore#gcRefusals}. */
  long refusals() {
    return gcSlowPath == null ? 0 : gcSlowPath.refusals();
  }

  /** {@link NativeStore#registerGcRoots(GcRoots)}; {@code owner} the instance they belong to, or null. */
  AutoCloseable registerGcRoots(GcRoots roots, Lifetime owner) {
    gcRoots.add(roots);
    if (owner != null) {
      if (rootOwners == null) {
        rootOwners = new IdentityHashMap<>(1);
      }
      rootOwners.put(roots, owner);
    }
    return () -> unregisterGcRoots(roots);
  }

  /** Undoes {@link #registerGcRoots}; takes the store's lock itself. */
  void unregisterGcRoots(GcRoots roots) {
    synchronized (store) {
      gcRoots.remove(roots);
      if (rootOwners != null) {
        rootOwners.remove(roots);
      }
    }
  }

  /** What a collection from the host decided: the live bytes, and the candidates it did not reach. */
  record OwnerDecision(long liveBytes, List<Lifetime> unreached, int kept) {}

  /**
   * {@link NativeStore#collectGarbage}, deciding about {@code heldByHeap} (the objects only the heap
   * keeps, {@link HeapHeldOwners}): their roots count only once one of their function references is
   * reached. The caller frees the unreached ones before anything runs in the store: their roots
   * still hold the old semispace's words.
   */
  OwnerDecision collectGarbage(long[] held, boolean verify, List<Lifetime> heldByHeap) {
    if (heldByHeap.isEmpty() || store.entries().depth() > 0) {
      // with wasm running, the plain collection refuses (its frames may hold function references)
      return new OwnerDecision(collectGarbage(held, verify), List.of(), 0);
    }
    if (gcHeap == null) {
      // no object was ever made, so no function reference can have left into one
      return new OwnerDecision(0, heldByHeap, 0);
    }
    Map<Lifetime, List<GcRoots>> candidates = new LinkedHashMap<>();
    heldByHeap.forEach(owner -> candidates.put(owner, new ArrayList<>()));
    List<GcRoots> roots = new ArrayList<>();
    for (GcRoots set : allGcRoots()) {
      List<GcRoots> ownersRoots = rootOwners == null ? null : candidates.get(rootOwners.get(set));
      (ownersRoots == null ? roots : ownersRoots).add(set);
    }
    roots.add(heldRoots(held));
    HeapHeldOwners owners = new HeapHeldOwners(candidates, store.functionReferences());
    long live = gcHeap.collectDeciding(context, this::gcShape, roots, owners);
    if (verify) {
      roots.addAll(owners.reachedRoots());
      gcHeap.verify(context, this::gcShape, roots, new long[0]);
    }
    return new OwnerDecision(live, owners.unreached(), owners.reachedCount());
  }

  /** {@link NativeStore#collectGarbage} without an owner decision (the GC stress mode's collection at a claim's release). */
  long collectGarbage(long[] held, boolean verify) {
    if (gcHeap == null) {
      return 0;
    }
    if (store.entries().depth() > 0) {
      // a host function of this store called us: the wasm frames below it hold references that
      // only compiled code's slow path can find (GcSlowPath)
      throw new IllegalStateException(store + ": a collection from the host while wasm code of the store runs"
          + " would miss its frames' references; the guest's allocations collect");
    }
    List<GcRoots> roots = allGcRoots();
    roots.add(heldRoots(held));
    return gcHeap.collect(context, this::gcShape, roots, verify);
  }

  /** {@link NativeStore#verifyHeap}. */
  int verifyHeap(long[] held) {
    if (gcHeap == null) {
      return 0;
    }
    return gcHeap.verify(context, this::gcShape, allGcRoots(), held);
  }

  /**
   * The registered roots, the objects Java holds through the public API ({@link ObjectHandles},
   * if the store has made its table: a handle keeps its object alive and names it after a move) and
   * the exceptions the exception runtime holds ({@link StoreExceptions#roots}).
   */
  private List<GcRoots> allGcRoots() {
    List<GcRoots> roots = new ArrayList<>(gcRoots);
    store.attached(ObjectHandles.class).ifPresent(handles -> roots.add(handles::relocate));
    StoreExceptions exceptions = store.exceptionsIfMade();
    if (exceptions != null) {
      roots.add(exceptions.roots());
    }
    return roots;
  }

  /**
   * How a host function's throw into wasm gets its exception object ({@link
   * StoreExceptions#throwFromHost}): from the heap's slow path (the heap reserved now if the store
   * has none), which collects when it must with every activation's frames among the roots (the host
   * call's caller waits in it, {@link NativeStore#hostCallEntered}) and the payload's words, rewritten
   * in place; without a collection where an activation cannot be walked. Each call takes the store's
   * lock itself.
   */
  StoreExceptions.HostAllocation hostThrowAllocation() {
    return new StoreExceptions.HostAllocation() {
      @Override
      public long allocate(long bytes, long[] held) {
        synchronized (store) {
          ensureGcHeap();
          List<WasmFrameRoots.Chain> chains = frameChains(0);
          if (chains == null) {
            return gcHeap.allocateSlow(context, bytes, null, StoreGc.this::gcShape);
          }
          return gcHeap.allocateSlow(context, bytes, () -> hostThrowRoots(chains, held), StoreGc.this::gcShape);
        }
      }

      @Override
      public void collect(long[] held) {
        synchronized (store) {
          List<WasmFrameRoots.Chain> chains = gcHeap == null ? null : frameChains(0);
          if (chains != null) {
            gcHeap.collect(context, StoreGc.this::gcShape, hostThrowRoots(chains, held), gcHeap.collectsAlways());
          }
        }
      }
    };
  }

  /** Every root while a host function throws into wasm: the store's, the waiting frames', {@code held}. */
  private List<GcRoots> hostThrowRoots(List<WasmFrameRoots.Chain> chains, long[] held) {
    List<GcRoots> roots = allGcRoots();
    roots.add(WasmFrameRoots.walk(chains, store.codeRegions()));
    roots.add(heldRoots(held));
    return roots;
  }

  /** {@code held}'s words as roots, rewritten in place. */
  private static GcRoots heldRoots(long[] held) {
    return relocate -> {
      for (int i = 0; i < held.length; i++) {
        held[i] = relocate.applyAsLong(held[i]);
      }
    };
  }

  private GcCollector.Shape gcShape(int id) {
    return gcShapes.computeIfAbsent(id, i -> GcCollector.shapeOf(types.type(i).subType().composite()));
  }
}
