package dev.kiln.ir;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * Many small growable int lists in one int array, named by an int handle: instruction operands,
 * instruction results, block parameters and branch arguments, without an object per list. A list
 * that outgrows its capacity moves to the end of the array with double the room; the hole it leaves
 * is not reused (a function's lists are dropped all at once, as Cranelift's value-list pools are).
 */
public final class IntListPool {
  private int[] data = new int[64];
  private int used;
  private int[] start = new int[16];
  private int[] length = new int[16];
  private int[] capacity = new int[16];
  private int lists;

  /** An empty pool. */
  public IntListPool() {}

  /**
   * Makes room for {@code lists} lists holding {@code elements} elements in all, so a pool that
   * ends up about that large is not copied on the way there (each doubling copies the whole array).
   * Only ever grows the arrays; what the pool holds is unchanged.
   */
  public void reserve(int lists, int elements) {
    if (lists > start.length) {
      start = Arrays.copyOf(start, lists);
      length = Arrays.copyOf(length, lists);
      capacity = Arrays.copyOf(capacity, lists);
    }
    if (elements > data.length) {
      data = Arrays.copyOf(data, elements);
    }
  }

  /**
   * Forgets every list but keeps the arrays, for the next function a compile worker translates
   * ({@link ReusedGraph}). Nothing past {@link #reserved()} and the list count is read before it is
   * written again: a list's slots are written as elements are added, its start, length and capacity
   * when it is created.
   */
  void clear() {
    used = 0;
    lists = 0;
  }

  /** The bytes the pool's arrays take, whatever they hold. */
  long arrayBytes() {
    return 4L * (data.length + start.length + length.length + capacity.length);
  }

  /** A new empty list with room for {@code initialCapacity} elements. */
  public int create(int initialCapacity) {
    if (lists == start.length) {
      int n = lists * 2;
      start = Arrays.copyOf(start, n);
      length = Arrays.copyOf(length, n);
      capacity = Arrays.copyOf(capacity, n);
    }
    int cap = Math.max(initialCapacity, 0);
    ensureData(used + cap);
    start[lists] = used;
    length[lists] = 0;
    capacity[lists] = cap;
    used += cap;
    return lists++;
  }

  /** A new list holding {@code elements}. */
  public int create(int[] elements) {
    int list = create(elements.length);
    System.arraycopy(elements, 0, data, start[list], elements.length);
    length[list] = elements.length;
    return list;
  }

  /** A new list holding {@code element} alone, with room for it only. */
  public int createHolding(int element) {
    int list = create(1);
    data[start[list]] = element;
    length[list] = 1;
    return list;
  }

  public int size(int list) {
    return length[list];
  }

  public int get(int list, int index) {
    checkIndex(list, index);
    return data[start[list] + index];
  }

  public void set(int list, int index, int value) {
    checkIndex(list, index);
    data[start[list] + index] = value;
  }

  public void add(int list, int value) {
    if (length[list] == capacity[list]) {
      int newCap = Math.max(4, capacity[list] * 2);
      ensureData(used + newCap);
      System.arraycopy(data, start[list], data, used, length[list]);
      start[list] = used;
      capacity[list] = newCap;
      used += newCap;
    }
    data[start[list] + length[list]++] = value;
  }

  /** Replaces each element {@code e} of {@code list} that {@code resolve} changes by {@code resolve(e)}. */
  void resolveAll(int list, IntUnaryOperator resolve) {
    for (int k = start[list], end = k + length[list]; k < end; k++) {
      int e = data[k];
      int resolved = resolve.applyAsInt(e);
      if (resolved != e) {
        data[k] = resolved;
      }
    }
  }

  /**
   * Adds one to {@code counts[e]} for each element {@code e} of {@code list}, read in place, and
   * with {@code users} not null sets {@code users[e] = user}.
   */
  void countEach(int list, int[] counts, int[] users, int user) {
    int end = start[list] + length[list];
    if (users == null) {
      for (int k = start[list]; k < end; k++) {
        counts[data[k]]++;
      }
    } else {
      for (int k = start[list]; k < end; k++) {
        int e = data[k];
        counts[e]++;
        users[e] = user;
      }
    }
  }

  /**
   * {@code h} with each element {@code e} of {@code list} folded in, in order, as {@code h = 31 * h
   * + e}; read in place.
   */
  int foldHash(int list, int h) {
    for (int k = start[list], end = k + length[list]; k < end; k++) {
      h = 31 * h + data[k];
    }
    return h;
  }

  /** Whether lists {@code a} and {@code b} hold the same elements in the same order, read in place. */
  boolean sameElements(int a, int b) {
    int n = length[a];
    if (length[b] != n) {
      return false;
    }
    // a loop, not Arrays.equals: an operand list holds one to three elements, fewer than the range
    // check and mismatch search of the library's version pay off for
    for (int i = start[a], j = start[b], end = i + n; i < end; i++, j++) {
      if (data[i] != data[j]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Replaces each element {@code e} of {@code list} by {@code resolve(e)} ({@link #resolveAll};
   * none when {@code resolve} is null) and adds one to {@code counts} at what it holds then.
   */
  void resolveAndCount(int list, IntUnaryOperator resolve, int[] counts) {
    int end = start[list] + length[list];
    if (resolve == null) {
      for (int k = start[list]; k < end; k++) {
        counts[data[k]]++;
      }
      return;
    }
    for (int k = start[list]; k < end; k++) {
      int e = data[k];
      int resolved = resolve.applyAsInt(e);
      if (resolved != e) {
        data[k] = resolved;
      }
      counts[resolved]++;
    }
  }

  /** Takes one off {@code counts[e]} for each element {@code e} of {@code list}, read in place. */
  void discountEach(int list, int[] counts) {
    for (int k = start[list], end = k + length[list]; k < end; k++) {
      counts[data[k]]--;
    }
  }

  /** Whether {@code counts[e]} is 0 for each element {@code e} of {@code list}, read in place. */
  boolean noneCounted(int list, int[] counts) {
    for (int k = start[list], end = k + length[list]; k < end; k++) {
      if (counts[data[k]] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Removes the element at {@code index}, shifting later ones down. */
  public void remove(int list, int index) {
    checkIndex(list, index);
    int s = start[list];
    System.arraycopy(data, s + index + 1, data, s + index, length[list] - index - 1);
    length[list]--;
  }

  /** Replaces the contents with {@code elements}. */
  public void replace(int list, int[] elements) {
    length[list] = 0;
    for (int e : elements) {
      add(list, e);
    }
  }

  /**
   * The elements the pool has reserved so far, holes included: its lists take no more room than
   * this (plus the per-list bookkeeping), however they were built.
   */
  public int reserved() {
    return used;
  }

  public int[] toArray(int list) {
    return Arrays.copyOfRange(data, start[list], start[list] + length[list]);
  }

  // The message is built in a method of its own: with it inline, checkIndex outgrew the size C1
  // inlines (35 bytes of bytecode), and every get and set paid a call (kiln compile runs C1 only).
  private void checkIndex(int list, int index) {
    if (index < 0 || index >= length[list]) {
      throw outOfRange(list, index);
    }
  }

  private IndexOutOfBoundsException outOfRange(int list, int index) {
    return new IndexOutOfBoundsException("index " + index + " of list of " + length[list]);
  }

  private void ensureData(int needed) {
    if (needed > data.length) {
      data = Arrays.copyOf(data, Math.max(needed, data.length * 2));
    }
  }
}
