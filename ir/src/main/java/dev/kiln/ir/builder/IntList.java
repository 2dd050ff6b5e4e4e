package dev.kiln.ir.builder;

import java.util.Arrays;

/** A growable list of ints without boxing, for the builder's per-block bookkeeping. */
final class IntList {
  private int[] data = new int[4];
  private int size;

  void add(int x) {
    if (size == data.length) {
      data = Arrays.copyOf(data, size * 2);
    }
    data[size++] = x;
  }

  int get(int i) {
    return data[i];
  }

  void set(int i, int x) {
    data[i] = x;
  }

  int size() {
    return size;
  }

  /** Drops the elements from index {@code newSize} on. */
  void truncate(int newSize) {
    size = newSize;
  }

  void clear() {
    size = 0;
  }
}
