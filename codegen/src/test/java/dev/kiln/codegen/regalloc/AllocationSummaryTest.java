package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What RegAllocator reports beside the allocations, gathered in passes that read the same data for
 * something else (resolution's hand-out of allocations, the interval walk's clobbers): the
 * callee-saved registers the function changes and the moves its code keeps equal what one reading of
 * the finished allocation, edits and clobbers finds, on seeded random functions.
 */
class AllocationSummaryTest {
  @Test
  void calleeSavedUsedAndMoveCountsMatchTheOutput() {
    int copiesSeen = 0;
    for (MachineEnv env : List.of(TestEnvs.x64Like(), TestEnvs.small(3, 1, 2, true))) {
      for (long seed = 0; seed < 400; seed++) {
        RegAllocFunction f = RandomFunctions.generate(seed, env);
        RegAllocOutput out = RegAllocator.allocate(f, env);
        long[] used = new long[RegClass.values().length];
        int copies = 0;
        boolean landing = false;
        for (int i = 0; i < f.numInsts(); i++) {
          List<Allocation> allocs = out.allocations(i);
          for (Allocation a : allocs) {
            if (a instanceof PReg p) {
              used[p.regClass().ordinal()] |= 1L << p.hwEnc();
            }
          }
          PRegSet clobbers = f.instClobbers(i);
          used[RegClass.INT.ordinal()] |= clobbers.intBits();
          used[RegClass.FLOAT.ordinal()] |= clobbers.floatBits();
          if (f.isMove(i) && !allocs.get(0).equals(allocs.get(1))) {
            copies++;
          }
          landing |= f.landingBlock(i) >= 0;
        }
        int stores = 0;
        int reloads = 0;
        for (Edit e : out.edits()) {
          if (e.to() instanceof PReg p) {
            used[p.regClass().ordinal()] |= 1L << p.hwEnc();
          }
          if (!e.from().equals(e.to())) {
            if (e.to() instanceof SpillSlot) {
              stores++;
            } else if (e.from() instanceof SpillSlot) {
              reloads++;
            } else {
              copies++;
            }
          }
        }
        PRegSet calleeSaved = env.calleeSaved();
        PRegSet expected = landing ? calleeSaved
            : new PRegSet(used[RegClass.INT.ordinal()] & calleeSaved.intBits(),
                used[RegClass.FLOAT.ordinal()] & calleeSaved.floatBits());
        MoveCounts counts = out.stats().moveCounts();
        assertEquals(expected, out.calleeSavedUsed(), "seed " + seed);
        assertEquals(stores, counts.spillStores(), "seed " + seed);
        assertEquals(reloads, counts.reloads(), "seed " + seed);
        assertEquals(copies, counts.copies(), "seed " + seed);
        assertTrue(counts.loopCopies() <= counts.copies(), "seed " + seed);
        copiesSeen += copies;
      }
    }
    assertTrue(copiesSeen > 100, "the functions keep copies to count: " + copiesSeen);
  }

  /** An instruction that clobbers a callee-saved register makes the function save it. */
  @Test
  void aClobberedCalleeSavedRegisterIsUsed() {
    MachineEnv env = TestEnvs.x64Like();
    PReg rbx = PReg.intReg(3);
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("def", List.of(Operand.defReg(x)));
    b.inst("clobber", List.of(), PRegSet.of(rbx));
    b.ret(List.of(Operand.use(x, OperandConstraint.fixed(PReg.intReg(0)))));
    RegAllocOutput out = RegAllocator.allocate(b.build(), env);
    assertEquals(PRegSet.of(rbx), out.calleeSavedUsed());
  }
}
