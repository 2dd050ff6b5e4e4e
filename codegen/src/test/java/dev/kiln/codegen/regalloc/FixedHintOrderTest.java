package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static dev.kiln.codegen.regalloc.PReg.intReg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link IntervalBuilder#fixedHints} keeps a vreg's FIXED operands by position and, at one
 * instruction, in operand order (the order the walk finds them), whatever the registers' order in
 * the environment: the scan's hint is the first of them, as when they were a list sorted stably by
 * position.
 */
class FixedHintOrderTest {
  private static final PReg RAX = intReg(0);
  private static final PReg RCX = intReg(1);
  private static final PReg RDX = intReg(2);
  private static final PReg RSI = intReg(6);
  private static final PReg RDI = intReg(7);

  @Test
  void oneInstructionsFixedUsesStayInOperandOrder() {
    // RDI comes after RSI among the allocatable registers, but first among the call's operands.
    MachineEnv env = new MachineEnv(List.of(RAX, RCX, RDX, RSI, RDI), PRegSet.EMPTY, List.of());
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    VReg r = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("def", List.of(Operand.defReg(x)));
    int call = b.inst("call", List.of(Operand.use(x, fixed(RDI)), Operand.use(x, fixed(RSI)),
        Operand.def(r, fixed(RAX))));
    b.ret(List.of(Operand.use(r, fixed(RAX))));
    RegAllocFunction f = b.build();
    RegAllocator.Analysis a = RegAllocator.Analysis.of(f, env);
    IntervalBuilder ib = a.ib();
    long[] hints = ib.fixedHints[x.index()];
    assertEquals(2, hints.length);
    assertEquals(Positions.early(call), IntervalBuilder.hintPosition(hints[0]));
    assertEquals(Positions.early(call), IntervalBuilder.hintPosition(hints[1]));
    assertEquals(env.allocatable().indexOf(RDI), IntervalBuilder.hintRegister(hints[0]));
    assertEquals(env.allocatable().indexOf(RSI), IntervalBuilder.hintRegister(hints[1]));
    assertEquals(RDI, a.state().hint(ib.intervals[x.index()]));
  }
}
