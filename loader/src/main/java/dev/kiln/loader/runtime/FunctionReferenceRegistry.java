package dev.kiln.loader.runtime;

import dev.kiln.artifact.vm.VmLayout;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The address ranges of the VMFuncRef arrays of a store's live objects (an instance's {@code
 * func_ref} array, a host function's one record), by first address: what a raw funcref value from
 * Java is checked against before compiled code can call through it (see the package
 * documentation, "Raw addresses from Java"). Used under the store's lock.
 */
final class FunctionReferenceRegistry {
  /** The store, for messages. */
  private final Object store;
  /** The VMFuncRef arrays of live objects by first address. */
  private final TreeMap<Long, FunctionReferences> functionReferences = new TreeMap<>();

  /** @param store the store's name, for messages */
  FunctionReferenceRegistry(Object store) {
    this.store = store;
  }

  /** {@link NativeStore#registerFunctionReferences}. */
  void register(long first, int count, Lifetime owner) {
    if (count > 0) {
      functionReferences.put(first, new FunctionReferences(first, count, owner));
    }
  }

  /** {@link NativeStore#unregisterFunctionReferences}. */
  void unregister(long first) {
    functionReferences.remove(first);
  }

  /** Forgets every array: the store is closing. */
  void clear() {
    functionReferences.clear();
  }

  /**
   * {@link NativeStore#checkFunctionReference(long)}: 0, or an element of a registered array,
   * whose owner is pinned.
   *
   * @throws IllegalArgumentException if {@code value} is neither
   */
  void check(long value) {
    if (value == 0) {
      return;
    }
    FunctionReferences refs = registeredAt(value);
    if (refs == null) {
      // The word is not echoed: it may be a host address (another store's VMFuncRef, a pointer into
      // this one's), and messages show no host addresses (docs/SECURITY.md section 9).
      throw new IllegalArgumentException("the word given is not a function reference of " + store
          + " (a funcref value must be 0 or come from this store: an exported function's address, a table slot"
          + " or a global of it)");
    }
    refs.owner().markPinned();
  }

  /** {@link NativeStore#functionReferenceOwner}. */
  Optional<Lifetime> owner(long value) {
    return Optional.ofNullable(ownerOrNull(value));
  }

  /** The owner of the VMFuncRef at {@code value}, or null when none is registered there (a collection asks per word). */
  Lifetime ownerOrNull(long value) {
    FunctionReferences refs = registeredAt(value);
    return refs == null ? null : refs.owner();
  }

  /** The registered VMFuncRef array {@code value} is an element of, or null. */
  private FunctionReferences registeredAt(long value) {
    Map.Entry<Long, FunctionReferences> below = functionReferences.floorEntry(value);
    FunctionReferences refs = below == null ? null : below.getValue();
    long offset = refs == null ? -1 : value - refs.first();
    if (refs == null || offset % VmLayout.FUNC_REF_SIZE != 0 || offset / VmLayout.FUNC_REF_SIZE >= refs.count()) {
      return null;
    }
    return refs;
  }

  private record FunctionReferences(long first, int count, Lifetime owner) {}
}
