package dev.kiln.codegen.vcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.regalloc.Checker;
import dev.kiln.codegen.regalloc.MachineEnv;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.OperandConstraint;
import dev.kiln.codegen.regalloc.PReg;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.regalloc.RegAllocOutput;
import dev.kiln.codegen.regalloc.RegAllocator;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import java.util.List;
import org.junit.jupiter.api.Test;

class VCodeTest {
  record TestInst(String name, Kind kind, List<Operand> operands, PRegSet clobbers)
      implements VCodeInst {
    TestInst(String name, Kind kind, List<Operand> operands) {
      this(name, kind, operands, PRegSet.EMPTY);
    }
  }

  private static final MachineEnv ENV = new MachineEnv(
      List.of(PReg.intReg(0), PReg.intReg(1), PReg.intReg(2), PReg.intReg(19)),
      PRegSet.of(PReg.intReg(19)), List.of(PReg.intReg(17)));

  /** A diamond: entry branches on its argument to two blocks that each pass a value to the join. */
  private static VCode<TestInst> diamond() {
    VCode<TestInst> vc = new VCode<>();
    int entry = vc.newBlock();
    int left = vc.newBlock();
    int right = vc.newBlock();
    int join = vc.newBlock();
    VReg arg = vc.newVReg(RegClass.INT);
    VReg a = vc.newVReg(RegClass.INT);
    VReg b = vc.newVReg(RegClass.INT);
    VReg phi = vc.newVReg(RegClass.INT);
    vc.startBlock(entry, List.of());
    vc.add(new TestInst("args", VCodeInst.Kind.PLAIN,
        List.of(Operand.def(arg, OperandConstraint.fixed(PReg.intReg(0))))));
    vc.branch(new TestInst("cbz", VCodeInst.Kind.BRANCH,
        List.of(Operand.use(arg, OperandConstraint.REG))),
        List.of(new VCode.Target(left, List.of()), new VCode.Target(right, List.of())));
    vc.startBlock(left, List.of());
    vc.add(new TestInst("mov", VCodeInst.Kind.MOVE, List.of(Operand.use(arg, OperandConstraint.REG),
        Operand.def(a, OperandConstraint.REG))));
    vc.branch(new TestInst("b", VCodeInst.Kind.BRANCH, List.of()),
        List.of(new VCode.Target(join, List.of(a))));
    vc.startBlock(right, List.of());
    vc.add(new TestInst("const", VCodeInst.Kind.PLAIN,
        List.of(Operand.def(b, OperandConstraint.REG))));
    vc.branch(new TestInst("b", VCodeInst.Kind.BRANCH, List.of()),
        List.of(new VCode.Target(join, List.of(b))));
    vc.startBlock(join, List.of(phi));
    vc.ret(new TestInst("ret", VCodeInst.Kind.RETURN,
        List.of(Operand.use(phi, OperandConstraint.fixed(PReg.intReg(0))))));
    return vc.finish();
  }

  @Test
  void blocksSuccessorsAndPredecessorsFollowTheTerminators() {
    VCode<TestInst> vc = diamond();
    assertEquals(4, vc.numBlocks());
    assertEquals(7, vc.numInsts());
    assertEquals(List.of(1, 2), vc.blockSuccs(0));
    assertEquals(List.of(1, 2), vc.blockPreds(3));
    assertEquals(List.of(), vc.blockPreds(0));
    assertEquals(1, vc.branchArgs(1, 0).size());
    assertTrue(vc.isMove(2));
    assertTrue(vc.isBranch(1));
    assertTrue(vc.isReturn(6));
    assertEquals(6, vc.blockInsts(3).first());
    for (int block = 0; block < vc.numBlocks(); block++) {
      assertEquals(vc.blockInsts(block).first(), vc.blockStart(block), "start of block " + block);
      assertEquals(vc.blockInsts(block).end(), vc.blockEnd(block), "end of block " + block);
    }
  }

  @Test
  void theAllocatorAndItsCheckerAcceptIt() {
    VCode<TestInst> vc = diamond();
    RegAllocOutput out = RegAllocator.allocate(vc, ENV);
    Checker.check(vc, ENV, out);
    assertEquals(vc.numInsts(), out.allocations().size());
  }

  /** An instruction that counts how often its clobbers are asked for. */
  private static final class CountingInst implements VCodeInst {
    private final Kind kind;
    private final List<Operand> operands;
    private final PRegSet clobbers;
    private final int[] asks;

    CountingInst(Kind kind, List<Operand> operands, PRegSet clobbers, int[] asks) {
      this.kind = kind;
      this.operands = operands;
      this.clobbers = clobbers;
      this.asks = asks;
    }

    @Override
    public Kind kind() {
      return kind;
    }

    @Override
    public List<Operand> operands() {
      return operands;
    }

    @Override
    public PRegSet clobbers() {
      asks[0]++;
      return clobbers;
    }
  }

  @Test
  void eachInstructionsClobbersAreReadFromItOnceWhateverAsksForThem() {
    int[] asks = new int[1];
    PRegSet callClobbers = PRegSet.of(PReg.intReg(1), PReg.intReg(2));
    VCode<CountingInst> vc = new VCode<>();
    int entry = vc.newBlock();
    VReg arg = vc.newVReg(RegClass.INT);
    VReg sum = vc.newVReg(RegClass.INT);
    vc.startBlock(entry, List.of());
    vc.add(new CountingInst(VCodeInst.Kind.PLAIN,
        List.of(Operand.def(arg, OperandConstraint.fixed(PReg.intReg(0)))), PRegSet.EMPTY, asks));
    vc.add(new CountingInst(VCodeInst.Kind.PLAIN, List.of(Operand.useReg(arg)), callClobbers, asks));
    vc.add(new CountingInst(VCodeInst.Kind.PLAIN,
        List.of(Operand.useReg(arg), Operand.defReg(sum)), PRegSet.EMPTY, asks));
    vc.ret(new CountingInst(VCodeInst.Kind.RETURN,
        List.of(Operand.use(sum, OperandConstraint.fixed(PReg.intReg(0)))), PRegSet.EMPTY, asks));
    vc.finish();
    RegAllocOutput out = RegAllocator.allocate(vc, ENV);
    Checker.check(vc, ENV, out);
    assertEquals(callClobbers, vc.instClobbers(1));
    assertEquals(PRegSet.EMPTY, vc.instClobbers(2));
    // Once as each was added: the allocator's walks and the checker read the copy.
    assertEquals(vc.numInsts(), asks[0]);
  }

  /**
   * A function's blocks are numbered before the first is opened, so its per-block arrays are made
   * once at their size, not doubled from 16 as blocks are filled. Counted: the bytes one more jump
   * block costs in building a chain of them, half the chain's blocks against all of them.
   */
  @Test
  void blockArraysAreMadeAtTheirSizeWhenTheFirstBlockOpens() {
    long perBlock = (chainBuildBytes(4096) - chainBuildBytes(2048)) / 2048;
    assertTrue(perBlock <= 176, perBlock + " bytes per block (184 doubling the block arrays, 168 now)");
  }

  /** The fewest bytes building (not finishing) a chain of {@code blocks} jump blocks allocates. */
  private static long chainBuildBytes(int blocks) {
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long fewest = Long.MAX_VALUE;
    for (int round = 0; round < 8; round++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      VCode<TestInst> vc = new VCode<>(blocks);
      for (int b = 0; b < blocks; b++) {
        vc.newBlock();
      }
      for (int b = 0; b < blocks; b++) {
        vc.startBlock(b, List.of());
        if (b + 1 < blocks) {
          vc.branch(new TestInst("b", VCodeInst.Kind.BRANCH, List.of()),
              List.of(new VCode.Target(b + 1, List.of())));
        } else {
          vc.ret(new TestInst("ret", VCodeInst.Kind.RETURN, List.of()));
        }
      }
      fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
    }
    return fewest;
  }

  @Test
  void misuseIsRejected() {
    VCode<TestInst> vc = new VCode<>();
    int b = vc.newBlock();
    assertThrows(IllegalStateException.class,
        () -> vc.add(new TestInst("x", VCodeInst.Kind.PLAIN, List.of())));
    vc.startBlock(b, List.of());
    assertThrows(IllegalArgumentException.class,
        () -> vc.add(new TestInst("ret", VCodeInst.Kind.RETURN, List.of())));
    VReg v = vc.newVReg(RegClass.INT);
    assertThrows(IllegalArgumentException.class, () -> vc.add(new TestInst("mov",
        VCodeInst.Kind.MOVE, List.of(Operand.def(v, OperandConstraint.REG)))));
    assertThrows(IllegalStateException.class, vc::finish);
  }
}
