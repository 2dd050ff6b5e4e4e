package dev.kiln.ir.builder;

import java.util.Arrays;

/**
 * Open-addressing hash map from long keys to int values, -1 meaning absent: the translator's callee
 * to function reference and callee type to signature reference tables, without a boxed entry per
 * key.
 */
public final class LongIntMap {
  private static final long EMPTY = Long.MIN_VALUE;

  private static final int MIN_CAPACITY = 64;

  private long[] keys;
  private int[] values;
  private int size;

  public LongIntMap() {
    keys = new long[MIN_CAPACITY];
    values = new int[MIN_CAPACITY];
    Arrays.fill(keys, EMPTY);
  }

  /** The value of {@code key}, or -1 when it has none. */
  public int get(long key) {
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return values[i];
      }
      if (keys[i] == EMPTY) {
        return -1;
      }
    }
  }

  /** Sets {@code key}'s value; {@link Long#MIN_VALUE} is reserved. */
  public void put(long key, int value) {
    if (key == EMPTY) {
      throw new IllegalArgumentException("reserved key");
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      if (keys[i] == EMPTY) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int mix(long key) {
    long h = key * 0x9E37_79B9_7F4A_7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
