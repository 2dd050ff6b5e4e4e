package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertSame;
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
 * of each instruction's list; and each instruction's list is a window of the one array it filled for
 * the function, not a copy, nor an array of its own.
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
    // An instruction's list and its entries in the function's array are most of it; a copy of the
    // outer array added 4 bytes, an array per instruction 8 more.
    assertTrue(bytes <= 48L * f.numInsts(), bytes + " bytes for " + f.numInsts()
        + " instructions (56.3 each with the copy, 52.3 with an array per instruction, 44.2 now)");
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
    // Per three-operand instruction, its entries in the function's array (12 bytes) and a list over
    // them (24): an array of its own was 32 bytes and its list 16, and List.of copied the array into
    // one of its own (another 32).
    assertTrue(bytes <= 52L * f.numInsts(), bytes + " bytes for " + f.numInsts()
        + " instructions (91.9 each with List.of's copy, 60.1 with an array per instruction, 48.1 now)");
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
