package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static dev.kiln.codegen.regalloc.PReg.intReg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.vcode.VCodeInst;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The allocator asks each instruction for its operand list once ({@link InstOperands#of}) and reads
 * the flat arrays from then on. Counted, not timed: it asked every list twice (its size, then its
 * operands).
 */
class InstOperandsTest {
  private static final int LENGTH = 100;

  /** An instruction that counts the calls for its operand list. */
  private static final class CountingInst implements VCodeInst {
    private final List<Operand> operands;
    private final Kind kind;
    private final int[] asked;

    CountingInst(List<Operand> operands, Kind kind, int[] asked) {
      this.operands = operands;
      this.kind = kind;
      this.asked = asked;
    }

    @Override
    public Kind kind() {
      return kind;
    }

    @Override
    public List<Operand> operands() {
      asked[0]++;
      return operands;
    }

    @Override
    public PRegSet clobbers() {
      return PRegSet.EMPTY;
    }
  }

  @Test
  void eachInstructionsOperandsAreAskedForOnce() {
    int[] asked = new int[1];
    VCode<CountingInst> vc = new VCode<>();
    int entry = vc.newBlock();
    vc.startBlock(entry, List.of());
    VReg value = vc.newVReg(RegClass.INT);
    vc.add(new CountingInst(List.of(Operand.def(value, fixed(intReg(7)))), VCodeInst.Kind.PLAIN, asked));
    for (int i = 0; i < LENGTH; i++) {
      VReg next = vc.newVReg(RegClass.INT);
      vc.add(new CountingInst(List.of(Operand.use(value, REG), Operand.def(next, REG)), VCodeInst.Kind.PLAIN,
          asked));
      value = next;
    }
    vc.ret(new CountingInst(List.of(Operand.use(value, fixed(intReg(0)))), VCodeInst.Kind.RETURN, asked));
    vc.finish();
    RegAllocator.allocate(vc, TestEnvs.x64Like());
    assertEquals(vc.numInsts(), asked[0], "operand lists asked for");
  }

  @Test
  void theArraysHoldEveryOperandInOrder() {
    RegAllocFunction f = RandomFunctions.generate(7, TestEnvs.x64Like());
    InstOperands operands = InstOperands.of(f);
    int k = 0;
    for (int i = 0; i < f.numInsts(); i++) {
      assertEquals(k, operands.start[i]);
      for (Operand o : f.instOperands(i)) {
        assertEquals(o, operands.operands[k]);
        assertEquals(o.vreg().index(), operands.vregs[k]);
        assertEquals(o.kind() == OperandKind.DEF, (operands.shapes[k] & InstOperands.DEF) != 0);
        assertEquals(o.vreg().regClass(), operands.classes[k]);
        k++;
      }
    }
    assertEquals(k, operands.start[f.numInsts()]);
    assertEquals(k, operands.operands.length);
  }
}
