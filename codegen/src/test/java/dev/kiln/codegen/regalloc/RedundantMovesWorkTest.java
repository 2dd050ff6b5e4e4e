package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RedundantMoves} walks a block only from its first move to its last: the instructions
 * outside cannot change what it keeps. Counted ({@link RedundantMoves#instructionsWalked}), not
 * timed: a block of 1,000 instructions and no move is not walked (all 1,002 were before). And it
 * reads each move's point once ({@link RedundantMoves#pointReads}), where each instruction walked
 * read the next move's point three times.
 */
class RedundantMovesWorkTest {
  private static final int LENGTH = 1_000;

  @Test
  void aBlockWithoutMovesIsNotWalked() {
    MachineEnv env = TestEnvs.x64Like();
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    VReg value = b.newVReg(RegClass.INT);
    b.inst("args", List.of(Operand.def(value, fixed(PReg.intReg(7)))));
    for (int i = 0; i < LENGTH; i++) {
      VReg next = b.newVReg(RegClass.INT);
      b.inst("neg", List.of(Operand.use(value, REG), Operand.def(next, REG)));
      value = next;
    }
    b.ret(List.of(Operand.use(value, REG)));
    RegAllocFunction f = b.build();
    RegAllocOutput out = RegAllocator.allocate(f, env);
    Checker.check(f, env, out);
    assertEquals(List.of(), out.edits(), "the shape needs no move");
    RedundantMoves walk = new RedundantMoves(f, env, InstOperands.of(f));
    walk.walk(out.allocations(), out.edits());
    assertEquals(0, walk.instructionsWalked, "instructions walked");
  }

  @Test
  void eachMovesPointIsReadOnce() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = ResolutionWorkTest.readInTwoFixedRegisters();
    RegAllocOutput out = RegAllocator.allocate(f, env);
    Checker.check(f, env, out);
    RedundantMoves walk = new RedundantMoves(f, env, InstOperands.of(f));
    List<Edit> kept = walk.walk(out.allocations(), out.edits());
    assertEquals(out.edits(), kept, "the allocator's moves are not redundant");
    assertEquals(out.edits().size(), walk.pointReads, "points read for " + out.edits().size() + " moves");
  }
}
