package dev.kiln.loader.runtime;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@link Lifetime}s of a store's native objects not yet freed (see the package documentation,
 * "Lifetimes"): which are live, in the order they were made, and which lost their last user and
 * wait to be freed, at once or, while wasm of the store runs, when the outermost entry returns.
 * {@link NativeStore} decides when, under its lock and claim; the frees themselves run outside the
 * lock.
 *
 * <p><b>A free is finished, never lost.</b> An object leaves the queue of those to free only once
 * its free has run to the end ({@link #freeQueued}): a {@code StackOverflowError} or any other
 * throwable inside one leaves it at the head, and the next point that frees (an exit, a close, an
 * owner decision, the store's close) runs what its {@link Lifetime#free} left (issue 35: a free
 * taken off its list and then interrupted lost the object's pool slot for good).
 */
final class StoreLifetimes {
  /** Objects not yet freed, in the order they were made: the store frees the rest in reverse. */
  private final LinkedHashSet<Lifetime> live = new LinkedHashSet<>();
  /** Objects whose last user went, to be freed in this order; each leaves only once its free ran. */
  private final ArrayList<Lifetime> toFree = new ArrayList<>();
  /** Whether {@link #freeQueued} is on the stack: a free it runs may queue more, which it frees after. */
  private boolean freeing;
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
   * Takes one user from {@code lifetime}: {@code importer}, or the handle if null; the last user
   * of an object puts it in the queue to free ({@link #freeQueued}: at once, or once no wasm of
   * the store runs, since wasm on the stack may be running the object's code).
   *
   * @param closing whether the store is closing (it then frees everything itself)
   */
  void release(Lifetime lifetime, Lifetime importer, boolean closing) {
    if (lifetime.freed()) {
      return;
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
      return;
    }
    // Queued before it leaves the live set: whatever throws between the two leaves it in both,
    // and a free runs only once (Lifetime#free), never in neither.
    toFree.add(lifetime);
    live.remove(lifetime);
  }

  /** Whether some objects wait to be freed ({@link #freeQueued}). */
  boolean freesQueued() {
    return !toFree.isEmpty();
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
   * without users leave the store (queued to free, {@link #freeQueued}), the others when their
   * (unreached) users are freed. {@code kept} stay.
   *
   * @return how many it queued to free
   */
  int decided(List<Lifetime> unreached, int kept) {
    heapHeldSinceDecision = 0;
    heapHeldKept = kept;
    int queued = 0;
    for (Lifetime lifetime : unreached) {
      lifetime.releaseFromHeap();
      if (lifetime.unused() && live.contains(lifetime)) {
        toFree.add(lifetime);
        live.remove(lifetime);
        queued++;
      }
    }
    return queued;
  }

  /**
   * Frees the queued objects, in order, each leaving the queue once its free ran to the end; a free
   * that throws stays first, for the next call to finish ({@link Lifetime#free} runs only what it
   * left). What the frees queue meanwhile (an importer's free releasing what it imported) is freed
   * by this call too, after them: the call is not re-entered. Under the store's claim, with no
   * wasm of the store on the stack.
   */
  void freeQueued() {
    if (freeing) {
      return;
    }
    freeing = true;
    try {
      while (!toFree.isEmpty()) {
        toFree.getFirst().free();
        toFree.removeFirst(); // after the free: an interrupted one stays queued
      }
    } finally {
      freeing = false;
    }
  }

  /**
   * Queues every live object to free, in reverse order of creation, after those queued already:
   * the store is closing. They leave the live set once all are queued, so a close interrupted here
   * and made again queues them all again; one queued twice is freed once ({@link Lifetime#free}).
   */
  void queueAllToClose() {
    toFree.ensureCapacity(toFree.size() + live.size());
    for (Lifetime lifetime : live.reversed()) {
      toFree.add(lifetime);
    }
    live.clear();
  }

  /**
   * {@link #freeQueued} for the store's close: a free that throws stays queued, for the next
   * close, and the others are freed all the same.
   *
   * @return the first failure, or null
   */
  Throwable freeQueuedToClose() {
    Throwable first = null;
    int next = 0;
    while (next < toFree.size()) {
      try {
        toFree.get(next).free();
        toFree.remove(next);
      } catch (Throwable failure) { // an Error too: what is left is freed by the next close (issue 35)
        first = first == null ? failure : first;
        next++;
      }
    }
    return first;
  }
}
