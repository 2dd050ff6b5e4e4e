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
    List<ParallelMoves.Move> seq = new ParallelMoves().sequentialize(parallel, scratch,
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
      List<ParallelMoves.Move> moves = randomMoves(rnd, locs);
      check(moves, round % 2 == 0 ? PReg.intReg(31) : null);
    }
  }

  /**
   * Up to {@code locs.size()} moves between {@code locs}, each to a destination of its own, from
   * any (so permutations, fan-outs and moves of a location to itself).
   */
  private static List<ParallelMoves.Move> randomMoves(SplittableRandom rnd, List<Allocation> locs) {
    List<ParallelMoves.Move> moves = new ArrayList<>();
    List<Allocation> targets = new ArrayList<>(locs);
    for (int n = rnd.nextInt(locs.size() + 1); n > 0; n--) {
      Allocation to = targets.remove(rnd.nextInt(targets.size()));
      moves.add(new ParallelMoves.Move(locs.get(rnd.nextInt(locs.size())), to));
    }
    return moves;
  }

  /**
   * The order is the one of taking, each time, the first move whose destination no other move still
   * reads, and of saving the first move's destination in the scratch register when none is free (the
   * order the search from the first move gave, which the emitted code's bytes depend on).
   */
  @Test
  void eachTimeTheFirstMoveWhoseDestinationNobodyReadsGoes() {
    SplittableRandom rnd = new SplittableRandom(7);
    List<Allocation> regs = new ArrayList<>();
    for (int r = 0; r < 12; r++) {
      regs.add(PReg.intReg(r));
    }
    PReg scratch = PReg.intReg(31);
    for (int round = 0; round < 3000; round++) {
      List<ParallelMoves.Move> moves = randomMoves(rnd, regs);
      assertEquals(firstFreeEachTime(moves, scratch),
          new ParallelMoves().sequentialize(moves, scratch, () -> null, PReg.intReg(0)), moves::toString);
    }
  }

  /** The order of {@link #eachTimeTheFirstMoveWhoseDestinationNobodyReadsGoes}, registers only. */
  private static List<ParallelMoves.Move> firstFreeEachTime(List<ParallelMoves.Move> moves, PReg scratch) {
    List<ParallelMoves.Move> pending = new ArrayList<>();
    for (ParallelMoves.Move m : moves) {
      if (!m.from().equals(m.to())) {
        pending.add(m);
      }
    }
    List<ParallelMoves.Move> seq = new ArrayList<>();
    while (!pending.isEmpty()) {
      ParallelMoves.Move free = null;
      for (ParallelMoves.Move m : pending) {
        if (pending.stream().noneMatch(o -> o != m && o.from().equals(m.to()))) {
          free = m;
          break;
        }
      }
      if (free == null) {
        Allocation saved = pending.getFirst().to();
        seq.add(new ParallelMoves.Move(saved, scratch));
        pending.replaceAll(m -> m.from().equals(saved) ? new ParallelMoves.Move(scratch, m.to()) : m);
        free = pending.getFirst();
      }
      pending.remove(free);
      seq.add(free);
    }
    return seq;
  }

  /**
   * A chain of 48 moves listed so that only the last can go first, then the one before it, and so
   * on (the shape of a join's edge moves where each value moves into the register the next one
   * leaves): 191 moves looked at, the move writing each source found in a table; searching from the
   * first move for one that can go, each time, compared 20,728 pairs of locations.
   */
  @Test
  void aChainListedBackwardsCostsItsLength() {
    List<ParallelMoves.Move> chain = new ArrayList<>();
    for (int r = 0; r < 48; r++) {
      chain.add(new ParallelMoves.Move(PReg.intReg(r), PReg.intReg(r + 1)));
    }
    ParallelMoves sequencer = new ParallelMoves();
    List<ParallelMoves.Move> seq = sequencer.sequentialize(chain, null, () -> null, PReg.intReg(0));
    assertEquals(chain.reversed(), seq);
    assertEquals(191, sequencer.movesExamined);
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
    // One sequencer for all: what it knows of one call's locations is gone by the next, a refusal's too.
    ParallelMoves sequencer = new ParallelMoves();
    List<ParallelMoves.Move> once = sequencer.sequentialize(List.of(move), null, () -> null, r0);
    List<ParallelMoves.Move> twice = sequencer.sequentialize(List.of(move,
        new ParallelMoves.Move(r0, r1)), null, () -> null, r0);
    assertEquals(List.of(move), once);
    assertEquals(once, twice);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> sequencer.sequentialize(
        List.of(move, new ParallelMoves.Move(r2, r1)), null, () -> null, r0));
    assertTrue(e.getMessage().contains("two values moved into p1"), e.getMessage());
    ParallelMoves.Move back = new ParallelMoves.Move(r2, r0);
    assertEquals(List.of(move, back), sequencer.sequentialize(List.of(back, move), null, () -> null, r0));
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
    ParallelMoves sequencer = new ParallelMoves();
    long bytes = AllocatedBytes.fewest(
        () -> seq.set(0, sequencer.sequentialize(parallel, PReg.intReg(3), noSpare, PReg.intReg(0))));
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
    ParallelMoves sequencer = new ParallelMoves();
    long bytes = AllocatedBytes.fewest(
        () -> seq.set(0, sequencer.sequentialize(swap, PReg.intReg(3), () -> null, PReg.intReg(0))));
    assertEquals(3, seq.getFirst().size(), "the swap through the scratch register");
    assertTrue(bytes <= 288, bytes + " bytes for a swap");
  }
}
