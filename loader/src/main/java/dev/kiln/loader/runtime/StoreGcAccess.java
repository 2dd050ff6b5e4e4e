package dev.kiln.loader.runtime;

import dev.kiln.artifact.gc.ReferenceWord;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.runtime.NativeStore.ObjectKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The store's GC heap as the rest of the loader and the embedding API reach it through {@link
 * NativeStore}: each call takes the store's lock and checks that the store is open before it asks
 * {@link StoreGc} (which refuses a heap a collection left damaged, {@link GcHeap#requireIntact}; a
 * collection that is only due is not made on one), a collection from the host runs under the
 * store's claim and ends with the owner decision (which instances only the heap keeps are freed),
 * and a host call of wasm is a safepoint whose activation waits in {@link SuspendedActivations}
 * while the host runs.
 */
final class StoreGcAccess {
  /** Doublings of {@link #nextTrust} stop here: a fruitless answer never outlasts a billion asks. */
  private static final long MAX_TRUST = 1L << 30;

  /**
   * How long the answer of a {@link #decideOwnersToMakeRoom} that freed nothing is trusted, under
   * the store's lock: the collection and candidate counts it was made at (-1: no such answer), how
   * many more asks it answers without a decision, and how many the next fruitless answer is given.
   */
  private long fruitlessAfterCollections = -1;
  private int fruitlessCandidates = -1;
  private long asksTrusted;
  private long nextTrust = 1;

  private final NativeStore store;
  private final StoreGc gc;
  private final StoreLifetimes lifetimes;
  /** The activations waiting in host calls of this store, for the collector's frame walk. */
  private final SuspendedActivations suspended;

  StoreGcAccess(NativeStore store, StoreGc gc, StoreLifetimes lifetimes, SuspendedActivations suspended) {
    this.store = store;
    this.gc = gc;
    this.lifetimes = lifetimes;
    this.suspended = suspended;
  }

  /**
   * Gives the store its GC heap ({@link GcHeap}) unless it has one: called before an instance whose
   * module has struct or array types or throws runs any code, since its code allocates in the heap
   * the store context describes (a {@code throw}'s exception object too).
   *
   * @throws ResourceLimitException if the store's address-space share has no room for it
   * @throws IllegalStateException if the store is closed
   */
  void ensureGcHeap() {
    synchronized (store) {
      store.checkNotClosed();
      gc.ensureGcHeap();
    }
  }

  /**
   * The store's entry for compiled code's allocation slow path ({@link GcSlowPath}), installed for
   * code {@code executor} runs; made on first use.
   *
   * @throws IllegalStateException if GC code of another target runs in the store, or it is closed
   */
  void installGcSlowPath(Executor executor) {
    synchronized (store) {
      store.checkNotClosed();
      gc.installGcSlowPath(executor);
    }
  }

  /**
   * Called by the host-call dispatch first thing, on the thread that holds the store: wasm of the
   * store called one of its host functions, so the calling activation waits ({@link
   * SuspendedActivations}) until {@link #hostCallReturned()}. In the debug mode that collects at
   * every safepoint ({@link GcStress}), the store collects here, with every activation's frames
   * among the roots (a call out to the host is a call safepoint of every wasm frame on the stack)
   * and the call's reference arguments, slots {@code referenceSlots} of the ValRaws at {@code values}.
   *
   * @throws TrapException with {@code GC_FRAME_WALK_FAILED} if that collection's walk found frames
   *     compiled code does not leave (the call is then not recorded)
   */
  void hostCallEntered(long values, int[] referenceSlots) {
    suspended.resumeReturned(store);
    suspended.suspend();
    try {
      gc.collectAtHostCallInDebugMode(values, referenceSlots);
    } catch (Throwable e) {
      // the dispatch counts as returned only a call that entered (an Error too, issue 35)
      store.hostCallsReturned++; // a field write before any call
      suspended.resumeReturned(store);
      throw e;
    }
  }

  /** The host calls counted in {@link NativeStore#hostCallsReturned} returned, or failed. */
  void hostCallReturned() {
    suspended.resumeReturned(store);
  }

  /**
   * Each collection's pause and the live bytes it copied, the latest one by one ({@link GcPauses});
   * all zero without a heap.
   */
  GcPauses.Snapshot pauses() {
    synchronized (store) {
      return gc.pauses();
    }
  }

  /** How many collections the store's heap has made (0 without a heap): for tests and diagnostics. */
  long collections() {
    synchronized (store) {
      return gc.collections();
    }
  }

  /**
   * How many of compiled code's allocation slow paths could not collect ({@link GcSlowPath}: an
   * activation whose frames were not recorded waited in a host call).
   */
  long refusals() {
    synchronized (store) {
      return gc.refusals();
    }
  }

  /**
   * Adds {@code roots} to what every collection of this store's heap keeps alive and rewrites, until
   * the returned handle is closed: an instance's reference globals and tables, the public API's
   * handle table of the references Java holds. With an {@code owner}, the instance (or host global
   * or table) they belong to: while it is a candidate of the owner decision ({@link
   * StoreLifetimes#candidates}: closed, kept only by the heap or by other candidates), the decision
   * counts them only once it is reached. Null for roots of no such object.
   */
  AutoCloseable registerGcRoots(GcRoots roots, Lifetime owner) {
    synchronized (store) {
      return gc.registerGcRoots(roots, owner);
    }
  }

  /**
   * {@link #registerGcRoots} of the host global or table {@code owner} until {@code arena}, where
   * its words live, closes: with the owner, so that once it is closed and only closed candidates use
   * it, its roots count only once one of them is reached ({@link StoreLifetimes#candidates}).
   */
  void registerGcRoots(GcRoots roots, Lifetime owner, Arena arena) {
    registerGcRoots(roots, owner);
    MemorySegment.NULL.reinterpret(arena, unused -> gc.unregisterGcRoots(roots));
  }

  /**
   * Collects the store's GC heap now, from the host, with no wasm code of the store running: the
   * roots are the registered ones ({@link #registerGcRoots}), the public API's object handles and
   * {@code held}, further words the caller holds, which are rewritten in place. With {@code verify}
   * the heap is checked afterwards ({@link HeapVerifier}).
   *
   * @return the live bytes, 0 when the store has no heap
   * @throws IllegalStateException if the store is closed or its heap is damaged, or wasm code of the
   *     store is running (a host function called this)
   */
  long collectGarbage(long[] held, boolean verify) {
    // claimed, as an entry is: a collection between another thread's read of a word and its use
    // of it would leave that thread a stale word (NativeStore.requireClaim)
    return store.exclusive("collect its garbage", () -> collectDecidingOwners(held, verify));
  }

  /**
   * A collection with the owner decision ({@link StoreGc#collectGarbage(long[], boolean, List)}):
   * the objects only the heap keeps whose function references it did not reach are freed, after
   * the lock, under the caller's claim, before anything else runs in the store.
   */
  private long collectDecidingOwners(long[] held, boolean verify) {
    return decideOwners(held, verify).liveBytes();
  }

  /** What an owner decision did: the live bytes after it, and how many objects it freed. */
  private record Decided(long liveBytes, int freed) {}

  private Decided decideOwners(long[] held, boolean verify) {
    // A collection moves objects in place (a forwarding word over each header, then the roots
    // rewritten one by one): begun only with room to finish, since one an overflow stopped half way
    // would leave words naming a semispace the heap no longer uses (issue 35). A collection at the
    // allocation slow path needs no check: compiled code's stack check keeps the headroom below it.
    dev.kiln.loader.sys.ThreadStack.requireRoom(dev.kiln.loader.sys.ThreadStack.STEP, "a collection of the heap");
    StoreGc.OwnerDecision decision;
    int freed;
    synchronized (store) {
      decision = gc.collectGarbage(held, verify, lifetimes.candidates());
      freed = lifetimes.decided(decision.unreached(), decision.kept());
    }
    // Queued, not in a list of this frame's: a free an overflow interrupts is finished by the next
    // point that frees (issue 35).
    store.entries().freeQueued();
    return new Decided(decision.liveBytes(), freed);
  }

  /**
   * Closing an instance made it one of those only the heap keeps: once enough are ({@link
   * StoreLifetimes#ownerDecisionDue}) and no wasm of the store runs, a collection decides which
   * are unreachable, so a store that instantiates and closes GC modules does not grow until its
   * instance limit refuses it. The same collection is made once enough tags of freed instances
   * wait for one to tell whether a live exception object names them ({@link
   * TagRegistry#collectionDue}). Called under the claim, at a close and at an instantiation; nothing
   * on a heap a collection left damaged ({@link GcHeap#requireIntact}), whose closes still work.
   */
  void decideOwnersIfDue() {
    synchronized (store) {
      if (store.isClosed() || store.entries().depth() > 0 || gc.heapDamaged()
          || !(lifetimes.ownerDecisionDue() || store.tagRegistryIfMade() instanceof TagRegistry tags
              && tags.collectionDue())) {
        return;
      }
    }
    collectDecidingOwners(new long[0], false);
  }

  /**
   * An instantiation is about to be refused for want of an instance (the engine's pool, {@link
   * StoreLimits#maxInstances}) while closed instances only the heap keeps may hold them: the owner
   * decision {@link #decideOwnersIfDue} would make later is made now, whatever their number, if no
   * wasm of the store runs (its frames may hold their function references) and the last such
   * decision's answer is not trusted any more ({@link #worthDecidingToMakeRoom}). Called under the
   * claim.
   *
   * @return whether the decision freed any of them, so that the instantiation is worth a retry
   */
  boolean decideOwnersToMakeRoom() {
    return worthDecidingToMakeRoom() && decideToMakeRoom();
  }

  /**
   * Whether a refused instantiation (of this store, or of another store of the engine, asked without
   * the claim) should have this store make the owner decision now: some closed instances only the
   * heap keeps, and no fruitless answer that is still trusted. Each ask a trusted answer declines
   * uses up one of its asks. Under the store's lock.
   *
   * <p>A decision that freed nothing costs a copy of the live heap, so repeating it at every refused
   * retry let a guest that keeps a closed instance reachable make each refusal that expensive (red
   * team 18 F1). But its answer depends on the roots (globals and tables written by wasm or Java,
   * handles released), which change without a collection or a new candidate, so it cannot be kept
   * until one of those (red team 19 F2: a guest that dropped the reference after the first refusal
   * had every later retry refused). It is kept for a number of asks that doubles while nothing
   * changed: after {@code r} asks, at most {@code log2(r) + 1} decisions were made, and a root
   * cleared after them is seen within as many asks again as were made before.
   */
  boolean worthDecidingToMakeRoom() {
    synchronized (store) {
      int candidates = store.isClosed() ? 0 : lifetimes.candidates().size();
      if (candidates == 0 || store.entries().depth() > 0) {
        return false;
      }
      if (answerStands(candidates) && asksTrusted > 0) {
        asksTrusted--;
        return false;
      }
      return true;
    }
  }

  /**
   * The owner decision {@link #worthDecidingToMakeRoom} asked for, under the claim; its answer, if
   * fruitless, is trusted for {@link #nextTrust} asks, twice as many as the last one's if nothing
   * changed in between. None on a heap a collection left damaged: an instantiation, this store's or
   * another's, is then refused for want of room, not for this heap's damage.
   */
  boolean decideToMakeRoom() {
    int candidates;
    boolean nothingChanged;
    synchronized (store) {
      candidates = lifetimes.candidates().size();
      if (store.isClosed() || store.entries().depth() > 0 || candidates == 0 || gc.heapDamaged()) {
        return false;
      }
      nothingChanged = answerStands(candidates);
    }
    boolean freed = decideOwners(new long[0], false).freed() > 0;
    synchronized (store) {
      if (freed) {
        fruitlessAfterCollections = -1;
        fruitlessCandidates = -1;
        nextTrust = 1;
      } else {
        nextTrust = nothingChanged ? Math.min(2 * nextTrust, MAX_TRUST) : 1;
        asksTrusted = nextTrust;
        fruitlessAfterCollections = gc.collections();
        fruitlessCandidates = candidates;
      }
    }
    return freed;
  }

  /**
   * Whether the last fruitless answer was made at the current collection count and at {@code
   * candidates}, the current candidate count; under the lock.
   */
  private boolean answerStands(int candidates) {
    return gc.collections() == fruitlessAfterCollections && candidates == fruitlessCandidates;
  }

  /**
   * The GC stress mode's collection when a claim is let go ({@link
   * GcStress#COLLECT_ON_RELEASE_PROPERTY}), without an owner decision; called under the claim, and
   * nothing if the store has closed or its heap is damaged (the exit that lets go goes on).
   */
  void collectForStress() {
    // Made at whatever depth the claim was let go (a direct call's exit): room for the whole
    // collection (STEP) and for the first links of its call sites (LINK, the larger; issue 35)
    dev.kiln.loader.sys.ThreadStack.requireRoomToLink("a collection of the heap");
    synchronized (store) {
      if (!store.isClosed() && !gc.heapDamaged()) {
        gc.collectGarbage(new long[0], false);
      }
    }
  }

  /**
   * Checks the store's GC heap ({@link HeapVerifier}) with the registered roots and {@code held}.
   *
   * @return how many objects the heap holds
   * @throws IllegalStateException naming the first violation, or if a collection left the heap
   *     damaged ({@link GcHeap#requireIntact})
   */
  int verifyHeap(long[] held) {
    synchronized (store) {
      store.checkNotClosed();
      return gc.verifyHeap(held);
    }
  }

  /**
   * Whether {@code word} is a struct, array or exception object of this store's heap, by the test
   * compiled casts make: 8-aligned and inside the allocated part, then the header's word 4
   * ({@code ObjectLayout.kindOf}). Every caller that turns the word into a value of one hierarchy
   * checks the kind is of that hierarchy.
   *
   * @throws IllegalStateException if the word lies in the allocated heap but its header names no
   *     kind (a damaged heap), or a collection left the heap damaged ({@link GcHeap#requireIntact}),
   *     or the current thread does not hold the store's claim
   */
  ObjectKind objectKind(long word) {
    store.requireClaim("tell what a word is");
    return objectKindOfWordFromJava(word);
  }

  /**
   * {@link #objectKind} for the check of a word Java hands in ({@link ReferenceChecks}): such a word
   * comes from an {@code ObjectHandles} slot, read under the claim that hands it in.
   */
  ObjectKind objectKindOfWordFromJava(long word) {
    synchronized (store) {
      store.checkNotClosed();
      return gc.objectKind(word);
    }
  }

  /**
   * Allocates {@code bytes} of the store's GC heap for an object the loader makes (a constant
   * expression's {@code struct.new} or {@code array.new}), as compiled code would.
   *
   * @throws TrapException with {@code GC_HEAP_EXHAUSTED} when the heap has no room within the limits
   * @throws IllegalStateException if the store has no heap ({@link #ensureGcHeap}) or is closed, or
   *     a collection left the heap damaged ({@link GcHeap#requireIntact})
   */
  long allocateObject(long bytes) {
    synchronized (store) {
      store.checkNotClosed();
      return gc.allocateObject(bytes);
    }
  }

  /**
   * Whether {@code word}, a host reference Java hands to this store (not an i31, {@link
   * ReferenceWord}), lies in the address range reserved for the store's GC heap, both semispaces,
   * allocated or not yet: a word from Java there could be taken for an object, or become one as the
   * heap grows or a collection flips the semispaces, so the API lets objects in only as {@link
   * ObjectHandles} slots and refuses such words.
   *
   * <p>The heap is reserved here if it is not yet: compiled code takes any 8-aligned word inside
   * the heap for an object, so whether a word is one must not depend on when the heap was reserved.
   * A word checked before the reservation exists could otherwise land inside it once a GC module is
   * instantiated (red team 10 F2). From the first host word on, the range is fixed for the store's
   * life (a reservation never moves), and every host word that entered lies outside it.
   *
   * @throws ResourceLimitException if the store's address-space share has no room for the heap
   * @throws IllegalStateException if the store is closed, or a collection left the heap damaged
   */
  boolean inGcHeap(long word) {
    synchronized (store) {
      store.checkNotClosed();
      return gc.inGcHeap(word);
    }
  }
}
