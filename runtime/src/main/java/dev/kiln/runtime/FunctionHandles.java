package dev.kiln.runtime;

import dev.kiln.loader.runtime.NativeStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The handles Java sees for one store's function references ({@link Val.Ref#handle()} of a
 * funcref), in place of the VMFuncRef addresses compiled code uses. An address names a function only
 * while its owner lives: with a pool, the next store's instance in the same slot has its VMFuncRefs
 * at the same addresses, so an address kept from a closed store would pass the store's own range
 * check ({@link NativeStore#checkFunctionReference}) and name another tenant's function. A handle
 * comes from one counter for the whole process, so it is never given out twice, and a store takes
 * back only the handles it gave out: one of another store, open or closed, or a number Java made
 * up, is refused with {@link IllegalArgumentException}.
 *
 * <p>One store's references keep their handles for its life (the same function read twice has the
 * same handle); the map holds one entry per distinct reference that reached Java.
 */
final class FunctionHandles {
  /** Next handle of the process; 0 stays null. */
  private static final AtomicLong NEXT = new AtomicLong(1);

  private final NativeStore store;
  private final Map<Long, Long> addressOfHandle = new HashMap<>();
  private final Map<Long, Long> handleOfAddress = new HashMap<>();

  private FunctionHandles(NativeStore store) {
    this.store = store;
  }

  /** The handles of {@code store}, made on first use. */
  static FunctionHandles of(NativeStore store) {
    return store.attachment(FunctionHandles.class, () -> new FunctionHandles(store));
  }

  /** The handle Java gets for the VMFuncRef at {@code address} (0, null, stays 0). */
  synchronized long handle(long address) {
    if (address == 0) {
      return 0;
    }
    return handleOfAddress.computeIfAbsent(address, unused -> {
      long handle = NEXT.getAndIncrement();
      addressOfHandle.put(handle, address);
      return handle;
    });
  }

  /** How many functions have handles: one per distinct function that reached Java. */
  synchronized int size() {
    return handleOfAddress.size();
  }

  /**
   * The address of the VMFuncRef {@code handle} stands for (0, null, stays 0).
   *
   * @throws IllegalArgumentException if this store did not give out {@code handle}
   */
  synchronized long address(long handle) {
    if (handle == 0) {
      return 0;
    }
    Long address = addressOfHandle.get(handle);
    if (address == null) {
      throw new IllegalArgumentException("funcref handle " + handle + " is not a function reference of " + store
          + " (a funcref value must be null or come from this store: an exported function, a table slot or a"
          + " global of it, read through this API)");
    }
    return address;
  }
}
