package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The linear scan asks a register where it stops being free for a piece only until a register fits
 * the whole piece: the hint first, then caller-saved registers, then callee-saved ones. Pieces that
 * fit where they are first tried cost one question each, where asking every register before choosing
 * cost one per allocatable register (14 in this environment). Counted ({@link
 * RegAllocOutput.Stats#registerQuestions}), not timed.
 */
class ScanQuestionsTest {
  private static final int VALUES = 200;

  /**
   * A chain of short-lived values, each read once by the next instruction, with a call every few
   * instructions that blocks every caller-saved register at its LATE point while no value is live:
   * any register fits any value, and the first caller-saved one, tried first, always does.
   */
  static RegAllocFunction chainBetweenCalls(int n, PRegSet clobbers) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    VReg prev = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.def(prev, REG)));
    for (int i = 0; i < n; i++) {
      VReg next = b.newVReg(RegClass.INT);
      b.inst("add", List.of(Operand.use(prev, REG), Operand.def(next, REG)));
      if (i % 4 == 3) {
        b.inst("sink", List.of(Operand.use(next, REG)));
        b.inst("call", List.of(), clobbers);
        next = b.newVReg(RegClass.INT);
        b.inst("const", List.of(Operand.def(next, REG)));
      }
      prev = next;
    }
    b.ret(List.of(Operand.use(prev, fixed(PReg.intReg(0)))));
    return b.build();
  }

  @Test
  void piecesThatFitTheFirstRegisterTriedAskOnlyThatOne() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = chainBetweenCalls(VALUES, TestEnvs.callerSaved(env));
    RegAllocOutput out = RegAllocator.allocate(f, env);
    Checker.check(f, env, out);
    RegAllocOutput.Stats s = out.stats();
    assertEquals(0, s.splits(), "every value fits a register whole");
    assertTrue(s.registerQuestions() <= 2L * s.intervals(), s.registerQuestions() + " registers asked for "
        + s.intervals() + " pieces (" + env.allocatable(RegClass.INT).size() + " INT registers)");
  }

  @Test
  void registersHeldByActivePiecesAreNotAsked() {
    // Eight values hold the first eight caller-saved registers over the chain: asking each of them,
    // every chain value asked nine registers.
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = ScanWorkTest.heldAcrossAChain(8);
    RegAllocOutput out = RegAllocator.allocate(f, env);
    Checker.check(f, env, out);
    RegAllocOutput.Stats s = out.stats();
    assertEquals(0, s.splits(), "every value fits a register whole");
    assertTrue(s.registerQuestions() <= 2L * s.intervals(), s.registerQuestions() + " registers asked for "
        + s.intervals() + " pieces");
  }

  @Test
  void aClassWithoutPiecesIsNotScanned() {
    // Only INT values: the FLOAT class's scan, its register tables and work lists, is not made.
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = chainBetweenCalls(4, TestEnvs.callerSaved(env));
    RegAllocOutput out = RegAllocator.allocate(f, env);
    Checker.check(f, env, out);
    assertEquals(1, out.stats().scans());
  }
}
