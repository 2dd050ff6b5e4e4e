package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Resolution hands out its operand allocations in the array it filled ({@link OperandAllocations}),
 * which {@link RegAllocOutput} keeps as it is: no copy of the array into a {@code List.of}, no check
 * of each instruction's list, and no list made per instruction; a walk over the instructions reads
 * them all through one list ({@link RegAllocOutput#allocationsInTurn}).
 * Counted ({@link AllocatedBytes}): the bytes {@link Resolution#operandAllocations} allocates per
 * instruction of a long chain.
 */
class OperandAllocationsTest {
  private static final RegAllocOutput.Stats NONE = new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0,
      0, 0, 0, 0, 0, 0, 0, 0);

  @Test
  void theInstructionsListsAreNotCopiedIntoAnotherArray() {
    RegAllocFunction f = ScanWorkTest.heldAcrossAChain(8);
    long bytes = bytesOfOperandAllocations(f);
    // Its entries in the function's array are most of it; a list per instruction added 24 bytes and
    // a slot for it in an outer array 4, a copy of the outer array 4 more, an array per instruction 8.
    assertTrue(bytes <= 12L * f.numInsts(), bytes + " bytes for " + f.numInsts()
        + " instructions (56.3 each with the copy, 52.3 with an array per instruction, 44.2 with a list"
        + " per instruction, 8.1 now)");
  }

  @Test
  void anInstructionsListReadsTheArrayResolutionFilled() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    VReg base = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.def(base, OperandConstraint.REG)));
    VReg prev = base;
    for (int i = 0; i < 400; i++) {
      VReg next = b.newVReg(RegClass.INT);
      b.inst("add3", List.of(Operand.use(prev, OperandConstraint.REG), Operand.use(base, OperandConstraint.REG),
          Operand.def(next, OperandConstraint.REG)));
      prev = next;
    }
    b.ret(List.of(Operand.use(prev, OperandConstraint.fixed(PReg.intReg(0)))));
    RegAllocFunction f = b.build();
    long bytes = bytesOfOperandAllocations(f);
    // Per three-operand instruction, its entries in the function's array (12 bytes): a list over them
    // was 24 more, an array of its own 32 bytes and its list 16, and List.of copied the array into one
    // of its own (another 32).
    assertTrue(bytes <= 16L * f.numInsts(), bytes + " bytes for " + f.numInsts()
        + " instructions (91.9 each with List.of's copy, 60.1 with an array per instruction, 48.1 with a"
        + " list per instruction, 12.1 now)");
  }

  @Test
  void aWalkReadsEveryInstructionsAllocationsThroughOneList() {
    RegAllocFunction f = ScanWorkTest.heldAcrossAChain(8);
    RegAllocOutput out = RegAllocator.allocate(f, TestEnvs.x64Like());
    RegAllocOutput.InTurn inTurn = out.allocationsInTurn();
    List<Allocation> first = inTurn.of(0);
    for (int i = 0; i < f.numInsts(); i++) {
      List<Allocation> now = inTurn.of(i);
      assertSame(first, now, "one list for the walk");
      assertEquals(out.allocations(i), now, "instruction " + i);
    }
    assertThrows(IndexOutOfBoundsException.class, () -> inTurn.of(f.numInsts()));
    assertEquals(0, AllocatedBytes.fewest(() -> {
      for (int i = 0; i < f.numInsts(); i++) {
        inTurn.of(i);
      }
    }), "bytes allocated by a walk over " + f.numInsts() + " instructions");
  }

  @Test
  void listsOfAnotherKindAreReadAsTheyAre() {
    List<List<Allocation>> lists = List.of(List.of(PReg.intReg(3)), List.of(PReg.intReg(5), PReg.intReg(6)));
    RegAllocOutput out = new RegAllocOutput(lists, List.of(), Map.of(), PRegSet.EMPTY, new BitSet(), NONE);
    assertEquals(lists.get(1), out.allocationsInTurn().of(1));
    assertEquals(lists.get(0), out.allocationsInTurn().of(0));
  }

  /** The fewest bytes {@link Resolution#operandAllocations} allocates for {@code f}, scanned once. */
  private static long bytesOfOperandAllocations(RegAllocFunction f) {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocator.Analysis a = ResolutionWorkTest.scanned(f, env);
    Deque<Resolution> resolutions = new ArrayDeque<>();
    for (int round = 0; round < AllocatedBytes.ROUNDS; round++) {
      resolutions.add(new Resolution(f, env, a.live(), a.ib(), a.state(), a.edges()));
    }
    return AllocatedBytes.fewest(() -> resolutions.poll().operandAllocations());
  }

  @Test
  void theOutputKeepsResolutionsAllocations() {
    RegAllocFunction f = ScanWorkTest.heldAcrossAChain(8);
    MachineEnv env = TestEnvs.x64Like();
    RegAllocator.Analysis a = ResolutionWorkTest.scanned(f, env);
    List<List<Allocation>> allocations =
        new Resolution(f, env, a.live(), a.ib(), a.state(), a.edges()).operandAllocations();
    RegAllocOutput out = new RegAllocOutput(allocations, List.of(), Map.of(), PRegSet.EMPTY, new BitSet(), NONE);
    assertSame(allocations, out.allocations());
  }
}
