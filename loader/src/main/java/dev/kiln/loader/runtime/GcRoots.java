package dev.kiln.loader.runtime;

import java.util.function.LongUnaryOperator;

/**
 * A set of GC reference words outside the heap that a collection must keep alive and rewrite:
 * an instance's reference globals, the references Java holds (the public API's handle table
 * registers itself here), and so on. Registered with {@link NativeStore#registerGcRoots}.
 */
@FunctionalInterface
public interface GcRoots {
  /**
   * Replaces each word this set holds with {@code relocate} applied to it, which gives a moved
   * object's new address and every other word (null, an i31, a host or function reference)
   * unchanged. Called with the store held exclusively; it must not call into the store.
   */
  void relocate(LongUnaryOperator relocate);
}
