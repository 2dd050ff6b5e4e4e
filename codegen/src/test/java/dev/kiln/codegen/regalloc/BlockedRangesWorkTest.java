package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Finding where a piece first meets a register's blocked ranges costs about the piece's own ranges,
 * not the blocked ranges in its holes (red team 27 F1). The shape is the one a slow path laid out at
 * the function's end makes, whatever operation it serves: n sites each define a value, branch to a
 * cold block of their own at the end that reads it and calls out, and call on the main path; each
 * value is live at its site and in its cold block, with a hole over every later site's call and
 * every earlier site's cold block, where every caller-saved register is blocked. Walking those
 * blocked ranges one by one cost n x n (the steps grew 15.9x from n to 4n); the scan now searches
 * over the holes, n log n in all. Counted ({@link RegAllocOutput.Stats#blockedSteps}), not timed: at
 * most 5.5x at 4n (log 1200 / log 300 is 1.24).
 */
class BlockedRangesWorkTest {
  private static final int SIZE = 300;

  /** n sites, each with a value read only in its own cold block laid out after all the sites. */
  static RegAllocFunction sitesWithColdPathsAtTheEnd(int n, PRegSet clobbers) {
    // Filled in order: entry, per site its block, the branch's fall-through (no critical edge) and
    // the join with its call, the exit, the n cold blocks.
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int[] site = new int[n];
    int[] hot = new int[n];
    int[] after = new int[n];
    for (int i = 0; i < n; i++) {
      site[i] = b.newBlock();
      hot[i] = b.newBlock();
      after[i] = b.newBlock();
    }
    int exit = b.newBlock();
    int[] cold = new int[n];
    for (int i = 0; i < n; i++) {
      cold[i] = b.newBlock();
    }
    VReg arg = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(arg, fixed(PReg.intReg(7)))));
    b.jump(site[0], List.of());
    VReg[] values = new VReg[n];
    for (int i = 0; i < n; i++) {
      b.startBlock(site[i], List.of());
      values[i] = b.newVReg(RegClass.INT);
      VReg cond = b.newVReg(RegClass.INT);
      b.inst("load", List.of(Operand.use(arg, REG), Operand.def(values[i], REG)));
      b.inst("test", List.of(Operand.use(values[i], REG), Operand.def(cond, REG)));
      b.branch("brif", List.of(Operand.use(cond, REG)),
          List.of(new VCode.Target(cold[i], List.of()), new VCode.Target(hot[i], List.of())));
      b.startBlock(hot[i], List.of());
      b.jump(after[i], List.of());
      b.startBlock(after[i], List.of());
      b.inst("call", List.of(), clobbers);
      b.jump(i + 1 < n ? site[i + 1] : exit, List.of());
    }
    b.startBlock(exit, List.of());
    b.ret(List.of(Operand.use(arg, fixed(PReg.intReg(0)))));
    for (int i = 0; i < n; i++) {
      b.startBlock(cold[i], List.of());
      b.inst("init", List.of(Operand.use(values[i], fixed(PReg.intReg(6))), Operand.use(arg, REG)), clobbers);
      b.jump(after[i], List.of());
    }
    return b.build();
  }

  @Test
  void valuesLiveAcrossManyBlockedRangesCostTheScanLinearWork() {
    MachineEnv env = TestEnvs.x64Like();
    long small = blockedSteps(sitesWithColdPathsAtTheEnd(SIZE, TestEnvs.callerSaved(env)), env);
    long large = blockedSteps(sitesWithColdPathsAtTheEnd(4 * SIZE, TestEnvs.callerSaved(env)), env);
    assertTrue(small > 0 && large <= 5.5 * small, small + " steps over blocked ranges at size " + SIZE
        + ", " + large + " at " + 4 * SIZE + " (" + String.format("%.1f", (double) large / small) + "x)");
  }

  /**
   * A call blocks every caller-saved register at its LATE point: recorded as one {@link
   * ClobberPoints} entry per register class, not as a blocked range per register (some two dozen a
   * call, a fifth of the interval walk's samples in a profile of yosys's compile). Counted ({@link
   * IntervalBuilder#blockedEntries}): n calls, no FIXED operand, make 2n entries (one per class).
   */
  @Test
  void aCallRecordsOneClobberEntryPerClassNotABlockedRangePerRegister() {
    MachineEnv env = TestEnvs.x64Like();
    int calls = 50;
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    VReg kept = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.def(kept, REG)));
    for (int i = 0; i < calls; i++) {
      b.inst("call", List.of(), TestEnvs.callerSaved(env));
    }
    b.inst("use", List.of(Operand.use(kept, REG)));
    b.ret(List.of());
    RegAllocFunction f = b.build();
    RegAllocator.Analysis a = RegAllocator.Analysis.of(f, env);
    assertEquals(2L * calls, a.ib().blockedEntries);
    // The value live across the calls keeps out of the registers they clobber.
    RegAllocOutput out = RegAllocator.allocate(f, env);
    Checker.check(f, env, out);
  }

  /**
   * A piece that ends before the next call meets none of the calls' clobbers: asked where a
   * register stops being free for it, the scan takes no step over them (it searched the piece's
   * ranges for one reaching past the next call, a step per question). Counted: values each read
   * once right after their definition, then one call, cost no step.
   */
  @Test
  void piecesEndingBeforeTheNextCallTakeNoStepOverItsClobbers() {
    MachineEnv env = TestEnvs.x64Like();
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    for (int i = 0; i < 50; i++) {
      VReg value = b.newVReg(RegClass.INT);
      b.inst("const", List.of(Operand.def(value, REG)));
      b.inst("use", List.of(Operand.use(value, REG)));
    }
    b.inst("call", List.of(), TestEnvs.callerSaved(env));
    b.ret(List.of());
    assertEquals(0, blockedSteps(b.build(), env));
  }

  /**
   * The walk crosses a run of the piece's own vreg's blocked ranges in one step (a value passed in
   * one register to n calls has n in a row): each range's run ends at the next range of another vreg.
   */
  @Test
  void ownRunsEndAtTheNextRangeOfAnotherVreg() {
    int[] ranges = {0, 1, 7, 2, 3, 7, 4, 5, 9, 6, 7, 7}; // start, end, vreg
    assertArrayEquals(new int[] {2, 2, 3, 4}, LinearScan.ownRunEnds(ranges));
    assertArrayEquals(new int[0], LinearScan.ownRunEnds(new int[0]));
  }

  /** The scan's steps over blocked ranges; the allocation is checked too. */
  private static long blockedSteps(RegAllocFunction f, MachineEnv env) {
    RegAllocOutput out = RegAllocator.allocate(f, env);
    Checker.check(f, env, out);
    return out.stats().blockedSteps();
  }
}
