package dev.kiln.loader.runtime;

import java.util.function.LongUnaryOperator;

/**
 * Words a collection must not keep alive but must follow: each is told, once the live objects are
 * copied, where its object went or that it died. A set of {@link GcRoots} handed to a collection
 * that is also one of these is asked after the copying; the runtime's record of the host
 * exceptions a guest caught is one ({@link StoreExceptions}), whose entries go with their objects.
 */
@FunctionalInterface
interface GcWeakRoots {
  /**
   * Called once the collection copied every live object, with the store held exclusively: {@code
   * survivor} gives a moved object's new address, 0 for an object of the evacuated semispace that
   * nothing reached, and any word outside it unchanged.
   */
  void retain(LongUnaryOperator survivor);
}
