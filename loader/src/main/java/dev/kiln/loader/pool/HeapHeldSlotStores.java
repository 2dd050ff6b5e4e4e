package dev.kiln.loader.pool;

import dev.kiln.loader.runtime.NativeStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stores of an engine whose instances in the pool's slots may be held by the store's GC heap
 * after their close (their module defines struct or array types, or a tag carries a funcref): such
 * an instance keeps its slot until its store's owner decision frees it. The decision is the store's
 * (its heap, its claim), but the slots are the engine's, so one store's closed garbage could refuse
 * another store's instantiations for ever; a refused store asks the others here to decide ({@link
 * NativeStore#decideOwnersForAnotherStore}, which leaves alone a store another thread is in).
 *
 * <p>A store is added by its first such instance and leaves when it closes; only the stores that
 * ever held one are asked, not every store of the engine.
 */
final class HeapHeldSlotStores {
  private final Set<NativeStore> stores = ConcurrentHashMap.newKeySet();

  /**
   * Adds {@code store}, if it is not in already, until it closes: called under its claim, as its
   * instance is made, so it cannot be closing meanwhile.
   */
  void add(NativeStore store) {
    if (!stores.contains(store) && stores.add(store)) {
      store.closeWithStore(() -> stores.remove(store));
    }
  }

  /**
   * Asks the stores other than {@code refused} to free their closed instances only their heap keeps,
   * one after another until one freed some.
   *
   * @return whether one did, so that the refused instantiation is worth a retry
   */
  boolean makeRoomFor(NativeStore refused) {
    for (NativeStore store : stores) {
      if (store != refused && store.decideOwnersForAnotherStore()) {
        return true;
      }
    }
    return false;
  }
}
