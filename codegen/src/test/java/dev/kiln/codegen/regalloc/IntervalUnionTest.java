package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IntervalBuilder#union} of two lists in order of start, overlapping inside each list and
 * across them, gives the ranges one sort and merge of all of them gives ({@link
 * IntervalBuilder#sortedDisjoint}, how spilled vregs' lifetimes were made).
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
    int[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return IntervalBuilder.sortedDisjoint(both);
  }
}
