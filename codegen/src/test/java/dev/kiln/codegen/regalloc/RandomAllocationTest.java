package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Thousands of seeded random functions per machine environment, each allocated, verified by the
 * {@link Checker}, and executed on vregs and on the allocation by the {@link Interpreter}.
 */
class RandomAllocationTest {
  private static final int FUNCTIONS_PER_ENV = 1500;

  private record Totals(int spilled, int splits, int moves) {}

  private static Totals runMany(MachineEnv env, long seedBase) {
    return runMany(env, seedBase, FUNCTIONS_PER_ENV, false);
  }

  private static Totals runMany(MachineEnv env, long seedBase, int functions, boolean hullsEverywhere) {
    int spilled = 0;
    int splits = 0;
    int moves = 0;
    for (int k = 0; k < functions; k++) {
      long seed = seedBase + k;
      RegAllocOutput out = allocateCheckAndRun(RandomFunctions.generate(seed, env), env, hullsEverywhere,
          "seed " + seed, seed);
      spilled += out.stats().spilledPieces();
      splits += out.stats().splits();
      moves += out.stats().moves();
    }
    return new Totals(spilled, splits, moves);
  }

  /** {@code f} allocated, checked, and run on vregs and on the allocation (with {@code seed}'s garbage). */
  private static RegAllocOutput allocateCheckAndRun(RegAllocFunction f, MachineEnv env, boolean hullsEverywhere,
      String what, long seed) {
    RegAllocOutput out;
    try {
      out = RegAllocator.allocate(f, env, hullsEverywhere);
      Checker.check(f, env, out);
    } catch (RuntimeException e) {
      throw new AssertionError(what + ": " + e.getMessage() + "\n" + f, e);
    }
    List<Long> expected = Interpreter.runVirtual(f);
    List<Long> actual = Interpreter.runAllocated(f, out, seed);
    if (!expected.equals(actual)) {
      fail(what + ": allocated run reads different values\n" + f + "\nedits " + out.edits()
          + "\nallocations " + out.allocations());
    }
    return out;
  }

  /**
   * The hostile shapes whose liveness the budgets approximate (early returns, a handler of many
   * predecessors, a br_table's join, diamonds, a br_if chain, loops in a row and nested, detours), allocated
   * with every budget spent, checked and run.
   */
  @Test
  void hostileShapesAllocatedOverApproximatedLiveness() {
    for (MachineEnv env : List.of(TestEnvs.x64Like(), TestEnvs.small(3, 1, 2, true))) {
      for (int n : new int[] {9, 40, 300}) {
        allocateCheckAndRun(HostileShapeWorkTest.valuesAcrossEarlyReturns(n), env, true, "early returns " + n, n);
        allocateCheckAndRun(HostileShapeWorkTest.valuesIntoOneHandler(n), env, true, "one handler " + n, n);
        allocateCheckAndRun(HostileShapeWorkTest.brTable(n), env, true, "br_table " + n, n);
        allocateCheckAndRun(HostileShapeWorkTest.valuesAcrossDiamonds(n), env, true, "diamonds " + n, n);
        allocateCheckAndRun(HostileShapeWorkTest.brIfChain(n), env, true, "br_if chain " + n, n);
        allocateCheckAndRun(HostileShapeWorkTest.valuesAcrossLoops(n), env, true, "loops " + n, n);
        allocateCheckAndRun(HostileShapeWorkTest.nestedLoops(n), env, true, "nested loops " + n, n);
        if (n < 300) { // their handler's fan-in and their detours are there at 40 already
          for (HostileShapeWorkTest.OneMore oneMore : HostileShapeWorkTest.OneMore.values()) {
            allocateCheckAndRun(HostileShapeWorkTest.valuesAcrossDetours(n, oneMore), env, true,
                "detours, one more " + oneMore + " " + n, n);
          }
          allocateCheckAndRun(HostileShapeWorkTest.valuesIntoOneHandlerAcrossDetours(n), env, true,
              "one handler across detours " + n, n);
          for (HostileShapeWorkTest.WaysRound kind : HostileShapeWorkTest.WaysRound.values()) {
            allocateCheckAndRun(HostileShapeWorkTest.valuesAcrossWaysRound(n, kind), env, true,
                "ways round, " + kind + " " + n, n);
          }
        }
        allocateCheckAndRun(HostileShapeWorkTest.valuesAcrossLongGroups(n < 300 ? 1 : 2), env, true, "long groups " + n, n);
      }
    }
  }

  /**
   * Every vreg of several liveness runs kept as their hull, and regions with side exits marked whole,
   * as past the liveness budgets ({@code Liveness.RUN_INTS_PER_ITEM}, {@code WALK_VISITS_PER_ITEM}):
   * said live into blocks where it is dead, it still gets a correct allocation, checked and run. Such a vreg can have no location at one end of an edge into
   * such a block, where {@code EdgeCrossings} leaves it out; kept, Resolution refused the allocation.
   */
  @Test
  void everyVRegKeptAsItsLivenessHull() {
    runMany(TestEnvs.x64Like(), 5_000_000L, 500, true);
    Totals t = runMany(TestEnvs.small(3, 1, 2, true), 6_000_000L, 500, true);
    assertTrue(t.spilled() > 0 && t.splits() > 0, "three registers must force spills: " + t);
  }

  @Test
  void x64LikeEnvironment() {
    Totals t = runMany(TestEnvs.x64Like(), 1_000_000L);
    assertTrue(t.moves() > 0, "random programs with fixed operands need moves");
  }

  @Test
  void threeRegistersWithScratch() {
    Totals t = runMany(TestEnvs.small(3, 1, 2, true), 2_000_000L);
    assertTrue(t.spilled() > 0 && t.splits() > 0, "three registers must force spills: " + t);
  }

  @Test
  void twoRegistersWithoutScratch() {
    Totals t = runMany(TestEnvs.small(2, 1, 2, false), 3_000_000L);
    assertTrue(t.spilled() > 0 && t.splits() > 0, "two registers must force spills: " + t);
  }

  @Test
  void generatorIsDeterministic() {
    MachineEnv env = TestEnvs.small(3, 1, 2, false);
    assertEquals(RandomFunctions.generate(42, env).toString(), RandomFunctions.generate(42, env).toString());
    assertEquals(RegAllocator.allocate(RandomFunctions.generate(42, env), env).edits(),
        RegAllocator.allocate(RandomFunctions.generate(42, env), env).edits());
  }
}
