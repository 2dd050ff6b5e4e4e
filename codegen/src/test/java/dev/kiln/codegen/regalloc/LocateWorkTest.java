package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Finding a vreg's piece at a position ({@link AllocState#locationAt}) tries the few pieces after the
 * one found last before a search: resolution walks the instructions up the positions, and a value
 * cut around every call moves from piece to piece. Counted ({@link AllocState#locateSteps} over
 * resolution's operands), not timed: a search of the held value's pieces at each of its reads cost
 * about log2 of their count (here some 400 pieces, 9 steps) per read.
 */
class LocateWorkTest {
  private static final int CALLS = 200;

  /** A value read after each of {@link #CALLS} calls that clobber every INT register. */
  static RegAllocFunction readAfterEveryCall(PRegSet clobbers) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    VReg held = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.def(held, REG)));
    for (int i = 0; i < CALLS; i++) {
      b.inst("call", List.of(), clobbers);
      b.inst("use", List.of(Operand.use(held, REG)));
    }
    b.ret(List.of());
    return b.build();
  }

  @Test
  void aWalkUpThePositionsStepsToTheNextPieces() {
    MachineEnv env = TestEnvs.x64Like();
    PRegSet all = PRegSet.EMPTY;
    for (PReg r : env.allocatable(RegClass.INT)) {
      all = all.with(r);
    }
    RegAllocFunction f = readAfterEveryCall(all);
    RegAllocator.Analysis a = ResolutionWorkTest.scanned(f, env);
    assertTrue(a.state().splits >= CALLS, a.state().splits + " splits");
    long before = a.state().locateSteps;
    new Resolution(f, env, a.live(), a.ib(), a.state(), a.edges()).operandAllocations();
    long steps = a.state().locateSteps - before;
    assertTrue(steps <= 3L * CALLS, steps + " locate steps for " + CALLS + " reads");
  }
}
