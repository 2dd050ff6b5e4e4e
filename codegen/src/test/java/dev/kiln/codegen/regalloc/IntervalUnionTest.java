package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IntervalBuilder#union} of two lists in order of start, overlapping inside each list and
 * across them, gives the ranges one sort and merge of all of them gives ({@link
 * IntervalBuilder#mergePacked}, how spilled vregs' lifetimes were made).
 */
class IntervalUnionTest {
  @Test
  void mergesAsSortingEveryRangeDid() {
    Random random = new Random(41);
    for (int round = 0; round < 5000; round++) {
      int[] a = randomRanges(random, random.nextInt(12));
      int[] b = randomRanges(random, random.nextInt(12));
      assertArrayEquals(sortedAndMerged(a, b), IntervalBuilder.union(a, a.length, b, b.length), "round " + round);
    }
  }

  /** Ranges as from/to pairs in order of start, some overlapping or touching the one before. */
  private static int[] randomRanges(Random random, int count) {
    int[] out = new int[2 * count];
    int at = random.nextInt(10) - 3;
    for (int k = 0; k < count; k++) {
      out[2 * k] = at;
      out[2 * k + 1] = at + 1 + random.nextInt(8);
      at += random.nextInt(8);
    }
    return out;
  }

  private static int[] sortedAndMerged(int[] a, int[] b) {
    int n = (a.length + b.length) / 2;
    long[] packed = new long[n];
    for (int k = 0; k < a.length / 2; k++) {
      packed[k] = IntervalBuilder.pack(a[2 * k], a[2 * k + 1]);
    }
    for (int k = 0; k < b.length / 2; k++) {
      packed[a.length / 2 + k] = IntervalBuilder.pack(b[2 * k], b[2 * k + 1]);
    }
    int[] from = new int[n];
    int[] to = new int[n];
    int merged = IntervalBuilder.mergePacked(packed, n, from, to, 0);
    int[] out = new int[2 * merged];
    for (int k = 0; k < merged; k++) {
      out[2 * k] = from[k];
      out[2 * k + 1] = to[k];
    }
    return out;
  }
}
