package dev.kiln.ir.builder;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The builder's (variable, block) to value table, -1 meaning absent: per variable, an open-addressing
 * table from block to value while the variable has values in few blocks, an array indexed by block
 * once that array would be no larger than the table.
 *
 * <p>Why per variable: a read at a merge reads its variable at the end of every predecessor, so the
 * searches look one variable up in many blocks in a row (ruby's function 1706: 153 variables read
 * at a merge of 765 edges, 443,000 lookups and insertions over 280,000 pairs). In one table keyed by
 * the pair (12 MB there) each of them was a cache miss (LongIntMap.get was 6.4% of that function's
 * compile); a variable's own table holds its share of the pairs (median 1,553 there) and stays in
 * cache while the searches read it. Why arrays: once a variable has values in an eighth or more of
 * the blocks up to its last, an array indexed by block takes no more memory than its table would,
 * and needs neither hashing nor probing nor a rehash as it grows. A value far past the array's end
 * makes it a table again, so beyond its first table neither form takes more than 8 ints per value.
 */
final class VariableDefinitions {
  private static final int ABSENT = -1;
  /** Pairs a variable's first table has room for. */
  private static final int MIN_PAIRS = 8;

  /**
   * Per variable, null when it has no values yet: an array indexed by block (when {@link #dense}
   * has the variable) or an open-addressing table of block, value, block, value... (slots found
   * by the block's hash, half of them free at most).
   */
  private int[][] tables = new int[16][];
  /** Per variable: the blocks it has a value in. */
  private int[] sizes = new int[16];
  /** The variables whose values are in an array indexed by block. */
  private final BitSet dense = new BitSet();

  /** The value {@code var} holds at the end of {@code block}, or -1 when none is recorded. */
  int get(int var, int block) {
    int[] table = var < tables.length ? tables[var] : null;
    if (table == null) {
      return ABSENT;
    }
    if (dense.get(var)) {
      return block < table.length ? table[block] : ABSENT;
    }
    int i = slotOf(table, block);
    return table[i] == block ? table[i + 1] : ABSENT;
  }

  /** {@code var} holds {@code value} at the end of {@code block}. */
  void put(int var, int block, int value) {
    if (var >= tables.length) {
      int n = Math.max(var + 1, tables.length * 2);
      tables = Arrays.copyOf(tables, n);
      sizes = Arrays.copyOf(sizes, n);
    }
    int[] table = tables[var];
    if (table == null) {
      table = tables[var] = filled(2 * MIN_PAIRS);
    } else if (!dense.get(var) && (sizes[var] + 1) * 4 > table.length) {
      table = tables[var] = grownTable(var, table, block);
    } else if (dense.get(var) && block >= table.length) {
      table = tables[var] = grownArray(var, table, block);
    }
    if (dense.get(var)) {
      sizes[var] += table[block] == ABSENT ? 1 : 0;
      table[block] = value;
    } else if (insert(table, block, value)) {
      sizes[var]++;
    }
  }

  /**
   * {@code var}'s full table, twice as large, or an array indexed by block when that is no larger
   * (with {@code block} about to be put, in range).
   */
  private int[] grownTable(int var, int[] table, int block) {
    int length = 2 * table.length;
    int lastBlock = block;
    for (int i = 0; i < table.length; i += 2) {
      lastBlock = Math.max(lastBlock, table[i]);
    }
    int[] larger = filled(length);
    if (lastBlock < length) {
      dense.set(var);
      for (int i = 0; i < table.length; i += 2) {
        if (table[i] != ABSENT) {
          larger[table[i]] = table[i + 1];
        }
      }
      return larger;
    }
    for (int i = 0; i < table.length; i += 2) {
      if (table[i] != ABSENT) {
        insert(larger, table[i], table[i + 1]);
      }
    }
    return larger;
  }

  /** The values of {@code array}, indexed by block, in a table with room for {@code pairs}. */
  private static int[] tableOf(int[] array, int pairs) {
    int length = 4 * MIN_PAIRS;
    while (length < 4 * pairs) {
      length *= 2;
    }
    int[] table = filled(length);
    for (int block = 0; block < array.length; block++) {
      if (array[block] != ABSENT) {
        insert(table, block, array[block]);
      }
    }
    return table;
  }

  /** Ints held for the values of every variable (for tests that count the memory). */
  long footprint() {
    long ints = 0;
    for (int[] table : tables) {
      ints += table == null ? 0 : table.length;
    }
    return ints;
  }

  /** Puts the pair into {@code table}; whether the block is new there. */
  private static boolean insert(int[] table, int block, int value) {
    int i = slotOf(table, block);
    boolean added = table[i] == ABSENT;
    table[i] = block;
    table[i + 1] = value;
    return added;
  }

  /**
   * Where {@code block}'s pair is in {@code table} (the index of its block), or the free slot where
   * it would go: linear probing from the block's hash.
   */
  private static int slotOf(int[] table, int block) {
    int mask = table.length / 2 - 1;
    int i = mix(block) & mask;
    while (table[2 * i] != block && table[2 * i] != ABSENT) {
      i = (i + 1) & mask;
    }
    return 2 * i;
  }

  /**
   * {@code var}'s array, long enough for {@code block}; or, when that would take more than 8 ints
   * per value (a value far past the blocks it covers), a table again.
   */
  private int[] grownArray(int var, int[] array, int block) {
    int length = Math.max(block + 1, 2 * array.length);
    if ((long) (sizes[var] + 1) * 8 < length) {
      dense.clear(var);
      return tableOf(array, sizes[var] + 1);
    }
    int[] larger = Arrays.copyOf(array, length);
    Arrays.fill(larger, array.length, length, ABSENT);
    return larger;
  }

  private static int[] filled(int length) {
    int[] array = new int[length];
    Arrays.fill(array, ABSENT);
    return array;
  }

  private static int mix(int block) {
    int h = block * 0x9E37_79B9;
    return h ^ (h >>> 16);
  }
}
