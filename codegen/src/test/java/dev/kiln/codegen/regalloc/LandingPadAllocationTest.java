package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.ANY;
import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static dev.kiln.codegen.regalloc.OperandConstraint.reuse;
import static dev.kiln.codegen.regalloc.PReg.intReg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A call with an exceptional edge ({@link RegAllocFunction#landingBlock}): the unwinder enters the
 * landing block with no register restored, so what the pad reads is in its slot across the call,
 * while a value only the normal successor reads stays in a callee-saved register as across a plain
 * call (issue 38: a loop of calls under a {@code try_table} spilled and reloaded every value live
 * across each call). The checker holds an allocation to the pad's view.
 */
class LandingPadAllocationTest {
  private static final MachineEnv X64 = TestEnvs.x64Like();
  private static final PReg RAX = intReg(0);
  private static final PReg RSI = intReg(6);
  private static final PReg RDI = intReg(7);
  /** The instruction indices of {@link #callUnderHandler}: the call, the add after it, the pad's return. */
  private static final int CALL = 1;
  private static final int ADD = 3;

  /**
   * {@code r = call(x) [unwinds to pad]; normal: return r + y; pad: return x}: y is read on the
   * normal path only, x by the landing pad only. Without {@code landing}, the same code with a plain
   * call and two ordinary successors.
   */
  private static RegAllocFunction callUnderHandler(boolean landing) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int normal = b.newBlock();
    int pad = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    VReg y = b.newVReg(RegClass.INT);
    VReg r = b.newVReg(RegClass.INT);
    VReg s = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(x, fixed(RDI)), Operand.def(y, fixed(RSI))));
    int call = b.inst("call", List.of(Operand.use(x, fixed(RDI)), Operand.def(r, fixed(RAX))),
        TestEnvs.callerSaved(X64));
    assertEquals(CALL, call);
    if (landing) {
      b.markLanding(call, pad);
    }
    b.branch("unwind_edge", List.of(), List.of(new VCode.Target(normal, List.of()), new VCode.Target(pad, List.of())));
    b.startBlock(normal, List.of());
    int add = b.inst("add", List.of(Operand.use(r, REG), Operand.use(y, ANY), Operand.def(s, reuse(0))));
    assertEquals(ADD, add);
    b.ret(List.of(Operand.use(s, fixed(RAX))));
    b.startBlock(pad, List.of());
    b.ret(List.of(Operand.use(x, fixed(RAX))));
    return b.build();
  }

  @Test
  void onlyWhatThePadReadsGoesToItsSlot() {
    RegAllocFunction f = callUnderHandler(true);
    RegAllocOutput out = RegAllocatorTest.allocateAndCheck(f, X64);
    Allocation y = out.allocation(ADD, 1);
    assertInstanceOf(PReg.class, y, "y is read on the normal path only: " + out.edits());
    assertTrue(X64.calleeSaved().contains((PReg) y), "y survives the call in " + y);
    int padTop = f.blockInsts(2).first();
    List<Edit> intoPad = out.edits().stream().filter(e -> e.point().equals(ProgPoint.before(padTop))).toList();
    assertEquals(1, intoPad.size(), "x reaches the pad's return: " + out.edits());
    assertInstanceOf(SpillSlot.class, intoPad.getFirst().from(), "x comes from its slot: " + out.edits());
    assertEquals(X64.calleeSaved(), out.calleeSavedUsed(),
        "a function with a landing pad saves every callee-saved register");
  }

  @Test
  void theCheckerRefusesAPadThatReadsARegister() {
    RegAllocOutput plain = RegAllocatorTest.allocateAndCheck(callUnderHandler(false), X64);
    assertEquals(0, plain.spillSlots(RegClass.INT), "as a plain call, x stays in a callee-saved register");
    CheckerException refused = assertThrows(CheckerException.class,
        () -> Checker.check(callUnderHandler(true), X64, plain));
    assertTrue(refused.getMessage().contains("reads"), refused.getMessage());
  }

  @Test
  void aLandingBlockThatIsNoSuccessorIsRefused() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int other = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(x, fixed(RDI))));
    int call = b.inst("call", List.of(Operand.use(x, fixed(RDI))), TestEnvs.callerSaved(X64));
    b.markLanding(call, other);
    b.ret(List.of());
    b.startBlock(other, List.of());
    b.ret(List.of());
    RegAllocException refused = assertThrows(RegAllocException.class, () -> RegAllocator.allocate(b.build(), X64));
    assertTrue(refused.getMessage().contains("landing block"), refused.getMessage());
  }

  /**
   * Two calls in one block, each with a landing block that reads x, the first call's pad laid out
   * after the second's: both register-less ranges end at the block's end, and the first call's,
   * which starts first, holds the second's. Kept per landing block and asked by end alone, the
   * second call's range was found first and x stayed in a register across the first call (found by
   * the review of the per-landing-block ranges, 2026-11-28; the lowering makes one such call per
   * block, but the allocator's contract does not say so).
   */
  @Test
  void twoLandingCallsInOneBlockKeepWhatEitherPadReadsInItsSlotFromTheFirst() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int secondsPad = b.newBlock();
    int firstsPad = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("const", List.of(Operand.def(x, ANY)));
    int first = b.inst("call", List.of(), TestEnvs.callerSaved(X64));
    b.markLanding(first, firstsPad);
    int second = b.inst("call", List.of(), TestEnvs.callerSaved(X64));
    b.markLanding(second, secondsPad);
    b.branch("br", List.of(), List.of(new VCode.Target(secondsPad, List.of()), new VCode.Target(firstsPad, List.of())));
    b.startBlock(secondsPad, List.of());
    b.ret(List.of(Operand.use(x, ANY)));
    b.startBlock(firstsPad, List.of());
    b.ret(List.of(Operand.use(x, ANY)));
    RegAllocOutput out = RegAllocatorTest.allocateAndCheck(b.build(), X64);
    assertTrue(out.edits().stream().anyMatch(e -> e.point().inst() <= first && e.to() instanceof SpillSlot),
        "x is stored before the first call: " + out.edits());
  }

  /**
   * n calls in a row, each with a landing pad of its own laid out after them all; x is read between
   * the calls and by every other pad. x is live into n/2 landing blocks apart, each an index range
   * of its own, and asked about at each of its pieces: asking every index range cost n^2 searches
   * (192 million at 16,000 calls, found by the review). Sorted by first end, with a running last
   * end, a question asks one or two: at most 6x the searches at 4n (log^2 of the landing blocks
   * grows too).
   */
  @Test
  void aValueReadByEveryOtherPadAsksOneOrTwoOfItsRangesAQuestion() {
    long small = landingSearches(valueReadByEveryOtherPad(100));
    long large = landingSearches(valueReadByEveryOtherPad(400));
    assertTrue(small > 0, "the scan asks about x's landing blocks");
    assertTrue(large <= 6 * small, small + " searches at 100 calls, " + large + " at 400");
  }

  private static long landingSearches(RegAllocFunction f) {
    return ResolutionWorkTest.scanned(f, X64).landingPadValues().searches;
  }

  private static RegAllocFunction valueReadByEveryOtherPad(int n) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int[] calls = new int[n];
    for (int i = 0; i < n; i++) {
      calls[i] = b.newBlock();
    }
    int exit = b.newBlock();
    int[] pads = new int[n];
    for (int i = 0; i < n; i++) {
      pads[i] = b.newBlock();
    }
    VReg x = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("const", List.of(Operand.def(x, REG)));
    b.jump(calls[0], List.of());
    for (int i = 0; i < n; i++) {
      b.startBlock(calls[i], List.of());
      b.inst("use", List.of(Operand.use(x, REG)));
      int call = b.inst("call", List.of(), TestEnvs.callerSaved(X64));
      b.markLanding(call, pads[i]);
      b.branch("unwind_edge", List.of(), List.of(new VCode.Target(i + 1 < n ? calls[i + 1] : exit, List.of()),
          new VCode.Target(pads[i], List.of())));
    }
    b.startBlock(exit, List.of());
    b.ret(List.of(Operand.use(x, fixed(RAX))));
    for (int i = 0; i < n; i++) {
      b.startBlock(pads[i], List.of());
      b.ret(i % 2 == 0 ? List.of(Operand.use(x, ANY)) : List.of());
    }
    return b.build();
  }
}
