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
