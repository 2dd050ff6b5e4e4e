package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The work of {@link AllocState#shareSlots} before it colours the lifetimes, counted, not timed. */
class ShareSlotsWorkTest {
  /**
   * A spilled block parameter's lifetime includes the window of each of its block's predecessors'
   * edges, the same for all the block's parameters: made once per block. Twenty parameters of a
   * block with fifty predecessors, spilled across a call: 50 windows, where each parameter took its
   * own (1,000; ruby's function 1706, 128,808 for 4,414 parameters of 1,369 blocks).
   */
  @Test
  void aBlocksEdgeWindowsAreMadeOnceForAllItsParameters() {
    MachineEnv env = TestEnvs.x64Like();
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    List<VCode.Target> toPredecessors = new ArrayList<>();
    for (int k = 0; k < 50; k++) {
      toPredecessors.add(new VCode.Target(b.newBlock(), List.of()));
    }
    int join = b.newBlock();
    b.startBlock(entry, List.of());
    List<VReg> values = b.defineInts(20);
    VReg index = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.def(index, REG)));
    b.branch("br_table", List.of(Operand.use(index, REG)), toPredecessors);
    for (VCode.Target predecessor : toPredecessors) {
      b.startBlock(predecessor.block(), List.of());
      b.jump(join, values);
    }
    List<VReg> params = new ArrayList<>();
    for (int k = 0; k < values.size(); k++) {
      params.add(b.newVReg(RegClass.INT));
    }
    b.startBlock(join, params);
    b.inst("call", List.of(), LocateWorkTest.allIntRegisters(env));
    for (VReg param : params) {
      b.inst("use", List.of(Operand.use(param, REG)));
    }
    b.ret(List.of());
    RegAllocFunction f = b.build();
    RegAllocator.Analysis a = ResolutionWorkTest.scanned(f, env);
    int withSlots = a.state().shareSlots();
    assertTrue(withSlots >= params.size(), withSlots + " vregs with a slot");
    assertEquals(50, a.state().edgeWindowsMade);
  }
}
