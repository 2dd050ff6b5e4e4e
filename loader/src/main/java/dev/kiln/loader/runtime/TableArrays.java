package dev.kiln.loader.runtime;

/**
 * Where a store's growing tables ({@link ObjectHandles}, {@link WordCounts}, {@link
 * StoreAttachments}) get their new arrays:
 * the Java heap, or, in a test, a maker that throws {@link OutOfMemoryError} at a chosen allocation.
 * A table grows by allocating every new array first and writing its fields only after, so an
 * {@code OutOfMemoryError} at any allocation leaves it as it was (red team 24 F3: {@code bits}
 * written before its arrays left {@link WordCounts} indexing past them, an {@code
 * ArrayIndexOutOfBoundsException} out of {@code Func.call}); the tests prove that at each
 * allocation, which only a maker they control can fail on cue.
 */
class TableArrays {
  /** The Java heap's arrays. */
  static final TableArrays HEAP = new TableArrays();

  long[] longs(int length) {
    return new long[length];
  }

  int[] ints(int length) {
    return new int[length];
  }

  byte[] bytes(int length) {
    return new byte[length];
  }

  Class<?>[] classes(int length) {
    return new Class<?>[length];
  }

  Object[] objects(int length) {
    return new Object[length];
  }
}
