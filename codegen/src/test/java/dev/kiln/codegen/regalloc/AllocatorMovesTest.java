package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the allocator leaves in the code, over seeded random functions in an environment small enough
 * to force spills: no move that {@link RedundantMoves} should have dropped, and {@link MoveCounts}
 * that classify every emitted move once.
 */
class AllocatorMovesTest {
  private static final MachineEnv ENV = TestEnvs.small(3, 1, 2, true);
  private static final int FUNCTIONS = 400;

  @Test
  void noMoveUndoesThePreviousOneOrCopiesALocationOntoItself() {
    int edits = 0;
    for (long seed = 5_000_000L; seed < 5_000_000L + FUNCTIONS; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, ENV);
      RegAllocOutput out = RegAllocator.allocate(f, ENV);
      Checker.check(f, ENV, out);
      List<Edit> list = out.edits();
      edits += list.size();
      for (int k = 0; k < list.size(); k++) {
        Edit e = list.get(k);
        assertNotEquals(e.from(), e.to(), "seed " + seed + ": " + e);
        if (k > 0 && list.get(k - 1).point().equals(e.point())) {
          Edit prev = list.get(k - 1);
          assertTrue(!(prev.from().equals(e.to()) && prev.to().equals(e.from())),
              "seed " + seed + ": " + e + " undoes " + prev);
        }
      }
    }
    assertTrue(edits > 0, "the environment forces moves");
  }

  /**
   * Spill stores that write a value into a slot which, by the checker's own dataflow, holds it on
   * every path there already are left out (SlotHolding). Over these functions they were about a
   * fifth of all stores without it and are under a twentieth with it (what is left: facts at a
   * block's last instruction and the like, which the analysis leaves out to stay simple).
   */
  @Test
  void spillStoresIntoASlotThatHoldsTheValueAreLeftOut() {
    int redundant = 0;
    int stores = 0;
    for (long seed = 7_000_000L; seed < 7_000_000L + FUNCTIONS; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, ENV);
      RegAllocOutput out = RegAllocator.allocate(f, ENV);
      redundant += Checker.redundantSpillStores(f, ENV, out);
      stores += out.stats().moveCounts().spillStores();
    }
    assertTrue(stores > 0, "three registers force spills");
    assertTrue(redundant * 20 < stores, redundant + " of " + stores + " spill stores write what the slot holds");
  }

  @Test
  void moveCountsClassifyEveryEmittedMoveOnce() {
    MoveCounts sum = MoveCounts.NONE;
    for (long seed = 6_000_000L; seed < 6_000_000L + FUNCTIONS; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, ENV);
      RegAllocOutput out = RegAllocator.allocate(f, ENV);
      MoveCounts c = out.stats().moveCounts();
      int stores = 0;
      int reloads = 0;
      int copies = 0;
      for (Edit e : out.edits()) {
        switch (e.to()) {
          case SpillSlot _ -> stores++;
          case PReg _ when e.from() instanceof SpillSlot -> reloads++;
          default -> copies++;
        }
      }
      for (int i = 0; i < f.numInsts(); i++) {
        List<Allocation> a = out.allocations(i);
        if (f.isMove(i) && !a.get(0).equals(a.get(1))) {
          copies++;
        }
      }
      assertEquals(stores, c.spillStores(), "seed " + seed);
      assertEquals(reloads, c.reloads(), "seed " + seed);
      assertEquals(copies, c.copies(), "seed " + seed);
      assertTrue(c.loopSpillStores() <= c.spillStores() && c.loopReloads() <= c.reloads()
          && c.loopCopies() <= c.copies(), "seed " + seed + ": " + c);
      sum = sum.plus(c);
    }
    assertTrue(sum.spillStores() > 0 && sum.reloads() > 0, "three registers force spills: " + sum);
    assertTrue(sum.loopSpillStores() + sum.loopReloads() + sum.loopCopies() > 0,
        "random functions have loops with moves in them: " + sum);
    assertTrue(sum.loopSpillStores() < sum.spillStores(), "not every move is in a loop: " + sum);
  }
}
