package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.SlotColouringTest.pairs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LifetimeOverlap}: the same answers as cutting the window out of the first lifetime and
 * merging both lists from their starts (how {@link AllocState} joined a block parameter's slot with
 * an argument's before), reading only the first lifetime's ranges where the second is.
 */
class LifetimeOverlapTest {
  @Test
  void answersAsCuttingAndMergingWholeListsDid() {
    Random random = new Random(40);
    for (int round = 0; round < 5000; round++) {
      List<int[]> a = randomLifetime(random, 1 + random.nextInt(12));
      List<int[]> b = randomLifetime(random, 1 + random.nextInt(4));
      int from = random.nextInt(120);
      int[] cut = random.nextBoolean() ? null : new int[] {from, from + 1 + random.nextInt(8)};
      List<int[]> cutA = cut == null ? a : without(a, cut);
      assertEquals(overlaps(cutA, b), new LifetimeOverlap().meets(pairs(a), cut, pairs(b)), "round " + round);
    }
  }

  @Test
  void aLongLifetimeIsReadOnlyWhereTheShortOneIs() {
    // A block parameter live in 10,000 ranges, an argument live in two of its gaps, and the window of
    // the argument's edge: the copy without the window alone read all 10,000.
    List<int[]> parameter = new ArrayList<>();
    for (int k = 0; k < 10_000; k++) {
      parameter.add(new int[] {10 * k, 10 * k + 8});
    }
    List<int[]> argument = List.of(new int[] {50_008, 50_010}, new int[] {50_018, 50_020});
    LifetimeOverlap overlap = new LifetimeOverlap();
    assertFalse(overlap.meets(pairs(parameter), new int[] {50_000, 50_004}, pairs(argument)));
    assertTrue(overlap.rangesRead <= 20, overlap.rangesRead + " ranges read");
    // Where they do meet outside the window, it says so.
    assertTrue(overlap.meets(pairs(parameter), new int[] {50_000, 50_004}, new int[] {50_007, 50_009}));
  }

  private static List<int[]> randomLifetime(Random random, int ranges) {
    List<int[]> out = new ArrayList<>();
    int at = random.nextInt(10);
    for (int r = 0; r < ranges; r++) {
      int to = at + 1 + random.nextInt(10);
      out.add(new int[] {at, to});
      at = to + 1 + random.nextInt(10);
    }
    return out;
  }

  /** {@code ranges} without the positions of {@code cut}, as AllocState cut them. */
  private static List<int[]> without(List<int[]> ranges, int[] cut) {
    List<int[]> out = new ArrayList<>();
    for (int[] r : ranges) {
      if (r[0] < cut[0]) {
        out.add(new int[] {r[0], Math.min(r[1], cut[0])});
      }
      if (r[1] > cut[1]) {
        out.add(new int[] {Math.max(r[0], cut[1]), r[1]});
      }
    }
    return out;
  }

  /** The merge from both starts that AllocState used. */
  private static boolean overlaps(List<int[]> a, List<int[]> b) {
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      if (a.get(i)[1] <= b.get(j)[0]) {
        i++;
      } else if (b.get(j)[1] <= a.get(i)[0]) {
        j++;
      } else {
        return true;
      }
    }
    return false;
  }
}
