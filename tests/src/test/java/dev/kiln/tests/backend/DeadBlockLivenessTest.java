package dev.kiln.tests.backend;

import static dev.kiln.tests.backend.LoweringTarget.assertGrowthAtMost;
import static dev.kiln.tests.backend.LoweringTarget.counting;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.regalloc.RegAllocOutput;
import dev.kiln.compiler.testsupport.DeadBlockShapes;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.backend.BoundsCheckEliminationEndToEndTest.Isa;
import dev.kiln.tests.backend.BoundsCheckEliminationEndToEndTest.Running;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * n values live across n places that branch to blocks where they are dead, laid out among the
 * blocks where they are live ({@link DeadBlockShapes}: early returns, {@code br_if}s to an exit, a
 * {@code try_table} whose handler does not read them; and, for the liveness walk's work, a join
 * of n edges, n loops, and n {@code try_table}s of one or two calls, one or two catch clauses or a
 * handler after them, whose landing pads jump back into the code). Exact, each value's liveness is n runs of
 * blocks, and so is its live range: n^2 in all (3.7 GB of peak RSS for 8,000 early returns, a 280
 * KB module). Past a budget per block and vreg, the allocator keeps a value's runs as their hull
 * ({@code Liveness.RUN_INTS_PER_ITEM}), cut around its definition's block (an exception dispatch
 * laid out after its handlers defines values live on both sides: 4.9-5.2x before the cut, 1.6x after): the
 * allocator's bytes grow at most 4x from n to 4n (12-16x before), and the code it makes computes
 * the same results, with the allocation checker on.
 */
class DeadBlockLivenessTest {
  private static final int SIZE = 300;
  /** The shapes whose calls, caught at each place, throw for an odd parameter and return for an even. */
  private static final Set<DeadBlockShapes> CALLS_THAT_THROW_FOR_ODD_P = EnumSet.of(
      DeadBlockShapes.CALLS_EACH_IN_A_TRY_TABLE, DeadBlockShapes.TWO_CALLS_IN_EACH_TRY_TABLE,
      DeadBlockShapes.CALLS_EACH_IN_A_TAGGED_CATCH, DeadBlockShapes.CALLS_EACH_IN_TWO_CATCH_CLAUSES,
      DeadBlockShapes.HANDLERS_AFTER_TRY_TABLES_OF_TWO_CALLS, DeadBlockShapes.TAGGED_HANDLERS_INSIDE_A_CATCH_ALL);

  @Test
  void valuesAcrossDeadBlocksCostTheAllocatorLinearMemory() {
    // The shapes whose values are dead in blocks among those where they are live (1.3-2.0x: past the
    // budget, hulls). The others (two handlers, a join, loops) are for the walk's and the scan's work.
    assertGrowthAtMost(4, SIZE, LoweringTarget::allocatorBytes, DeadBlockShapes.EARLY_RETURNS,
        DeadBlockShapes.BR_IFS_TO_AN_EXIT, DeadBlockShapes.TRY_CALLS_UNREAD_BY_THE_HANDLER,
        DeadBlockShapes.A_DISPATCH_AFTER_ITS_HANDLERS);
  }

  /**
   * The values of {@link DeadBlockShapes#A_DISPATCH_AFTER_TWO_HANDLERS} are live across the early
   * returns of both handlers, the parameter and the exception too: pieces of 4n ranges and more.
   * Where the scan put one on a register, every later piece that asked about that register met it
   * range by range: the scan's steps grew 19x from 1,200 to 4,800 (110 million). A vreg keeps at most
   * {@code Liveness.RUN_INTS_PER_VREG} ints of runs, past them its hull: at most 5x.
   */
  @Test
  void aValueOfManyRunsCostsTheScanLinearWork() {
    assertGrowthAtMost(5, 1_200, counting(s -> s.intersectionSteps() + s.scanVisits() + s.blockedSteps()),
        DeadBlockShapes.A_DISPATCH_AFTER_TWO_HANDLERS);
  }

  /**
   * The liveness walk's visits, at 1,000 and 4,000, both past its budget: at most 4.5x on every shape
   * and target. Exact, each value was walked through every place, 14-21x (the regions with side
   * exits, the fan-in of a join, the loops a region holds, the landing pads' detours: {@code
   * Liveness.WALK_VISITS_PER_ITEM}).
   */
  @Test
  void valuesAcrossManyPlacesCostTheLivenessWalkLinearWork() {
    assertGrowthAtMost(4.5, 1_000, counting(RegAllocOutput.Stats::livenessVisits), DeadBlockShapes.values());
  }

  /**
   * Each shape at a size past the budget of runs (hulls), and on x86-64 at one past the walk's budget
   * too (regions with side exits, fan-ins, detours), run with the allocation checked: the xor of the
   * values where nothing leaves early, and the early exit's constant where one does. The walk is the
   * same for both targets (the lowering lays out their blocks alike), and at the larger size each
   * shape's checked compile takes 2-11 s on either.
   */
  @ParameterizedTest
  @EnumSource(Isa.class)
  void valuesKeptAsHullsComputeTheSameResults(Isa isa) throws Exception {
    computeTheSameResults(isa, SIZE);
    if (isa == Isa.X86_64) {
      computeTheSameResults(isa, 1_000);
    }
  }

  private static void computeTheSameResults(Isa isa, int size) throws Exception {
    long p = 1_000_003;
    long xor = xor(p, size);
    for (DeadBlockShapes shape : DeadBlockShapes.values()) {
      String what = shape.name() + " at " + size;
      try (Running running = Running.start(isa, Wasm.load(Wat.toBinaryWithNames(shape.text(size), "shape.wat")))) {
        assertEquals(List.of(new WasmValue.I64(xor)), running.instance().invoke("_start", p), what);
        long early = switch (shape) {
          case EARLY_RETURNS, A_DISPATCH_AFTER_ITS_HANDLERS, A_DISPATCH_AFTER_TWO_HANDLERS -> -7;
          case BR_IFS_TO_AN_EXIT -> -1;
          case TRY_CALLS_UNREAD_BY_THE_HANDLER, BR_IFS_TO_A_JOIN, LOOPS_IN_A_ROW, CALLS_EACH_IN_A_TRY_TABLE,
              TWO_CALLS_IN_EACH_TRY_TABLE, CALLS_EACH_IN_A_TAGGED_CATCH, CALLS_EACH_IN_TWO_CATCH_CLAUSES ->
              xor(7, size);
          case HANDLERS_AFTER_TRY_TABLES_OF_TWO_CALLS, TAGGED_HANDLERS_INSIDE_A_CATCH_ALL -> 9;
        };
        assertEquals(List.of(new WasmValue.I64(early)), running.instance().invoke("_start", 7L), what);
        if (CALLS_THAT_THROW_FOR_ODD_P.contains(shape)) {
          // Even: no call throws.
          assertEquals(List.of(new WasmValue.I64(xor(p + 1, size))), running.instance().invoke("_start", p + 1), what);
        }
        if (shape.name().startsWith("A_DISPATCH")) {
          // Even: the second call throws, after every value was incremented.
          long changed = 0;
          for (int i = 0; i < size; i++) {
            changed ^= (p + 1) * (i + 3) + 1;
          }
          assertEquals(List.of(new WasmValue.I64(changed)), running.instance().invoke("_start", p + 1), what);
        }
      }
    }
  }

  private static long xor(long p, int size) {
    long x = 0;
    for (int i = 0; i < size; i++) {
      x ^= p * (i + 3);
    }
    return x;
  }
}
