package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interval walk's use lists come in an order that needs no sort: each block's uses backwards,
 * the blocks forwards, so {@link VRegPositions#sortDistinct} only turns each block's run round.
 * Counted ({@link IntervalBuilder#unorderedUses}), not timed: every list went through an insertion
 * sort, which for a value read all through a long block moved each use past all the others.
 */
class UseOrderTest {
  private static final MachineEnv ENV = TestEnvs.x64Like();

  @Test
  void theWalksUseListsNeedNoSort() {
    for (long seed = 0; seed < 200; seed++) {
      assertNoSort(RandomFunctions.generate(seed, ENV), "seed " + seed);
    }
    assertNoSort(readThroughBlocks(4, 50), "a value read 50 times in each of 4 blocks");
  }

  @Test
  void usesInAnyOtherOrderAreSorted() {
    int[] uses = {9, 3, 7, 3, 12, 1, 7};
    int[] walked = {8, 6, 6, 2, 15, 11, 10, 30};
    VRegPositions lists = new VRegPositions(VRegPositions.windows(new int[] {uses.length, walked.length}));
    for (int pos : uses) {
      lists.add(0, pos);
    }
    for (int pos : walked) {
      lists.add(1, pos);
    }
    lists.sortDistinct(0);
    assertArrayEquals(new int[] {1, 3, 7, 9, 12}, lists.toArray(0));
    assertEquals(1, lists.unordered);
    lists.sortDistinct(1);
    assertArrayEquals(new int[] {2, 6, 8, 10, 11, 15, 30}, lists.toArray(1));
    assertEquals(1, lists.unordered, "runs that only needed turning round");
  }

  @Test
  void aWindowTakesNoMorePositionsThanItHasRoomFor() {
    VRegPositions lists = new VRegPositions(VRegPositions.windows(new int[] {1, 1}));
    lists.add(0, 4);
    assertThrows(IllegalStateException.class, () -> lists.add(0, 2));
    assertNull(lists.toArray(1), "the next vreg's window is untouched");
  }

  private static void assertNoSort(RegAllocFunction f, String what) {
    IntervalBuilder ib = build(f);
    assertEquals(0, ib.unorderedUses, what);
    for (int v = 0; ib.hullUses != null && v < f.numVRegs(); v++) {
      int[] uses = ib.hullUses.toArray(v);
      for (int k = 1; uses != null && k < uses.length; k++) {
        assertTrue(uses[k - 1] < uses[k], what + ": " + Arrays.toString(uses));
      }
    }
  }

  @Test
  void onlyTheUsesInsideALoopsHullAreGathered() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int header = b.newBlock();
    int latch = b.newBlock();
    int exit = b.newBlock();
    VReg value = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(value, fixed(PReg.intReg(7)))));
    b.jump(header, List.of());
    b.startBlock(header, List.of());
    int inLoop = b.inst("read", List.of(Operand.use(value, REG), Operand.def(b.newVReg(RegClass.INT), REG)));
    b.branch("br", List.of(), List.of(new VCode.Target(latch, List.of()), new VCode.Target(exit, List.of())));
    b.startBlock(latch, List.of());
    b.jump(header, List.of());
    b.startBlock(exit, List.of());
    for (int r = 0; r < 3; r++) {
      b.inst("read", List.of(Operand.use(value, REG), Operand.def(b.newVReg(RegClass.INT), REG)));
    }
    b.ret(List.of(Operand.use(value, fixed(PReg.intReg(0)))));
    // The scan asks only whether a loop uses the value: the reads after the loop are not kept.
    assertArrayEquals(new int[] {Positions.early(inLoop)}, build(b.build()).hullUses.toArray(value.index()));
    // Nor any of a function without loops.
    assertNull(build(readThroughBlocks(2, 5)).hullUses);
  }

  private static IntervalBuilder build(RegAllocFunction f) {
    return RegAllocator.Analysis.of(f, ENV).ib();
  }

  /** An argument read {@code reads} times in each of {@code blocks} blocks in a row. */
  private static RegAllocFunction readThroughBlocks(int blocks, int reads) {
    FunctionBuilder b = new FunctionBuilder();
    int[] ids = new int[blocks];
    for (int k = 0; k < blocks; k++) {
      ids[k] = b.newBlock();
    }
    VReg arg = b.newVReg(RegClass.INT);
    for (int k = 0; k < blocks; k++) {
      b.startBlock(ids[k], List.of());
      if (k == 0) {
        b.inst("args", List.of(Operand.def(arg, fixed(PReg.intReg(7)))));
      }
      for (int r = 0; r < reads; r++) {
        b.inst("read", List.of(Operand.use(arg, REG), Operand.def(b.newVReg(RegClass.INT), REG)));
      }
      if (k + 1 < blocks) {
        b.jump(ids[k + 1], List.of());
      } else {
        b.ret(List.of(Operand.use(arg, fixed(PReg.intReg(0)))));
      }
    }
    return b.build();
  }
}
