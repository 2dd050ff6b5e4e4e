package dev.kiln.loader.runtime;

import java.util.function.LongPredicate;

/**
 * The tag identities of the exception objects one collection copied ({@link GcCollector}): what
 * the store's {@link TagRegistry} keeps past the instances that held them. A set of longs with open
 * addressing (a tag identity is never 0, the empty slot), so a collection adds one per exception
 * object it copies without boxing; consecutive objects of one tag, the common case, cost one
 * comparison.
 */
final class LiveTags implements LongPredicate {
  private long[] slots = new long[16];
  private int size;
  /** The identity added last: runs of one tag's objects skip the probe. */
  private long last;

  /** Adds {@code identity} (nonzero) to the set. */
  void add(long identity) {
    if (identity == last || identity == 0) {
      return;
    }
    last = identity;
    if (2 * (size + 1) > slots.length) {
      grow();
    }
    insert(identity);
  }

  /** Whether {@code identity} is in the set. */
  @Override
  public boolean test(long identity) {
    int mask = slots.length - 1;
    for (int i = index(identity, mask); slots[i] != 0; i = (i + 1) & mask) {
      if (slots[i] == identity) {
        return true;
      }
    }
    return false;
  }

  private void insert(long identity) {
    int mask = slots.length - 1;
    int i = index(identity, mask);
    while (slots[i] != 0) {
      if (slots[i] == identity) {
        return;
      }
      i = (i + 1) & mask;
    }
    slots[i] = identity;
    size++;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[2 * old.length];
    size = 0;
    for (long identity : old) {
      if (identity != 0) {
        insert(identity);
      }
    }
  }

  /** Identities are handed out in sequence: the multiply spreads neighbours over the table. */
  private static int index(long identity, int mask) {
    return (int) ((identity * 0x9E3779B97F4A7C15L) >>> 32) & mask;
  }
}
