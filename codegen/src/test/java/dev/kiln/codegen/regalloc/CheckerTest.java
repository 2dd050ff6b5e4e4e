package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.ANY;
import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static dev.kiln.codegen.regalloc.OperandConstraint.reuse;
import static dev.kiln.codegen.regalloc.PReg.intReg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The checker must reject wrong allocations, or passing it would mean nothing. */
class CheckerTest {
  private static final MachineEnv X64 = TestEnvs.x64Like();
  private static final PReg RAX = intReg(0);
  private static final PReg RCX = intReg(1);
  private static final PReg RDI = intReg(7);

  /** x = arg; r = call(x); s = r + x; return s. */
  private static RegAllocFunction callFunction() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    VReg r = b.newVReg(RegClass.INT);
    VReg s = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(x, fixed(RDI))));
    b.inst("call", List.of(Operand.use(x, fixed(RDI)), Operand.def(r, fixed(RAX))), TestEnvs.callerSaved(X64));
    b.inst("add", List.of(Operand.use(r, REG), Operand.use(x, ANY), Operand.def(s, reuse(0))));
    b.ret(List.of(Operand.use(s, fixed(RAX))));
    return b.build();
  }

  private static RegAllocOutput withAllocation(RegAllocOutput out, int inst, int operand, Allocation a) {
    List<List<Allocation>> allocs = new ArrayList<>();
    for (List<Allocation> l : out.allocations()) {
      allocs.add(new ArrayList<>(l));
    }
    allocs.get(inst).set(operand, a);
    return new RegAllocOutput(allocs, out.edits(), out.spillSlotCounts(), out.calleeSavedUsed(), out.loopHeaders(), out.stats());
  }

  private static RegAllocOutput withEdits(RegAllocOutput out, List<Edit> edits) {
    return new RegAllocOutput(out.allocations(), edits, out.spillSlotCounts(), out.calleeSavedUsed(), out.loopHeaders(), out.stats());
  }

  @Test
  void acceptsTheAllocatorsOutput() {
    RegAllocFunction f = callFunction();
    Checker.check(f, X64, RegAllocator.allocate(f, X64));
  }

  @Test
  void rejectsValueReadFromClobberedRegister() {
    RegAllocFunction f = callFunction();
    RegAllocOutput out = RegAllocator.allocate(f, X64);
    // x lives in a callee-saved register across the call; claim it was in rcx, which the call destroys.
    CheckerException e = assertThrows(CheckerException.class,
        () -> Checker.check(f, X64, withAllocation(out, 2, 1, RCX)));
    assertEquals(2, e.inst());
    assertTrue(e.getMessage().contains("reads v0 from p1"), e.getMessage());
  }

  @Test
  void rejectsBrokenFixedConstraint() {
    RegAllocFunction f = callFunction();
    RegAllocOutput out = RegAllocator.allocate(f, X64);
    CheckerException e = assertThrows(CheckerException.class,
        () -> Checker.check(f, X64, withAllocation(out, 3, 0, out.allocation(2, 1))));
    assertEquals(3, e.inst());
    assertTrue(e.getMessage().contains("breaks its constraint"), e.getMessage());
  }

  @Test
  void rejectsBrokenReuseConstraint() {
    RegAllocFunction f = callFunction();
    RegAllocOutput out = RegAllocator.allocate(f, X64);
    Allocation other = out.allocation(2, 0).equals(RCX) ? intReg(2) : RCX;
    CheckerException e = assertThrows(CheckerException.class,
        () -> Checker.check(f, X64, withAllocation(out, 2, 2, other)));
    assertEquals(2, e.inst());
  }

  @Test
  void rejectsUnreportedCalleeSavedRegister() {
    RegAllocFunction f = callFunction();
    RegAllocOutput out = RegAllocator.allocate(f, X64);
    assertTrue(!out.calleeSavedUsed().isEmpty());
    RegAllocOutput hidden = new RegAllocOutput(out.allocations(), out.edits(), out.spillSlotCounts(),
        PRegSet.EMPTY, out.loopHeaders(), out.stats());
    CheckerException e = assertThrows(CheckerException.class, () -> Checker.check(f, X64, hidden));
    assertTrue(e.getMessage().contains("callee-saved"), e.getMessage());
  }

  @Test
  void rejectsMissingMove() {
    RegAllocFunction f = callFunction();
    RegAllocOutput out = RegAllocator.allocate(f, X64);
    assertTrue(!out.edits().isEmpty());
    // The first move carries x out of rdi into the register that survives the call.
    List<Edit> edits = new ArrayList<>(out.edits());
    edits.removeFirst();
    assertThrows(CheckerException.class, () -> Checker.check(f, X64, withEdits(out, edits)));
  }

  @Test
  void rejectsEditAfterTerminator() {
    RegAllocFunction f = callFunction();
    RegAllocOutput out = RegAllocator.allocate(f, X64);
    List<Edit> edits = new ArrayList<>(out.edits());
    edits.add(new Edit(ProgPoint.after(3), RAX, RCX));
    CheckerException e = assertThrows(CheckerException.class, () -> Checker.check(f, X64, withEdits(out, edits)));
    assertEquals(3, e.inst());
  }

  @Test
  void rejectsSlotBeyondTheReportedCount() {
    RegAllocFunction f = callFunction();
    RegAllocOutput out = RegAllocator.allocate(f, X64);
    CheckerException e = assertThrows(CheckerException.class,
        () -> Checker.check(f, X64, withAllocation(out, 2, 1, new SpillSlot(RegClass.INT, 5))));
    assertTrue(e.getMessage().contains("beyond"), e.getMessage());
  }

  /**
   * Drops or redirects one random edit of random allocations. Whenever the interpreter shows the
   * corrupted program reads a different value, the checker must reject it too.
   */
  @Test
  void everyCorruptionTheInterpreterNoticesIsRejected() {
    MachineEnv env = TestEnvs.small(3, 1, 2, false);
    SplittableRandom rnd = new SplittableRandom(99);
    int noticed = 0;
    for (long seed = 5_000_000; seed < 5_000_600; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, env);
      RegAllocOutput out = RegAllocator.allocate(f, env);
      if (out.edits().isEmpty()) {
        continue;
      }
      List<Edit> edits = new ArrayList<>(out.edits());
      int k = rnd.nextInt(edits.size());
      Edit e = edits.get(k);
      if (rnd.nextBoolean()) {
        edits.remove(k);
      } else {
        List<PReg> regs = env.allocatable(e.to().regClass());
        PReg wrong = regs.get(rnd.nextInt(regs.size()));
        if (wrong.equals(e.to()) || wrong.equals(e.from()) || e.from() instanceof SpillSlot) {
          continue;
        }
        edits.set(k, new Edit(e.point(), e.from(), wrong));
      }
      RegAllocOutput bad = withEdits(out, edits);
      List<Long> expected = Interpreter.runVirtual(f);
      if (!expected.equals(Interpreter.runAllocated(f, bad, seed))) {
        noticed++;
        long s = seed;
        assertThrows(CheckerException.class, () -> Checker.check(f, env, bad), () -> "seed " + s + "\n" + f);
      }
    }
    assertTrue(noticed > 100, "corruptions that change behaviour: " + noticed);
  }
}
