package dev.kiln.runtime;

import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.NativeStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
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
 * <p>One store's references keep their handles while their owner lives (the same function read
 * twice has the same handle). A handle names the function and its owner (the instance or host
 * function that registered the VMFuncRef): once that owner is freed, the handle is refused even
 * if a later instance of the store took the same addresses (a pooled slot reused, or the C heap
 * giving the VMContext's block out again), whose reference then gets a new handle in place of the
 * old one's entry. A reference reaches Java from an unpinned instance through an exception's
 * payload (an uncaught {@code throw} of a tag with a funcref parameter that the module does not
 * export).
 *
 * <p>The entries of an owner leave when it is freed ({@link Lifetime#whenFreed}), so the maps hold
 * entries of live owners only, at most one per VMFuncRef of theirs (which the store's limits
 * bound: an instance's {@code func_ref} array is part of its VMContext, charged to {@code
 * maxMemoryBytes}). Before, they stayed until the store closed: with the C heap giving each new
 * instance's VMContext a new address, a long-lived store running an instance per request that
 * leaked one reference each grew by an entry per request, uncharged.
 */
final class FunctionHandles {
  /** Next handle of the process; 0 stays null. */
  private static final AtomicLong NEXT = new AtomicLong(1);

  /** A handle's function: its VMFuncRef's address and the owner that registered it then. */
  private record Target(long address, Lifetime owner) {}

  private final NativeStore store;
  private final Map<Long, Target> targetOfHandle = new HashMap<>();
  private final Map<Long, Long> handleOfAddress = new HashMap<>();
  /** The handles given out for each live owner's references, to drop when it is freed. */
  private final Map<Lifetime, List<Long>> handlesOfOwner = new IdentityHashMap<>();

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
    Lifetime owner = store.functionReferenceOwner(address).orElse(null);
    Long known = handleOfAddress.get(address);
    if (known != null && targetOfHandle.get(known).owner() == owner) {
      return known;
    }
    if (known != null) {
      // the address belongs to a newer owner now: the old handle named a freed one's function
      Target old = targetOfHandle.remove(known);
      if (old.owner() != null) {
        List<Long> ofOld = handlesOfOwner.get(old.owner());
        if (ofOld != null) {
          ofOld.remove(known);
        }
      }
    }
    long handle = NEXT.getAndIncrement();
    targetOfHandle.put(handle, new Target(address, owner));
    handleOfAddress.put(address, handle);
    if (owner != null) {
      handlesOfOwner.computeIfAbsent(owner, this::forgetWhenFreed).add(handle);
    }
    return handle;
  }

  /** The list of {@code owner}'s handles, made when its first reference reaches Java. */
  private List<Long> forgetWhenFreed(Lifetime owner) {
    // Runs after this call returns the lock: whenFreed runs the action at once if the owner went
    // meanwhile, and forget takes this object's lock again.
    owner.whenFreed(() -> forget(owner));
    return new ArrayList<>();
  }

  /** Drops every handle of {@code owner}, which was freed: none of them may name a function again. */
  private synchronized void forget(Lifetime owner) {
    List<Long> handles = handlesOfOwner.remove(owner);
    if (handles == null) {
      return;
    }
    for (long handle : handles) {
      Target target = targetOfHandle.remove(handle);
      if (target != null) {
        handleOfAddress.remove(target.address(), handle);
      }
    }
  }

  private boolean live(Target target) {
    return store.functionReferenceOwner(target.address()).orElse(null) == target.owner();
  }

  /** How many functions have handles: one per VMFuncRef address of a live owner that reached Java. */
  synchronized int size() {
    return targetOfHandle.size();
  }

  /**
   * The address of the VMFuncRef {@code handle} stands for (0, null, stays 0).
   *
   * @throws IllegalArgumentException if this store did not give out {@code handle}, or the
   *     function's owner has been freed since
   */
  synchronized long address(long handle) {
    if (handle == 0) {
      return 0;
    }
    Target target = targetOfHandle.get(handle);
    if (target != null && !live(target)) {
      targetOfHandle.remove(handle);
      handleOfAddress.remove(target.address(), handle);
      target = null;
    }
    if (target == null) {
      throw new IllegalArgumentException("funcref handle " + handle + " is not a function reference of " + store
          + " (a funcref value must be null or come from this store: an exported function, a table slot or a"
          + " global of it, read through this API, whose instance has not been freed)");
    }
    return target.address();
  }
}
