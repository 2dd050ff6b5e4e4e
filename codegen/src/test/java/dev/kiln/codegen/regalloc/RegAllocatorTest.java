package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.ANY;
import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static dev.kiln.codegen.regalloc.OperandConstraint.reuse;
import static dev.kiln.codegen.regalloc.PReg.intReg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made functions, one per situation the allocator must handle. */
class RegAllocatorTest {
  private static final MachineEnv X64 = TestEnvs.x64Like();
  private static final PReg RAX = intReg(0);
  private static final PReg RCX = intReg(1);
  private static final PReg RDX = intReg(2);
  private static final PReg RSI = intReg(6);
  private static final PReg RDI = intReg(7);

  /** Allocates, checks symbolically and compares an execution on vregs with one on the allocation. */
  static RegAllocOutput allocateAndCheck(RegAllocFunction f, MachineEnv env) {
    RegAllocOutput out = RegAllocator.allocate(f, env);
    Checker.check(f, env, out);
    assertEquals(Interpreter.runVirtual(f), Interpreter.runAllocated(f, out, 7), "execution on the allocation");
    return out;
  }

  private static List<Edit> editsAt(RegAllocOutput out, ProgPoint p) {
    return out.edits().stream().filter(e -> e.point().equals(p)).toList();
  }

  @Test
  void straightLineTwoAddressAdd() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    VReg y = b.newVReg(RegClass.INT);
    VReg sum = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(x, fixed(RDI)), Operand.def(y, fixed(RSI))));
    int add = b.inst("add", List.of(Operand.use(x, REG), Operand.use(y, ANY), Operand.def(sum, reuse(0))));
    int ret = b.ret(List.of(Operand.use(sum, fixed(RAX))));
    RegAllocOutput out = allocateAndCheck(b.build(), X64);
    assertEquals(RAX, out.allocation(ret, 0));
    assertEquals(out.allocation(add, 0), out.allocation(add, 2), "reused input shares the output register");
    assertEquals(0, out.spillSlots(RegClass.INT));
    assertTrue(out.calleeSavedUsed().isEmpty(), "short ranges stay in caller-saved registers");
  }

  @Test
  void twoAddressChainWhoseInputsDieNeedsNoCopies() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    VReg y = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(x, fixed(RDI)), Operand.def(y, fixed(RSI))));
    VReg acc = x;
    for (int k = 0; k < 8; k++) {
      VReg next = b.newVReg(RegClass.INT);
      b.inst("add", List.of(Operand.use(acc, REG), Operand.use(y, ANY), Operand.def(next, reuse(0))));
      acc = next;
    }
    b.ret(List.of(Operand.use(acc, fixed(RAX))));
    RegAllocOutput out = allocateAndCheck(b.build(), X64);
    assertTrue(out.edits().size() <= 1, "only the move into the return register may remain: " + out.edits());
  }

  @Test
  void diamondJoinsThroughBlockParameter() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int left = b.newBlock();
    int right = b.newBlock();
    int join = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    VReg c = b.newVReg(RegClass.INT);
    VReg l = b.newVReg(RegClass.INT);
    VReg r = b.newVReg(RegClass.INT);
    VReg p = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(x, fixed(RDI)), Operand.def(c, fixed(RSI))));
    b.branch("br", List.of(Operand.use(c, REG)), List.of(new VCode.Target(left, List.of()),
        new VCode.Target(right, List.of())));
    b.startBlock(left, List.of());
    b.inst("neg", List.of(Operand.use(x, REG), Operand.def(l, reuse(0))));
    b.jump(join, List.of(l));
    b.startBlock(right, List.of());
    b.inst("not", List.of(Operand.use(x, REG), Operand.def(r, REG)));
    b.jump(join, List.of(r));
    b.startBlock(join, List.of(p));
    b.ret(List.of(Operand.use(p, fixed(RAX)), Operand.use(x, ANY)));
    allocateAndCheck(b.build(), X64);
  }

  /** {@code i = 0; acc = 0; while (cond(i, n)) { acc += i; i += 1; } return acc;} */
  private static RegAllocFunction countingLoop(int extraLiveValues) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int header = b.newBlock();
    int body = b.newBlock();
    int exit = b.newBlock();
    VReg n = b.newVReg(RegClass.INT);
    VReg zero = b.newVReg(RegClass.INT);
    VReg i = b.newVReg(RegClass.INT);
    VReg acc = b.newVReg(RegClass.INT);
    VReg cond = b.newVReg(RegClass.INT);
    VReg acc2 = b.newVReg(RegClass.INT);
    VReg i2 = b.newVReg(RegClass.INT);
    List<VReg> extra = new ArrayList<>();
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(n, fixed(RDI))));
    b.inst("const", List.of(Operand.def(zero, REG)));
    for (int k = 0; k < extraLiveValues; k++) {
      VReg e = b.newVReg(RegClass.INT);
      b.inst("const", List.of(Operand.def(e, REG)));
      extra.add(e);
    }
    b.jump(header, List.of(zero, zero));
    b.startBlock(header, List.of(i, acc));
    b.inst("cmp", List.of(Operand.use(i, REG), Operand.use(n, ANY), Operand.def(cond, REG)));
    b.branch("br", List.of(Operand.use(cond, REG)), List.of(new VCode.Target(body, List.of()),
        new VCode.Target(exit, List.of())));
    b.startBlock(body, List.of());
    b.inst("add", List.of(Operand.use(acc, REG), Operand.use(i, ANY), Operand.def(acc2, reuse(0))));
    b.inst("inc", List.of(Operand.use(i, REG), Operand.def(i2, reuse(0))));
    b.jump(header, List.of(i2, acc2));
    b.startBlock(exit, List.of());
    List<Operand> rets = new ArrayList<>(List.of(Operand.use(acc, fixed(RAX))));
    for (VReg e : extra) {
      rets.add(Operand.use(e, REG));
    }
    b.ret(rets);
    return b.build();
  }

  @Test
  void loopCarriesValuesAroundTheBackEdge() {
    RegAllocOutput out = allocateAndCheck(countingLoop(0), X64);
    assertEquals(0, out.spillSlots(RegClass.INT));
  }

  @Test
  void loopUnderPressureSpills() {
    MachineEnv three = TestEnvs.small(3, 0, 1, false);
    RegAllocOutput out = allocateAndCheck(countingLoop(2), three);
    assertTrue(out.spillSlots(RegClass.INT) > 0, "six values live in the loop, three registers");
  }

  /** A loop function and where its loop is. */
  private record LoopFunction(RegAllocFunction f, int header, int body) {
    int loopFirst() {
      return f.blockInsts(header).first();
    }

    int loopEnd() {
      return f.blockInsts(body).end();
    }
  }

  /**
   * {@code v = const; i = n; while (i != 0) { i = add(i, v) }; return v} with a call that clobbers
   * every register: before the loop, or in its header (then the body also uses v a second time).
   */
  private static LoopFunction loopUsingV(MachineEnv env, boolean callInHeader) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int pre = b.newBlock();
    int header = b.newBlock();
    int body = b.newBlock();
    int exit = b.newBlock();
    VReg n = b.newVReg(RegClass.INT);
    VReg v = b.newVReg(RegClass.INT);
    VReg i = b.newVReg(RegClass.INT);
    VReg cond = b.newVReg(RegClass.INT);
    VReg i2 = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(n, fixed(intReg(0)))));
    b.inst("const", List.of(Operand.def(v, REG)));
    if (!callInHeader) {
      b.inst("call", List.of(), TestEnvs.callerSaved(env));
    }
    b.jump(pre, List.of());
    b.startBlock(pre, List.of());
    b.jump(header, List.of(n));
    b.startBlock(header, List.of(i));
    if (callInHeader) {
      b.inst("call", List.of(), TestEnvs.callerSaved(env));
    }
    b.inst("cmp", List.of(Operand.use(i, REG), Operand.use(n, ANY), Operand.def(cond, REG)));
    b.branch("br", List.of(Operand.use(cond, REG)), List.of(new VCode.Target(body, List.of()),
        new VCode.Target(exit, List.of())));
    b.startBlock(body, List.of());
    b.inst("add", List.of(Operand.use(i, REG), Operand.use(v, REG), Operand.def(i2, REG)));
    if (callInHeader) {
      b.inst("use", List.of(Operand.use(v, REG), Operand.use(i2, REG)));
    }
    b.jump(header, List.of(i2));
    b.startBlock(exit, List.of());
    b.ret(List.of(Operand.use(v, fixed(intReg(0)))));
    return new LoopFunction(b.build(), header, body);
  }

  /**
   * {@code v} lives in its slot across the call at the loop header and is reloaded in the body for
   * two uses; the slot still holds it all the while (stored once before the loop, read by the
   * reload), so nothing in the loop stores it again, at the end of its piece or on the back edge.
   */
  @Test
  void noStoreIntoASlotThatAlreadyHoldsTheValue() {
    MachineEnv env = TestEnvs.small(3, 0, 1, false);
    LoopFunction loop = loopUsingV(env, true);
    RegAllocOutput out = allocateAndCheck(loop.f(), env);
    int add = loop.f().blockInsts(loop.body()).first();
    Edit reload = out.edits().stream().filter(e -> e.point().inst() == add && e.from() instanceof SpillSlot
        && e.to().equals(out.allocations(add).get(1))).findFirst().orElseThrow(() -> new AssertionError(
            "v is reloaded for the add: " + out.edits()));
    assertEquals(List.of(), out.edits().stream().filter(e -> e.point().inst() >= loop.loopFirst()
        && e.point().inst() < loop.loopEnd() && e.to().equals(reload.from())).toList(),
        "no store into v's slot in the loop: " + out.edits());
  }

  @Test
  void reloadOfValueSpilledBeforeLoopIsHoistedOutOfTheLoop() {
    MachineEnv env = TestEnvs.small(3, 0, 1, false);
    LoopFunction loop = loopUsingV(env, false);
    RegAllocOutput out = allocateAndCheck(loop.f(), env);
    List<Edit> reloadsInLoop = out.edits().stream().filter(e -> e.from() instanceof SpillSlot
        && e.point().inst() >= loop.loopFirst() && e.point().inst() < loop.loopEnd()).toList();
    assertEquals(List.of(), reloadsInLoop, "v is reloaded once, before the loop: " + out.edits());
  }

  /**
   * Three registers; x and y are live through a loop that never uses them, the loop itself needs
   * three values (i, n, the compare). They are stored on the way into the loop and reloaded after
   * it; nothing the loop uses goes to a slot inside it.
   */
  @Test
  void valuesTheLoopDoesNotUseMakeWayForThoseItDoes() {
    MachineEnv env = TestEnvs.small(3, 0, 1, false);
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int header = b.newBlock();
    int body = b.newBlock();
    int exit = b.newBlock();
    VReg n = b.newVReg(RegClass.INT);
    VReg x = b.newVReg(RegClass.INT);
    VReg y = b.newVReg(RegClass.INT);
    VReg zero = b.newVReg(RegClass.INT);
    VReg i = b.newVReg(RegClass.INT);
    VReg cond = b.newVReg(RegClass.INT);
    VReg i2 = b.newVReg(RegClass.INT);
    VReg sum = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(n, fixed(intReg(0))), Operand.def(x, fixed(intReg(1)))));
    b.inst("const", List.of(Operand.def(y, REG)));
    b.inst("const", List.of(Operand.def(zero, REG)));
    b.jump(header, List.of(zero));
    b.startBlock(header, List.of(i));
    b.inst("cmp", List.of(Operand.use(i, REG), Operand.use(n, REG), Operand.def(cond, REG)));
    b.branch("br", List.of(Operand.use(cond, REG)), List.of(new VCode.Target(body, List.of()),
        new VCode.Target(exit, List.of())));
    b.startBlock(body, List.of());
    b.inst("inc", List.of(Operand.use(i, REG), Operand.def(i2, reuse(0))));
    b.jump(header, List.of(i2));
    b.startBlock(exit, List.of());
    b.inst("add", List.of(Operand.use(x, REG), Operand.use(y, REG), Operand.def(sum, reuse(0))));
    b.ret(List.of(Operand.use(sum, fixed(intReg(0))), Operand.use(i, REG)));
    RegAllocFunction f = b.build();
    RegAllocOutput out = allocateAndCheck(f, env);
    int loopFirst = f.blockInsts(header).first();
    int loopEnd = f.blockInsts(body).end();
    List<Edit> slotMovesInLoop = out.edits().stream()
        .filter(e -> (e.from() instanceof SpillSlot || e.to() instanceof SpillSlot)
            && e.point().inst() >= loopFirst && e.point().inst() < loopEnd)
        .toList();
    assertEquals(List.of(), slotMovesInLoop, "x and y wait in slots around the loop: " + out.edits());
    assertEquals(2, out.stats().moveCounts().spillStores(), "x and y stored once each: " + out.edits());
  }

  /**
   * A loop parameter and the argument the back edge passes it, both in slots across calls (no
   * callee-saved register) and never live at the same time: one slot, so the back edge moves nothing.
   */
  @Test
  void spilledLoopParameterSharesItsIncomingArgumentsSlot() {
    MachineEnv env = TestEnvs.small(3, 0, 1, true);
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int header = b.newBlock();
    int body = b.newBlock();
    int exit = b.newBlock();
    VReg zero = b.newVReg(RegClass.INT);
    VReg i = b.newVReg(RegClass.INT);
    VReg cond = b.newVReg(RegClass.INT);
    VReg t = b.newVReg(RegClass.INT);
    VReg i2 = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("const", List.of(Operand.def(zero, REG)));
    b.jump(header, List.of(zero));
    b.startBlock(header, List.of(i));
    b.inst("call", List.of(), TestEnvs.callerSaved(env));
    b.inst("cmp", List.of(Operand.use(i, REG), Operand.def(cond, REG)));
    b.branch("br", List.of(Operand.use(cond, REG)), List.of(new VCode.Target(body, List.of()),
        new VCode.Target(exit, List.of())));
    b.startBlock(body, List.of());
    b.inst("inc", List.of(Operand.use(i, REG), Operand.def(t, reuse(0))));
    b.inst("call", List.of(), TestEnvs.callerSaved(env));
    b.inst("inc", List.of(Operand.use(t, REG), Operand.def(i2, reuse(0))));
    b.inst("call", List.of(), TestEnvs.callerSaved(env));
    b.jump(header, List.of(i2));
    b.startBlock(exit, List.of());
    b.ret(List.of());
    RegAllocFunction f = b.build();
    RegAllocOutput out = allocateAndCheck(f, env);
    ProgPoint backEdge = ProgPoint.before(f.blockInsts(body).last());
    assertEquals(List.of(), editsAt(out, backEdge), "i2 is already in i's slot: " + out.edits());
  }

  private static RegAllocFunction valueLiveAcrossCall(MachineEnv env) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    VReg r = b.newVReg(RegClass.INT);
    VReg s = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(x, fixed(RDI))));
    b.inst("call", List.of(Operand.use(x, fixed(RDI)), Operand.def(r, fixed(RAX))), TestEnvs.callerSaved(env));
    b.inst("add", List.of(Operand.use(r, REG), Operand.use(x, ANY), Operand.def(s, reuse(0))));
    b.ret(List.of(Operand.use(s, fixed(RAX))));
    return b.build();
  }

  @Test
  void valueLiveAcrossCallTakesCalleeSavedRegister() {
    RegAllocFunction f = valueLiveAcrossCall(X64);
    RegAllocOutput out = allocateAndCheck(f, X64);
    Allocation across = out.allocation(2, 1);
    assertInstanceOf(PReg.class, across);
    assertTrue(X64.calleeSaved().contains((PReg) across), "x survives the call in " + across);
    assertTrue(out.calleeSavedUsed().contains((PReg) across), "the prologue must save " + across);
    assertEquals(0, out.spillSlots(RegClass.INT));
  }

  @Test
  void valueLiveAcrossCallWithoutCalleeSavedRegistersIsSpilled() {
    MachineEnv env = new MachineEnv(List.of(RAX, RCX, RDX, RSI, RDI), PRegSet.EMPTY, List.of());
    RegAllocOutput out = allocateAndCheck(valueLiveAcrossCall(env), env);
    assertEquals(1, out.spillSlots(RegClass.INT));
    assertTrue(out.calleeSavedUsed().isEmpty());
  }

  @Test
  void fixedRegistersForShiftAndDivide() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    VReg count = b.newVReg(RegClass.INT);
    VReg d = b.newVReg(RegClass.INT);
    VReg shifted = b.newVReg(RegClass.INT);
    VReg hi = b.newVReg(RegClass.INT);
    VReg q = b.newVReg(RegClass.INT);
    VReg rem = b.newVReg(RegClass.INT);
    VReg t = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(x, fixed(RDI)), Operand.def(count, fixed(RSI)), Operand.def(d, fixed(RDX))));
    // shl r/m64, cl (Intel SDM Vol. 2B "SAL/SAR/SHL/SHR"): the count must be in cl.
    int shl = b.inst("shl", List.of(Operand.use(x, REG), Operand.use(count, fixed(RCX)),
        Operand.def(shifted, reuse(0))));
    b.inst("cqo", List.of(Operand.use(shifted, fixed(RAX)), Operand.def(hi, fixed(RDX))));
    // idiv r/m64 (Intel SDM Vol. 2A "IDIV"): rdx:rax / r/m64 -> rax quotient, rdx remainder.
    int div = b.inst("idiv", List.of(Operand.use(shifted, fixed(RAX)), Operand.use(hi, fixed(RDX)),
        Operand.use(d, REG), Operand.def(q, fixed(RAX)), Operand.def(rem, fixed(RDX))));
    b.inst("add", List.of(Operand.use(q, REG), Operand.use(count, ANY), Operand.def(t, reuse(0))));
    b.ret(List.of(Operand.use(t, fixed(RAX)), Operand.use(rem, fixed(RDX)), Operand.use(d, ANY)));
    RegAllocOutput out = allocateAndCheck(b.build(), X64);
    assertEquals(RCX, out.allocation(shl, 1));
    assertEquals(List.of(RAX, RDX), out.allocations(div).subList(0, 2));
    Allocation divisor = out.allocation(div, 2);
    assertNotEquals(RAX, divisor);
    assertNotEquals(RDX, divisor);
  }

  @Test
  void reusedInputThatStaysLiveIsCopiedFirst() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg a = b.newVReg(RegClass.INT);
    VReg c = b.newVReg(RegClass.INT);
    VReg sum = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(a, fixed(RDI))));
    int add = b.inst("add", List.of(Operand.use(a, REG), Operand.use(a, REG), Operand.def(sum, reuse(0))));
    b.inst("sub", List.of(Operand.use(sum, REG), Operand.use(a, REG), Operand.def(c, reuse(0))));
    b.ret(List.of(Operand.use(c, fixed(RAX))));
    RegAllocOutput out = allocateAndCheck(b.build(), X64);
    Allocation output = out.allocation(add, 2);
    assertEquals(output, out.allocation(add, 0));
    assertNotEquals(output, out.allocation(add, 1), "a itself stays where it was");
    assertTrue(editsAt(out, ProgPoint.before(add)).stream().anyMatch(e -> e.to().equals(output)),
        "a is copied into the output register before the add");
  }

  @Test
  void highPressureWithTwoRegistersSpillsAndReloads() {
    MachineEnv two = TestEnvs.small(2, 0, 1, false);
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    List<VReg> vals = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      VReg v = b.newVReg(RegClass.INT);
      b.inst("const", List.of(Operand.def(v, REG)));
      vals.add(v);
    }
    VReg acc = vals.getFirst();
    for (int k = 1; k < 6; k++) {
      VReg next = b.newVReg(RegClass.INT);
      b.inst("add", List.of(Operand.use(acc, REG), Operand.use(vals.get(k), REG), Operand.def(next, reuse(0))));
      acc = next;
    }
    for (int k = 5; k >= 0; k--) {
      VReg next = b.newVReg(RegClass.INT);
      b.inst("xor", List.of(Operand.use(acc, REG), Operand.use(vals.get(k), REG), Operand.def(next, REG)));
      acc = next;
    }
    b.ret(List.of(Operand.use(acc, fixed(intReg(0)))));
    RegAllocOutput out = allocateAndCheck(b.build(), two);
    assertTrue(out.spillSlots(RegClass.INT) >= 4, "six values alive at once in two registers: "
        + out.spillSlots(RegClass.INT));
    assertTrue(out.edits().stream().anyMatch(e -> e.from() instanceof SpillSlot), "reloads");
    assertTrue(out.edits().stream().anyMatch(e -> e.to() instanceof SpillSlot), "spill stores");
  }

  /** A loop whose back edge passes (b, a) to parameters (a, b): a swap, so a move cycle. */
  private static RegAllocFunction swapLoop(RegClass c) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int header = b.newBlock();
    int latch = b.newBlock();
    int exit = b.newBlock();
    VReg x = b.newVReg(c);
    VReg y = b.newVReg(c);
    VReg pa = b.newVReg(c);
    VReg pb = b.newVReg(c);
    VReg cond = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(x, fixed(new PReg(c, 0))), Operand.def(y, fixed(new PReg(c, 1)))));
    b.jump(header, List.of(x, y));
    b.startBlock(header, List.of(pa, pb));
    b.inst("cmp", List.of(Operand.use(pa, REG), Operand.use(pb, REG), Operand.def(cond, REG)));
    b.branch("br", List.of(Operand.use(cond, REG)), List.of(new VCode.Target(latch, List.of()),
        new VCode.Target(exit, List.of())));
    b.startBlock(latch, List.of());
    b.jump(header, List.of(pb, pa));
    b.startBlock(exit, List.of());
    b.ret(List.of(Operand.use(pa, fixed(new PReg(c, 0))), Operand.use(pb, fixed(new PReg(c, 1)))));
    return b.build();
  }

  @Test
  void swappedBlockParametersBreakTheCycleWithScratch() {
    MachineEnv env = TestEnvs.small(3, 0, 3, true);
    for (RegClass c : RegClass.values()) {
      RegAllocFunction f = swapLoop(c);
      RegAllocOutput out = allocateAndCheck(f, env);
      int jump = f.blockInsts(2).last();
      List<Edit> swap = editsAt(out, ProgPoint.before(jump));
      assertEquals(3, swap.size(), "a swap of two registers takes three moves: " + swap);
      assertEquals(env.scratch(c).orElseThrow(), swap.getFirst().to(), "through the scratch register");
    }
  }

  @Test
  void swappedBlockParametersBreakTheCycleWithoutScratch() {
    MachineEnv env = TestEnvs.small(3, 0, 3, false);
    RegAllocFunction f = swapLoop(RegClass.INT);
    RegAllocOutput out = allocateAndCheck(f, env);
    List<Edit> swap = editsAt(out, ProgPoint.before(f.blockInsts(2).last()));
    assertEquals(3, swap.size(), "a swap of two registers takes three moves: " + swap);
    assertInstanceOf(SpillSlot.class, swap.getFirst().to(), "through a spare slot");
  }

  @Test
  void unreachableBlockIsAllocatedToo() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int dead = b.newBlock();
    int tail = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    VReg y = b.newVReg(RegClass.INT);
    VReg p = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(x, fixed(RDI))));
    b.ret(List.of(Operand.use(x, fixed(RAX))));
    b.startBlock(dead, List.of());
    b.inst("neg", List.of(Operand.use(x, REG), Operand.def(y, reuse(0))));
    b.jump(tail, List.of(y));
    b.startBlock(tail, List.of(p));
    b.ret(List.of(Operand.use(p, fixed(RAX))));
    RegAllocFunction f = b.build();
    RegAllocOutput out = allocateAndCheck(f, X64);
    assertInstanceOf(PReg.class, out.allocation(f.blockInsts(dead).first(), 0));
  }

  @Test
  void machineEnvRejectsInconsistentRegisterSets() {
    assertThrows(IllegalArgumentException.class,
        () -> new MachineEnv(List.of(RAX, RCX), PRegSet.of(RDX), List.of()), "callee-saved but not allocatable");
    assertThrows(IllegalArgumentException.class,
        () -> new MachineEnv(List.of(RAX, RCX), PRegSet.EMPTY, List.of(RCX)), "scratch that is allocatable");
    assertThrows(IllegalArgumentException.class,
        () -> new MachineEnv(List.of(RAX), PRegSet.EMPTY, List.of(RCX, RDX)), "two scratch registers of a class");
    assertThrows(IllegalArgumentException.class,
        () -> new MachineEnv(List.of(RAX, RAX), PRegSet.EMPTY, List.of()), "a register listed twice");
  }

  /**
   * The validator reads the block graph's flat arrays (BlockEdges), as the allocator does: an edge
   * passing more values than its target has parameters, or a value of another class, is refused
   * there, naming the jump.
   */
  @Test
  void rejectsEdgeArgumentsThatDoNotFitTheParameters() {
    for (boolean wrongClass : new boolean[] {false, true}) {
      FunctionBuilder b = new FunctionBuilder();
      int entry = b.newBlock();
      int next = b.newBlock();
      VReg x = b.newVReg(RegClass.INT);
      VReg p = b.newVReg(wrongClass ? RegClass.FLOAT : RegClass.INT);
      b.startBlock(entry, List.of());
      b.inst("args", List.of(Operand.def(x, fixed(RDI))));
      int jump = b.jump(next, wrongClass ? List.of(x) : List.of(x, x));
      b.startBlock(next, List.of(p));
      b.ret(List.of());
      RegAllocException e = assertThrows(RegAllocException.class, () -> RegAllocator.allocate(b.build(), X64));
      assertTrue(e.getMessage().contains(wrongClass ? "has another class than parameter" : "passes 2 values to block 1"),
          e.getMessage());
      assertEquals(jump, e.inst());
    }
  }

  @Test
  void rejectsCriticalEdge() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int side = b.newBlock();
    int join = b.newBlock();
    VReg c = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(c, fixed(RDI))));
    b.branch("br", List.of(Operand.use(c, REG)), List.of(new VCode.Target(side, List.of()),
        new VCode.Target(join, List.of())));
    b.startBlock(side, List.of());
    b.jump(join, List.of());
    b.startBlock(join, List.of());
    b.ret(List.of());
    RegAllocException e = assertThrows(RegAllocException.class, () -> RegAllocator.allocate(b.build(), X64));
    assertTrue(e.getMessage().contains("critical edge"), e.getMessage());
    assertEquals(1, e.inst());
  }

  @Test
  void rejectsMoreRegisterOperandsThanRegisters() {
    MachineEnv two = TestEnvs.small(2, 0, 1, false);
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    List<Operand> uses = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      VReg v = b.newVReg(RegClass.INT);
      b.inst("const", List.of(Operand.def(v, ANY)));
      uses.add(Operand.use(v, REG));
    }
    int three = b.inst("op3", uses);
    b.ret(List.of());
    RegAllocException e = assertThrows(RegAllocException.class, () -> RegAllocator.allocate(b.build(), two));
    assertEquals(three, e.inst(), e.getMessage());
  }

  @Test
  void rejectsAnOperandFixedToTheScratchRegister() {
    MachineEnv withScratch = TestEnvs.small(4, 0, 1, true);
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg v = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    int def = b.inst("def", List.of(Operand.def(v, fixed(intReg(31)))));
    b.ret(List.of());
    RegAllocException e = assertThrows(RegAllocException.class,
        () -> RegAllocator.allocate(b.build(), withScratch));
    assertTrue(e.getMessage().contains("scratch register p31"), e.getMessage());
    assertEquals(def, e.inst());
    assertTrue(withScratch.isScratch(PReg.floatReg(31)));
    assertFalse(withScratch.isScratch(intReg(0)));
    assertTrue(withScratch.isAllocatable(intReg(3)));
    assertFalse(withScratch.isAllocatable(intReg(31)));
  }

  @Test
  void rejectsUseWithoutDefinitionAndDoubleDefinition() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg v = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.ret(List.of(Operand.use(v, REG)));
    RegAllocException undefined = assertThrows(RegAllocException.class, () -> RegAllocator.allocate(b.build(), X64));
    assertTrue(undefined.getMessage().contains("no definition"), undefined.getMessage());

    FunctionBuilder b2 = new FunctionBuilder();
    int entry2 = b2.newBlock();
    VReg w = b2.newVReg(RegClass.INT);
    b2.startBlock(entry2, List.of());
    b2.inst("a", List.of(Operand.def(w, REG)));
    b2.inst("b", List.of(Operand.def(w, REG)));
    b2.ret(List.of());
    RegAllocException twice = assertThrows(RegAllocException.class, () -> RegAllocator.allocate(b2.build(), X64));
    assertEquals(1, twice.inst(), twice.getMessage());
  }

  @Test
  void copyHintGivesTheSameRegister() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    VReg y = b.newVReg(RegClass.INT);
    VReg z = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("const", List.of(Operand.def(x, REG)));
    int mov = b.move(y, x);
    b.inst("neg", List.of(Operand.use(y, REG), Operand.def(z, reuse(0))));
    b.ret(List.of(Operand.use(z, fixed(RAX))));
    RegAllocOutput out = allocateAndCheck(b.build(), X64);
    assertEquals(out.allocation(mov, 0), out.allocation(mov, 1), "a copy whose source dies is a no-op");
  }

  @Test
  void fixedOperandsOfTheValueItselfNeedNoCopies() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg x = b.newVReg(RegClass.INT);
    VReg r = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(x, fixed(RDI))));
    b.inst("call", List.of(Operand.use(x, fixed(RDI)), Operand.def(r, fixed(RAX))), TestEnvs.callerSaved(X64));
    b.ret(List.of(Operand.use(r, fixed(RAX))));
    RegAllocOutput out = allocateAndCheck(b.build(), X64);
    assertEquals(List.of(), out.edits(), "argument stays in rdi, result stays in rax");
  }
}
