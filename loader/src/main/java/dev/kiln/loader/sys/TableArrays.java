package dev.kiln.loader.sys;

import java.util.Arrays;

/**
 * Where the loader's growing tables get their new arrays: a store's ({@code runtime.ObjectHandles},
 * {@code runtime.WordCounts}, {@code runtime.StoreAttachments}, {@code runtime.TagRegistry}, {@code
 * host.HostCalls}) and the process's ({@code runtime.UpcallRegistry}, {@link WasmFaults}' tables);
 * the Java heap, or, in a test, a maker that throws {@link OutOfMemoryError} at a chosen allocation.
 * A table grows, and takes a slot or id, by allocating every new array first and writing its fields
 * only after, so an {@code OutOfMemoryError} at any allocation leaves it as it was (red team 24 F3:
 * {@code bits} written before its arrays left {@code WordCounts} indexing past them, an {@code
 * ArrayIndexOutOfBoundsException} out of {@code Func.call}; issue 35: a slot counted as taken before
 * the table grew was lost for good); the tests prove that at each allocation, which only a maker
 * they control can fail on cue. In {@code sys}, which imports nothing of the loader's other
 * packages, so that {@link WasmFaults} grows by it too.
 */
public class TableArrays {
  /** The Java heap's arrays. */
  public static final TableArrays HEAP = new TableArrays();

  /** For a maker of the tests' that fails on cue. */
  protected TableArrays() {}

  public long[] longs(int length) {
    return new long[length];
  }

  public int[] ints(int length) {
    return new int[length];
  }

  public byte[] bytes(int length) {
    return new byte[length];
  }

  public Class<?>[] classes(int length) {
    return new Class<?>[length];
  }

  public Object[] objects(int length) {
    return new Object[length];
  }

  /** A copy of {@code original} of {@code length} elements, the first ones its own ({@link Arrays#copyOf}). */
  public <T> T[] copyOf(T[] original, int length) {
    return Arrays.copyOf(original, length);
  }
}
