package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Finding a vreg's piece at a position ({@link AllocState#locationAt}) tries the few pieces after the
 * one found last before a search: resolution walks the instructions up the positions, and a value
 * cut around every call moves from piece to piece. Counted ({@link AllocState#locateSteps} over
 * resolution's operands), not timed: a search of the held value's pieces at each of its reads cost
 * about log2 of their count (here some 400 pieces, 9 steps) per read. Likewise a piece's fixed
 * hint ({@link AllocState#hint}): the scan asks for a vreg's pieces in order of start, and the
 * hint found last is tried, with the few after it, before a search of the vreg's hints. A vreg in
 * one piece, as most are, is answered from that piece, with no search at all.
 */
class LocateWorkTest {
  private static final int CALLS = 200;

  /** A value read after each of {@link #CALLS} calls that clobber every INT register. */
  static RegAllocFunction readAfterEveryCall(PRegSet clobbers) {
    return readAfterEveryCall(clobbers, false);
  }

  /**
   * {@link #readAfterEveryCall}, and when {@code alsoFixed}, read again in a fixed register after
   * each read: a FIXED hint per piece.
   */
  static RegAllocFunction readAfterEveryCall(PRegSet clobbers, boolean alsoFixed) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    VReg held = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.def(held, REG)));
    for (int i = 0; i < CALLS; i++) {
      b.inst("call", List.of(), clobbers);
      b.inst("use", List.of(Operand.use(held, REG)));
      if (alsoFixed) {
        b.inst("fixed_use", List.of(Operand.use(held, fixed(PReg.intReg(7)))));
      }
    }
    b.ret(List.of());
    return b.build();
  }

  static PRegSet allIntRegisters(MachineEnv env) {
    PRegSet all = PRegSet.EMPTY;
    for (PReg r : env.allocatable(RegClass.INT)) {
      all = all.with(r);
    }
    return all;
  }

  @Test
  void aWalkUpThePositionsStepsToTheNextPieces() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = readAfterEveryCall(allIntRegisters(env));
    RegAllocator.Analysis a = ResolutionWorkTest.scanned(f, env);
    assertTrue(a.state().splits >= CALLS, a.state().splits + " splits");
    long before = a.state().locateSteps;
    new Resolution(f, env, a.live(), a.ib(), a.state(), a.edges()).operandAllocations();
    long steps = a.state().locateSteps - before;
    assertTrue(steps <= 3L * CALLS, steps + " locate steps for " + CALLS + " reads");
  }

  @Test
  void hintsAskedForAVregsPiecesInOrderStepToTheNextHint() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = readAfterEveryCall(allIntRegisters(env), true);
    RegAllocator.Analysis a = ResolutionWorkTest.scanned(f, env);
    List<LiveInterval> pieces = a.state().pieces(0);
    assertTrue(pieces.size() >= CALLS, pieces.size() + " pieces");
    long before = a.state().locateSteps;
    for (LiveInterval piece : pieces) {
      a.state().hint(piece);
    }
    long steps = a.state().locateSteps - before;
    // A search of the CALLS hints per piece took 3,100 steps here (about 8 a piece); 607 now.
    assertTrue(steps <= 2L * pieces.size(), steps + " hint steps for " + pieces.size() + " pieces");
  }

  @Test
  void aVregInOnePieceIsLocatedWithoutASearch() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = ResolutionWorkTest.chainAndAValueAcrossACall(PRegSet.EMPTY);
    RegAllocator.Analysis a = ResolutionWorkTest.scanned(f, env);
    assertEquals(0, a.state().splits);
    long before = a.state().locateSteps;
    new Resolution(f, env, a.live(), a.ib(), a.state(), a.edges()).operandAllocations();
    // A search of each vreg's list of one piece, at its first operand, took a step per vreg.
    assertEquals(0, a.state().locateSteps - before);
  }
}
