package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link RangesByStart} answers as a sorted map from start to range would, register by register, and
 * bounds every register's range ends.
 */
class RangesByStartTest {
  private static LiveInterval piece(int vreg) {
    return new LiveInterval(vreg, RegClass.INT, vreg, new int[] {0}, new int[] {1}, 0, 1, new int[0], 0, 0);
  }

  /**
   * An add at a start the register already has reports the node there (the scan's check that two
   * pieces never hold one register at once), wherever on the insertion's path that node lies: above
   * the new node's place or in the subtree split below it.
   */
  @Test
  void anAddAtATakenStartReportsTheNodeThere() {
    Random random = new Random(41);
    LiveInterval owner = piece(1);
    for (int trial = 0; trial < 500; trial++) {
      RangesByStart ranges = new RangesByStart(1);
      int n = 1 + random.nextInt(40);
      for (int k = 0; k < n; k++) {
        assertEquals(RangesByStart.NONE, ranges.add(0, 4 * k, 4 * k + 2, owner));
      }
      int taken = 4 * random.nextInt(n);
      int node = ranges.startingAt(0, taken);
      assertEquals(node, ranges.add(0, taken, taken + 1, piece(2)), "start " + taken + " of " + n);
    }
  }

  @Test
  void answersAsASortedMapUnderRandomAddsRemovesAndReplaces() {
    int registers = 3;
    RangesByStart ranges = new RangesByStart(registers);
    List<TreeMap<Integer, int[]>> model = new ArrayList<>();
    for (int r = 0; r < registers; r++) {
      model.add(new TreeMap<>());
    }
    LiveInterval[] pieces = new LiveInterval[50];
    for (int v = 0; v < pieces.length; v++) {
      pieces[v] = piece(v);
    }
    Random random = new Random(40);
    for (int step = 0; step < 200_000; step++) {
      int r = random.nextInt(registers);
      int start = random.nextInt(2_000);
      int op = random.nextInt(4);
      int node = ranges.startingAt(r, start);
      assertEquals(model.get(r).containsKey(start), node != RangesByStart.NONE, "startingAt " + start);
      if (op == 0 && node == RangesByStart.NONE) {
        int v = random.nextInt(pieces.length);
        assertEquals(RangesByStart.NONE, ranges.add(r, start, start + 1 + random.nextInt(10), pieces[v]));
        model.get(r).put(start, new int[] {ranges.to(ranges.startingAt(r, start)), v});
      } else if (op == 1 && node != RangesByStart.NONE) {
        ranges.remove(r, node);
        model.get(r).remove(start);
      } else if (op == 2 && node != RangesByStart.NONE) {
        int v = random.nextInt(pieces.length);
        ranges.replace(r, node, start + 20, pieces[v]);
        model.get(r).put(start, new int[] {start + 20, v});
      }
      int pos = random.nextInt(2_100) - 50;
      assertSame(model.get(r).floorEntry(pos), ranges, ranges.floor(r, pos), pieces);
      assertSame(model.get(r).higherEntry(pos), ranges, ranges.higher(r, pos), pieces);
      ranges.locate(r, pos);
      assertSame(model.get(r).floorEntry(pos), ranges, ranges.floorFound(), pieces);
      assertSame(model.get(r).higherEntry(pos), ranges, ranges.higherFound(), pieces);
      if (step % 64 == 0) {
        for (int[] range : model.get(r).values()) {
          assertTrue(range[0] <= ranges.endBound(r), "end " + range[0] + " past the bound " + ranges.endBound(r));
        }
      }
    }
  }

  /**
   * Starts added in ascending order (the order a scan meets them) still make a shallow tree: a
   * degenerate one (a list) would cost every search the number of ranges.
   */
  @Test
  void ascendingStartsStayShallow() {
    RangesByStart ranges = new RangesByStart(1);
    LiveInterval owner = piece(0);
    int count = 100_000;
    for (int k = 0; k < count; k++) {
      ranges.add(0, 2 * k, 2 * k + 1, owner);
    }
    // A random binary search tree of n keys is about 4.3 ln n deep at most (Devroye, 1986): 50 here.
    assertTrue(ranges.depth(0) < 100, "depth " + ranges.depth(0));
    assertEquals(2 * 1234, ranges.from(ranges.floor(0, 2 * 1234 + 1)));
    for (int k = 0; k < count; k += 2) {
      ranges.remove(0, ranges.startingAt(0, 2 * k));
    }
    assertTrue(ranges.depth(0) < 100, "depth " + ranges.depth(0));
    assertEquals(2 * 1235, ranges.from(ranges.higher(0, 2 * 1233)));
    assertEquals(RangesByStart.NONE, ranges.higher(0, 2 * count));
  }

  private static void assertSame(Map.Entry<Integer, int[]> expected, RangesByStart ranges, int node,
      LiveInterval[] pieces) {
    if (expected == null) {
      assertEquals(RangesByStart.NONE, node);
      return;
    }
    assertEquals((int) expected.getKey(), ranges.from(node));
    assertEquals(expected.getValue()[0], ranges.to(node));
    assertEquals(pieces[expected.getValue()[1]], ranges.piece(node));
  }

  /**
   * A store makes its node arrays when ranges come ({@link AllocatedBytes}): a scan makes one per
   * register class, and a store for the class a function does not use took 1,872 bytes (six arrays
   * of 64 nodes).
   */
  @Test
  void aStoreWithoutRangesMakesNoNodeArrays() {
    long emptyBytes = AllocatedBytes.fewest(() -> new RangesByStart(16));
    assertTrue(emptyBytes <= 400, emptyBytes + " bytes for a store without ranges");
  }
}
