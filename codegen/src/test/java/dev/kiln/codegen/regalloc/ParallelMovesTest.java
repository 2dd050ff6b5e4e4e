package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sequentialized parallel moves compute what the parallel move means, for random move sets. */
class ParallelMovesTest {
  private static List<Allocation> locations() {
    List<Allocation> locs = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      locs.add(PReg.intReg(r));
    }
    for (int s = 0; s < 4; s++) {
      locs.add(new SpillSlot(RegClass.INT, s));
    }
    return locs;
  }

  private static void check(List<ParallelMoves.Move> parallel, PReg scratch) {
    List<Allocation> locs = locations();
    Map<Allocation, Long> before = new HashMap<>();
    for (int k = 0; k < locs.size(); k++) {
      before.put(locs.get(k), 100L + k);
    }
    Map<Allocation, Long> expected = new HashMap<>(before);
    for (ParallelMoves.Move m : parallel) {
      expected.put(m.to(), before.get(m.from()));
    }
    int[] spare = {10};
    List<ParallelMoves.Move> seq = ParallelMoves.sequentialize(parallel, scratch,
        () -> new SpillSlot(RegClass.INT, spare[0]++), PReg.intReg(0));
    Map<Allocation, Long> state = new HashMap<>(before);
    for (ParallelMoves.Move m : seq) {
      assertFalse(m.from() instanceof SpillSlot && m.to() instanceof SpillSlot, "memory-to-memory " + m);
      state.put(m.to(), state.get(m.from()));
    }
    for (Allocation a : locs) {
      assertEquals(expected.get(a), state.get(a), () -> a + " after " + seq + " for " + parallel);
    }
  }

  @Test
  void randomPermutationsAndFanOuts() {
    SplittableRandom rnd = new SplittableRandom(3);
    List<Allocation> locs = locations();
    for (int round = 0; round < 3000; round++) {
      List<ParallelMoves.Move> moves = new ArrayList<>();
      List<Allocation> targets = new ArrayList<>(locs);
      for (int n = rnd.nextInt(locs.size() + 1); n > 0; n--) {
        Allocation to = targets.remove(rnd.nextInt(targets.size()));
        moves.add(new ParallelMoves.Move(locs.get(rnd.nextInt(locs.size())), to));
      }
      check(moves, round % 2 == 0 ? PReg.intReg(31) : null);
    }
  }

  @Test
  void swapOfTwoSlotsWithoutScratch() {
    SpillSlot a = new SpillSlot(RegClass.INT, 0);
    SpillSlot b = new SpillSlot(RegClass.INT, 1);
    check(List.of(new ParallelMoves.Move(a, b), new ParallelMoves.Move(b, a)), null);
  }

  @Test
  void aRepeatedMoveIsMadeOnceAndTwoValuesForOneDestinationAreRefused() {
    PReg r0 = PReg.intReg(0);
    PReg r1 = PReg.intReg(1);
    PReg r2 = PReg.intReg(2);
    ParallelMoves.Move move = new ParallelMoves.Move(r0, r1);
    List<ParallelMoves.Move> once = ParallelMoves.sequentialize(List.of(move), null, () -> null, r0);
    List<ParallelMoves.Move> twice = ParallelMoves.sequentialize(List.of(move,
        new ParallelMoves.Move(r0, r1)), null, () -> null, r0);
    assertEquals(List.of(move), once);
    assertEquals(once, twice);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParallelMoves.sequentialize(
        List.of(move, new ParallelMoves.Move(r2, r1)), null, () -> null, r0));
    assertTrue(e.getMessage().contains("two values moved into p1"), e.getMessage());
  }

  /**
   * A parallel move of one move (most of a function's: a reload, a store, one edge's value) is its own
   * sequence and allocates only the list that holds it ({@link AllocatedBytes}); the general case's
   * three lists took 304 bytes.
   */
  @Test
  void oneMoveAllocatesOnlyItsList() {
    List<ParallelMoves.Move> parallel =
        List.of(new ParallelMoves.Move(new SpillSlot(RegClass.INT, 2), PReg.intReg(1)));
    java.util.function.Supplier<SpillSlot> noSpare = () -> {
      throw new AssertionError("a spare slot for one move");
    };
    List<List<ParallelMoves.Move>> seq = new ArrayList<>(List.of(List.of()));
    long bytes = AllocatedBytes.fewest(
        () -> seq.set(0, ParallelMoves.sequentialize(parallel, PReg.intReg(3), noSpare, PReg.intReg(0))));
    assertEquals(parallel, seq.getFirst());
    assertTrue(bytes <= 32, bytes + " bytes for one move");
  }

  /**
   * A swap of two registers (a cycle, broken through the scratch register) allocates only its three
   * lists (80 bytes each, with their arrays) and its two new moves (24 each): 288 bytes. With a stream
   * asking whether a slot-to-slot move needs the scratch, and iterators over the moves, 512.
   */
  @Test
  void aCycleAllocatesOnlyItsListsAndMoves() {
    List<ParallelMoves.Move> swap = List.of(new ParallelMoves.Move(PReg.intReg(1), PReg.intReg(2)),
        new ParallelMoves.Move(PReg.intReg(2), PReg.intReg(1)));
    List<List<ParallelMoves.Move>> seq = new ArrayList<>(List.of(List.of()));
    long bytes = AllocatedBytes.fewest(
        () -> seq.set(0, ParallelMoves.sequentialize(swap, PReg.intReg(3), () -> null, PReg.intReg(0))));
    assertEquals(3, seq.getFirst().size(), "the swap through the scratch register");
    assertTrue(bytes <= 288, bytes + " bytes for a swap");
  }
}
