package dev.kiln.wasm.module;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of ints stored in an {@code int[]}: four bytes an item. The module's item lists
 * whose length the module's bytes decide (an element segment's function indices, one LEB byte each)
 * are kept so: a list of boxed {@code Integer}s costs a reference and, past the small-integer cache,
 * a 16-byte object per item, which made one hostile segment hold ten bytes of Java heap per byte of
 * input. {@link #get} boxes on the way out, for readers that want a {@code List<Integer>}; {@link
 * #getInt} does not.
 */
public final class PackedInts extends AbstractList<Integer> implements RandomAccess {
  private static final PackedInts EMPTY = new PackedInts(new int[0], 0);

  private final int[] values;
  private final int size;

  private PackedInts(int[] values, int size) {
    this.values = values;
    this.size = size;
  }

  /** {@code list} packed, or itself if it already is. */
  public static PackedInts copyOf(List<Integer> list) {
    if (list instanceof PackedInts packed) {
      return packed;
    }
    Builder builder = new Builder(list.size());
    for (Integer value : list) {
      builder.add(value);
    }
    return builder.build();
  }

  @Override
  public Integer get(int index) {
    return getInt(index);
  }

  /** The item at {@code index}, unboxed. */
  public int getInt(int index) {
    java.util.Objects.checkIndex(index, size);
    return values[index];
  }

  @Override
  public int size() {
    return size;
  }

  /**
   * Collects ints into a growing array; {@link #build} hands it over without copying when it is full,
   * so the peak is the array and, while it grows, its predecessor.
   */
  public static final class Builder {
    private int[] values;
    private int size;

    /** A builder with room for {@code expected} items (a guess: a declared count may lie). */
    public Builder(int expected) {
      values = new int[Math.max(8, expected)];
    }

    public void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, values.length + (values.length >> 1) + 1);
      }
      values[size++] = value;
    }

    public int size() {
      return size;
    }

    public PackedInts build() {
      if (size == 0) {
        return EMPTY;
      }
      return new PackedInts(size == values.length ? values : Arrays.copyOf(values, size), size);
    }
  }
}
