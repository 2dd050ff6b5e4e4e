package dev.kiln.loader.runtime;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The {@link Lifetime}s of a store's native objects not yet freed (see the package documentation,
 * "Lifetimes"): which are live, in the order they were made, and which lost their last user while
 * wasm of the store ran and wait for the outermost entry to return. {@link NativeStore} decides
 * when, under its lock and claim; the frees themselves run outside the lock.
 */
final class StoreLifetimes {
  /** Objects not yet freed, in the order they were made: the store frees the rest in reverse. */
  private final LinkedHashSet<Lifetime> live = new LinkedHashSet<>();
  /** Objects whose last user went while wasm ran on the claiming thread: freed when it returns. */
  private final List<Lifetime> freeAfterExit = new ArrayList<>();
  /** Objects that lost their last user while held by the heap since the last owner decision. */
  private int heapHeldSinceDecision;
  /** Objects the last owner decision kept: held by the heap, its collection reached them. */
  private int heapHeldKept;

  /** {@link NativeStore#adopt}: a new live object's lifetime. */
  Lifetime adopt(NativeStore store, String name, Runnable free, boolean pinned) {
    Lifetime lifetime = new Lifetime(store, name, free, pinned);
    live.add(lifetime);
    return lifetime;
  }

  /** Counts a new user of {@code lifetime}, which must be open. */
  void use(Lifetime lifetime) {
    if (!lifetime.handleOpen() || lifetime.freed()) {
      throw new IllegalStateException(lifetime + " is closed; nothing new can link to it");
    }
    lifetime.addUser();
  }

  /**
   * Takes one user from {@code lifetime}.
   *
   * @param closing whether the store is closing (it then frees everything itself)
   * @param wasmOnStack whether wasm of the store is on the claiming thread's stack
   * @return whether the caller frees it now: its last user went and no wasm of the store runs
   */
  boolean release(Lifetime lifetime, boolean closing, boolean wasmOnStack) {
    if (lifetime.freed()) {
      return false;
    }
    lifetime.removeUser();
    // While the store closes, it frees everything itself, in reverse order of creation.
    if (closing || !lifetime.unused()) {
      if (!closing && lifetime.onlyHeldByHeap()) {
        heapHeldSinceDecision++;
      }
      return false;
    }
    live.remove(lifetime);
    if (wasmOnStack) {
      // Wasm of this store is on the stack and may be running the object's code: free it when
      // the outermost entry returns (only the claiming thread gets here, see closeHandle).
      freeAfterExit.add(lifetime);
      return false;
    }
    return true;
  }

  /** Whether some objects wait for the outermost entry to return ({@link #freeDeferred}). */
  boolean freesDeferred() {
    return !freeAfterExit.isEmpty();
  }

  /**
   * Whether enough objects became held by the heap alone since the last owner decision to make one
   * ({@link #onlyHeldByHeap}): at least 16, and as many as the last decision kept, so a store whose
   * closed instances stay reachable is not collected at every close.
   */
  boolean ownerDecisionDue() {
    return heapHeldSinceDecision >= Math.max(16, heapHeldKept);
  }

  /** The objects only the heap keeps (closed, no users, not pinned): what an owner decision is about. */
  List<Lifetime> onlyHeldByHeap() {
    List<Lifetime> held = new ArrayList<>();
    for (Lifetime lifetime : live) {
      if (lifetime.onlyHeldByHeap()) {
        held.add(lifetime);
      }
    }
    return held;
  }

  /**
   * An owner decision's outcome: {@code unreached} (of {@link #onlyHeldByHeap}), whose references a
   * collection with no wasm of the store running found nowhere, leave the store; {@code kept} stay.
   *
   * @return the objects the caller frees now, outside the store's lock
   */
  List<Lifetime> decided(List<Lifetime> unreached, int kept) {
    heapHeldSinceDecision = 0;
    heapHeldKept = kept;
    List<Lifetime> free = new ArrayList<>();
    for (Lifetime lifetime : unreached) {
      lifetime.releaseFromHeap();
      if (lifetime.unused() && live.remove(lifetime)) {
        free.add(lifetime);
      }
    }
    return free;
  }

  /** No wasm of the store is on the stack any more: frees what was closed while it ran. */
  void freeDeferred() {
    while (!freeAfterExit.isEmpty()) {
      freeAfterExit.removeFirst().free();
    }
  }

  /** Every object not yet freed, in the order they were made, forgotten here: the store is closing. */
  List<Lifetime> takeAll() {
    List<Lifetime> remaining = new ArrayList<>(live);
    // Left over only if a free failed at an exit.
    remaining.addAll(freeAfterExit);
    freeAfterExit.clear();
    live.clear();
    return remaining;
  }
}
