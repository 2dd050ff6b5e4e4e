package dev.kiln.tests.backend;

import static dev.kiln.tests.backend.LoweringTarget.assertGrowthAtMost;
import static dev.kiln.tests.backend.LoweringTarget.counting;

import dev.kiln.codegen.regalloc.RegAllocOutput;
import dev.kiln.compiler.testsupport.HandlerAndGcShapes;
import dev.kiln.compiler.testsupport.TextShape;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The register allocator's work on n nested {@code try_table (catch $e)} around one {@code throw}
 * (red team 9, F2 {@code nestcatch}): each landing pad tests the tag and rethrows to the next
 * through a call whose landing pad reads a few values (the vmctx, the tag, the exception) from
 * their slots; those stay live across every pad, cut into pieces with a range per pad. Before, the scan asked of every
 * inactive piece whether it ever met the piece being placed, walking both to their ends, though
 * only a meeting before that register is blocked anyway can change the choice: pieces x ranges
 * each time a piece needed a register, cubic in n (13 s of CPU for 2,000 levels, 104 s for 4,000).
 * Counted as the steps of the scan's questions plus the liveness walk's visits ({@link
 * RegAllocOutput.Stats}) at n and 4n, on both targets: at most 4.5x (it was at most 16x with the
 * walk cut short, before each register's taken ranges became one search tree).
 *
 * <p>The other tests count, at n and 4n, one algorithm each of the rest of F2, each quadratic
 * before: the scan's steps and questions over its inactive pieces (n {@code struct.new} or {@code
 * br_on_cast} leave n values with a range in a slow path at the function's end: all inactive for
 * the rest of the scan, and each step and each question went through all of them), and finding a
 * vreg's piece or fixed-register hint by position (a value cut around each of n calls has n pieces
 * and n hints, and each question walked them).
 */
class HandlerShapeWorkTest {
  private static final int SIZE = 150;

  /** n nested try_tables each catching $e to its own block, one throw innermost. */
  static String nestedCatchesAroundThrow(int n) {
    StringBuilder s = new StringBuilder("(module (tag $e) (func (export \"_start\")");
    s.append("(block (try_table (catch $e 0)".repeat(n));
    s.append("(throw $e)");
    s.append(")(nop))".repeat(n));
    return s.append("))").toString();
  }

  @Test
  void nestedCatchesAroundAThrowCostNoCubicWork() {
    assertGrowthAtMost(4.5, SIZE, counting(s -> s.intersectionSteps() + s.livenessVisits()),
        TextShape.of("nested catches around a throw", HandlerShapeWorkTest::nestedCatchesAroundThrow));
  }

  /** The linear scan's work over its active and inactive pieces: linear, at most 4.5x at 4n. */
  @Test
  void gcAllocationsAndCastsCostTheScanLinearWork() {
    assertLinear(4.5, s -> s.scanVisits() + s.intersectionSteps(), HandlerAndGcShapes.STRUCT_NEW_CHAIN,
        HandlerAndGcShapes.BR_ON_CAST_STRUCT_NEW, HandlerAndGcShapes.NESTED_TRY_CALLS,
        HandlerAndGcShapes.CATCH_CLAUSES_CALLS);
  }

  /**
   * Searches for a piece or a hint by position: n log n, at most 5.5x at 4n (log 600 / log 150 is
   * 1.28).
   */
  @Test
  void nestedHandlersWithCallsFindPiecesBySearch() {
    assertLinear(5.5, RegAllocOutput.Stats::locateSteps, HandlerAndGcShapes.NESTED_TRY_CALLS,
        HandlerAndGcShapes.CATCH_CLAUSES_CALLS, HandlerAndGcShapes.STRUCT_NEW_CHAIN);
  }

  /**
   * Where a piece first meets a register's blocked ranges, for a value passed in the same register
   * to every call of a {@code try_table} (the vmctx: live through the handler, cut at each call's
   * unwind edge): the register's blocked ranges there are the value's own, which never block it, and
   * the walk looked at each of them from every piece of the value: n pieces x n ranges (a 128 KB
   * module of 64,000 calls in one {@code try_table} took 6.5 s of CPU, 92% of it in that walk; the
   * count grew 13-15x from n to 4n). A run of one vreg's ranges is now one step: linear, at most
   * 4.5x at 4n.
   */
  @Test
  void callsInHandlersCostTheBlockedRangeWalkLinearWork() {
    assertLinear(4.5, RegAllocOutput.Stats::blockedSteps, HandlerAndGcShapes.CALLS_IN_ONE_TRY_TABLE,
        HandlerAndGcShapes.NESTED_TRY_CALLS, HandlerAndGcShapes.CATCH_CLAUSES_CALLS);
  }

  /**
   * A legacy {@code try} nested n deep in {@code catch} clauses keeps a frame-resident slot per
   * level, each stored at the function's entry. Value numbering merged every later slot address
   * into the entry's, so each level's address was live from the entry to its level, in a range per
   * level's out-of-line landing pad between: n^2 ranges for liveness and the scan (2,000 levels: 6
   * million liveness visits, 62 million blocked-range steps, 3.5 s; 4x at each doubling). A slot's
   * address is now made where it is used. Counted at n and 4n, on both targets: linear, at most 4.5x.
   */
  @Test
  void nestedLegacyCatchesCostLivenessAndTheScanLinearWork() {
    assertLinear(4.5, s -> s.livenessVisits() + s.blockedSteps(), HandlerAndGcShapes.RETHROW_NEST);
  }

  /**
   * Red team 32 F3: n calls inside one {@code try_table} (each ends a block at its unwind edge) cut
   * the vmctx, live through it, at each call, and each cut copied the rest of its ranges and register
   * uses while the head kept all of them: about n^2/2 ints per array, 3.8 GB for 30,000 calls. Counted as
   * the bytes the allocator allocates (lowering and translation apart), at n and 4n, on both targets:
   * at most 5x (4.0x; 9.0x on x86-64 and 8.6x on AArch64 before).
   */
  @Test
  void callsInsideOneTryTableCostTheAllocatorLinearMemory() {
    assertGrowthAtMost(5, 1_000, LoweringTarget::allocatorBytes, HandlerAndGcShapes.CALLS_IN_ONE_TRY_TABLE);
  }

  /**
   * n locals live across n calls in one {@code try_table} whose handler reads them: the handler has n
   * predecessors (the landing pads, laid out between the calls), and each local's liveness walk
   * visited all of them (21x at 4n; 122 million visits at 4,000). Past the walk's budget, the region
   * that holds the pads is marked at once ({@code ForwardRegions.fanInStart}): at most 4.5x from
   * 1,000 to 4,000, on both targets.
   */
  @Test
  void localsIntoAHandlerOfManyLandingPadsCostTheLivenessWalkLinearWork() {
    assertGrowthAtMost(4.5, 1_000, counting(RegAllocOutput.Stats::livenessVisits),
        HandlerAndGcShapes.LOCALS_ACROSS_TRY_CALLS, HandlerAndGcShapes.LOCALS_ACROSS_TRY_TABLES);
  }

  /**
   * n locals live across n calls whose landing pads read them (in one {@code try_table}, or each call
   * in its own): each local must be in its slot across each call. Listed per local and call, those
   * ranges were n^2 ints (2 GB at 16,000 locals and calls, a 500 KB module), and each of the n
   * landing pads' edges located every local split in two or more pieces (128 million locations at
   * 4,000). Counted as the bytes the allocator allocates and the location searches, at n and 4n, on
   * both targets: at most 5x and 4.5x.
   */
  @Test
  void localsAcrossCallsWithLandingPadsCostTheAllocatorLinearMemoryAndSearches() {
    assertGrowthAtMost(5, 300, LoweringTarget::allocatorBytes, HandlerAndGcShapes.LOCALS_ACROSS_TRY_CALLS,
        HandlerAndGcShapes.LOCALS_ACROSS_TRY_TABLES);
    assertLinear(4.5, RegAllocOutput.Stats::locateSteps, HandlerAndGcShapes.LOCALS_ACROSS_TRY_CALLS,
        HandlerAndGcShapes.LOCALS_ACROSS_TRY_TABLES);
  }

  /** Every shape on every target within {@code bound} at 4n of what {@code counted} counts. */
  private static void assertLinear(double bound, ToLongFunction<RegAllocOutput.Stats> counted,
      HandlerAndGcShapes... shapes) {
    assertGrowthAtMost(bound, SIZE, counting(counted), shapes);
  }
}
