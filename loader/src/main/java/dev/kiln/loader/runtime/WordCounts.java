package dev.kiln.loader.runtime;

import dev.kiln.loader.sys.TableArrays;

/**
 * How many times each nonzero 64-bit word is held, found in expected constant time: an open
 * addressing table with linear probing (Knuth, TAOCP vol. 3, 6.4, Algorithm L; deletion by
 * Algorithm R, so no tombstones pile up), at most half full.
 *
 * <p>The words are heap addresses a guest's allocations place, so a guest could choose which words
 * are held. A word's home slot is the top bits of MurmurHash3's 64-bit finaliser (fmix64, a public
 * domain mixing function) of the word plus a seed drawn at random per table: nearby addresses
 * scatter over the table, and without the seed a guest cannot line up addresses that probe the
 * same run; the seeds come from a {@code SecureRandom} without its lock ({@link TableSeeds}). Not
 * thread-safe: its owner locks.
 */
final class WordCounts {
  private final long seed = TableSeeds.next();
  private final TableArrays arrays;
  /** The words; 0 marks an empty slot. */
  private long[] words = new long[16];
  private int[] counts = new int[16];
  /** log2 of the table's length. */
  private int bits = 4;
  private int size;
  /** Table slots compared with a word by {@link #contains}: the work of the lookups, for tests. */
  private long probes;

  WordCounts() {
    this(TableArrays.HEAP);
  }

  /** A table whose growth allocates its arrays from {@code arrays} (a test's, to fail on cue). */
  WordCounts(TableArrays arrays) {
    this.arrays = arrays;
  }

  /** Whether {@code word} is held at least once. */
  boolean contains(long word) {
    int mask = words.length - 1;
    for (int at = home(word); ; at = (at + 1) & mask) {
      probes++;
      if (words[at] == word) {
        return word != 0;
      }
      if (words[at] == 0) {
        return false;
      }
    }
  }

  /** Holds {@code word} (not 0) once more. */
  void add(long word) {
    if (word == 0) {
      throw new IllegalArgumentException("0 is no word to hold");
    }
    if (2 * (size + 1) > words.length) {
      grow();
    }
    int at = find(word);
    if (words[at] == 0) {
      words[at] = word;
      size++;
    }
    counts[at]++;
  }

  /** Holds {@code word} once less; nothing if it is not held. */
  void remove(long word) {
    int at = find(word);
    if (words[at] == 0 || --counts[at] > 0) {
      return;
    }
    // Algorithm R: move each later word of the run whose home does not lie in (hole, j] into the hole
    int mask = words.length - 1;
    int hole = at;
    for (int j = (hole + 1) & mask; words[j] != 0; j = (j + 1) & mask) {
      int home = home(words[j]);
      boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        words[hole] = words[j];
        counts[hole] = counts[j];
        hole = j;
      }
    }
    words[hole] = 0;
    counts[hole] = 0;
    size--;
  }

  /** Forgets every word. */
  void clear() {
    java.util.Arrays.fill(words, 0);
    java.util.Arrays.fill(counts, 0);
    size = 0;
  }

  /** The table's seed: for tests. */
  long seed() {
    return seed;
  }

  /** Table slots {@link #contains} has compared so far. */
  long probes() {
    return probes;
  }

  /** The slot holding {@code word}, or the empty one where it would go. */
  private int find(long word) {
    return find(words, bits, word);
  }

  /** {@link #find} in a table of {@code 1 << bits} slots {@code in}. */
  private int find(long[] in, int bits, long word) {
    int mask = in.length - 1;
    int at = home(word, bits);
    while (in[at] != 0 && in[at] != word) {
      at = (at + 1) & mask;
    }
    return at;
  }

  private int home(long word) {
    return home(word, bits);
  }

  private int home(long word, int bits) {
    long h = word + seed;
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return (int) ((h ^ (h >>> 33)) >>> (64 - bits));
  }

  /**
   * Doubles the table: both arrays allocated and filled first, the three fields written after, so
   * an {@code OutOfMemoryError} at either allocation leaves the table as it was (red team 24 F3:
   * {@code bits} raised before them made every later lookup index past the arrays).
   */
  private void grow() {
    int grownBits = bits + 1;
    long[] grownWords = arrays.longs(1 << grownBits);
    int[] grownCounts = arrays.ints(1 << grownBits);
    for (int i = 0; i < words.length; i++) {
      if (words[i] != 0) {
        int at = find(grownWords, grownBits, words[i]);
        grownWords[at] = words[i];
        grownCounts[at] = counts[i];
      }
    }
    words = grownWords;
    counts = grownCounts;
    bits = grownBits;
  }
}
