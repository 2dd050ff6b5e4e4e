package dev.kiln.loader.runtime;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
  /** Releases since the last owner decision that left a closed object that may be a candidate ({@link #candidates}). */
  private int heapHeldSinceDecision;
  /** Objects the last owner decision kept: held by the heap, its collection reached them. */
  private int heapHeldKept;

  /** {@link NativeStore#adopt}: a new live object's lifetime. */
  Lifetime adopt(NativeStore store, String name, Runnable free, boolean pinned) {
    Lifetime lifetime = new Lifetime(store, name, free, pinned);
    live.add(lifetime);
    return lifetime;
  }

  /** Counts {@code importer} as a new user of {@code lifetime}, which must be open. */
  void use(Lifetime lifetime, Lifetime importer) {
    if (!lifetime.handleOpen() || lifetime.freed()) {
      throw new IllegalStateException(lifetime + " is closed; nothing new can link to it");
    }
    lifetime.addUser(importer);
  }

  /**
   * Takes one user from {@code lifetime}: {@code importer}, or the handle if null.
   *
   * @param closing whether the store is closing (it then frees everything itself)
   * @param wasmOnStack whether wasm of the store is on the claiming thread's stack
   * @return whether the caller frees it now: its last user went and no wasm of the store runs
   */
  boolean release(Lifetime lifetime, Lifetime importer, boolean closing, boolean wasmOnStack) {
    if (lifetime.freed()) {
      return false;
    }
    if (importer == null) {
      lifetime.removeHandleUser();
    } else {
      lifetime.removeUser(importer);
    }
    // While the store closes, it frees everything itself, in reverse order of creation.
    if (closing || !lifetime.unused()) {
      if (!closing && mayBeCandidate(lifetime)) {
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
   * ({@link #candidates}): at least 16, and as many as the last decision kept, so a store whose
   * closed instances stay reachable is not collected at every close.
   */
  boolean ownerDecisionDue() {
    return heapHeldSinceDecision >= Math.max(16, heapHeldKept);
  }

  /**
   * What an owner decision is about: the closed objects that only the heap, or only other such
   * objects, keep. That is the largest set of live objects, closed and not pinned, each held by the
   * heap ({@link Lifetime#holdByHeap}) or used by some instance, whose every
   * user is in the set too. Imports are counted users, the decision traces: an object a candidate
   * uses is no candidate of its own under users alone, so its roots (an exported global or table)
   * would count unconditionally, and a cycle through it (a closed importer keeping its function
   * reference in the closed exporter's global) would keep both for the store's life (red team 19
   * F4). In the set, an object is reached when one of its users is ({@link HeapHeldOwners}).
   *
   * <p>Since an instance imports only from objects made before it, following users from any of the
   * set ends at one without users, which is held by the heap: every candidate is freed once the
   * decision finds none of the candidates that lead to it reached.
   */
  List<Lifetime> candidates() {
    Set<Lifetime> set = new LinkedHashSet<>();
    for (Lifetime lifetime : live) {
      if (mayBeCandidate(lifetime)) {
        set.add(lifetime);
      }
    }
    boolean removed = true;
    while (removed) {
      removed = set.removeIf(lifetime -> !set.containsAll(lifetime.importers()));
    }
    return new ArrayList<>(set);
  }

  /** Closed, not pinned nor freed, kept by the heap or by users: a candidate if its users are. */
  private static boolean mayBeCandidate(Lifetime lifetime) {
    return !lifetime.handleOpen() && !lifetime.pinned() && !lifetime.freed()
        && (lifetime.heldByHeap() || !lifetime.importers().isEmpty());
  }

  /**
   * An owner decision's outcome: {@code unreached} (of {@link #candidates}), whose references a
   * collection with no wasm of the store running found nowhere, leave the heap's hold; those also
   * without users leave the store, the others when their (unreached) users are freed. {@code kept}
   * stay.
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
