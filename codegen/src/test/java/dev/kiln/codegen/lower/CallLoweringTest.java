package dev.kiln.codegen.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.OperandConstraint;
import dev.kiln.codegen.regalloc.OperandKind;
import dev.kiln.codegen.regalloc.PReg;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.vcode.VCodeInst;
import dev.kiln.ir.AbiParam;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.ParamPurpose;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import dev.kiln.ir.text.Parser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CallLowering} under a toy convention: the first two wasm parameters in r1 and r2, the rest
 * on the stack 8 bytes apart; the first two results in r0 and r3, the rest in a return area 8 bytes apart; the
 * vmctx pair in r7 and r6, the return-area pointer in r5; r0 to r4 clobbered by a call. The toy
 * ISA's instructions are named after what was asked of it, so each test reads the decisions the
 * shared half made: order, fixed registers, copies, memory traffic, the outgoing area.
 */
class CallLoweringTest {
  record ToyInst(String name, Kind kind, List<Operand> operands, PRegSet clobbers,
      List<CallLowering.TailStackArgument> tailStackArguments, int stackBytes) implements VCodeInst {
    ToyInst(String name, Kind kind, List<Operand> operands, PRegSet clobbers,
        List<CallLowering.TailStackArgument> tailStackArguments) {
      this(name, kind, operands, clobbers, tailStackArguments, 0);
    }
  }

  private static final CallLowering.Registers REGISTERS = new CallLowering.Registers(
      PReg.intReg(7), PReg.intReg(6), PReg.intReg(5),
      PRegSet.of(List.of(PReg.intReg(0), PReg.intReg(1), PReg.intReg(2), PReg.intReg(3), PReg.intReg(4))));

  static final class ToyLowering extends LoweringDriver<ToyInst> {
    final CallLowering calls = new CallLowering(this, REGISTERS, new ToyConvention());
    VReg vmctx;

    ToyLowering(Function f) {
      super(f);
    }

    VCode<ToyInst> run() {
      return lowerFunction();
    }

    private void add(String name, List<Operand> operands) {
      vc.add(new ToyInst(name, VCodeInst.Kind.PLAIN, operands, PRegSet.EMPTY, List.of()));
    }

    @Override
    protected void lowerEntryArgs(int entryBlock) {
      vmctx = calls.lowerEntryArgs(entryBlock);
    }

    @Override
    protected void lowerInst(int inst) {
      switch (dfg.opcode(inst)) {
        case ICONST -> { }
        case RETURN -> calls.lowerReturn(inst);
        case CALL, CALL_INDIRECT -> calls.lowerCall(inst);
        case RETURN_CALL, RETURN_CALL_INDIRECT -> calls.lowerReturnCall(inst);
        default -> {
          List<Operand> ops = new ArrayList<>();
          for (int a : dfg.args(inst)) {
            ops.add(Operand.useReg(use(a)));
          }
          for (int r : dfg.results(inst)) {
            ops.add(Operand.defReg(vreg(r)));
          }
          add(dfg.opcode(inst).text(), ops);
        }
      }
    }

    @Override
    protected void jump(int target, List<VReg> args) {
      vc.branch(new ToyInst("jump", VCodeInst.Kind.BRANCH, List.of(), PRegSet.EMPTY, List.of()),
          List.of(new VCode.Target(target, args)));
    }

    @Override
    protected void lowerParamsMark() {
      add("params", List.of());
    }

    @Override
    protected void materializeInt(VReg into, Type type, long value) {
      add("const " + value, List.of(Operand.defReg(into)));
    }

    @Override
    protected void materializeFloat(VReg into, Type type, long bits) {
      throw new UnsupportedOperationException("no float constants here");
    }

    @Override
    protected void materializeVector(VReg into, DataFlowGraph.VectorConstant value) {
      throw new UnsupportedOperationException("no vector constants here");
    }

    private final class ToyConvention implements CallLowering.Isa {
      @Override
      public CallLowering.Places places(Signature sig) {
        List<CallLowering.Place> params = new ArrayList<>();
        int stack = 0;
        for (AbiParam p : sig.params()) {
          if (p.purpose() == ParamPurpose.NORMAL) {
            params.add(params.size() < 2 ? new CallLowering.Place.InRegister(PReg.intReg(params.size() + 1))
                : new CallLowering.Place.OnStack(8 * stack++));
          }
        }
        List<CallLowering.Place> results = new ArrayList<>();
        for (int r = 0; r < sig.results().size(); r++) {
          results.add(r < 2 ? new CallLowering.Place.InRegister(PReg.intReg(r == 0 ? 0 : 3))
              : new CallLowering.Place.InReturnArea(8 * (r - 2)));
        }
        return new CallLowering.Places(params, results, roundUp(8 * stack),
            roundUp(8 * Math.max(0, sig.results().size() - 2)));
      }

      private static int roundUp(int bytes) {
        return (bytes + 15) & -16;
      }

      @Override
      public VReg copy(VReg v) {
        VReg t = vc.newVReg(v.regClass());
        add("copy", List.of(Operand.useReg(v), Operand.defReg(t)));
        return t;
      }

      @Override
      public void defineArguments(List<Operand> defs) {
        add("args", defs);
      }

      @Override
      public void loadIncomingArgument(VReg v, int incomingOffset, Type type) {
        add("load_arg@" + incomingOffset, List.of(Operand.defReg(v)));
      }

      @Override
      public void storeOutgoingArgument(VReg v, int offset, Type type) {
        add("store_arg@" + offset, List.of(Operand.useReg(v)));
      }

      @Override
      public VReg newAddressRegister() {
        return vc.newVReg(RegClass.INT);
      }

      @Override
      public void outgoingAddress(VReg t, int offset) {
        add("address@" + offset, List.of(Operand.defReg(t)));
      }

      @Override
      public void loadCallResult(VReg v, int offset, Type type) {
        add("load_result@" + offset, List.of(Operand.defReg(v)));
      }

      @Override
      public void storeResult(VReg v, VReg area, int offset, Type type) {
        add("store_result@" + offset, List.of(Operand.useReg(v), Operand.useReg(area)));
      }

      @Override
      public void ret(List<Operand> uses) {
        vc.ret(new ToyInst("ret", VCodeInst.Kind.RETURN, uses, PRegSet.EMPTY, List.of()));
      }

      @Override
      public void call(boolean indirect, List<Operand> operands, int targetOperand, long calleeKey,
          PRegSet clobbers, int landingBlock, int calleePops, int[] stackMap) {
        vc.add(new ToyInst((indirect ? "call_indirect target=" + targetOperand : "call key=" + calleeKey)
            + (stackMap == null ? "" : " stack_map=" + java.util.Arrays.toString(stackMap)),
            VCodeInst.Kind.PLAIN, operands, clobbers, List.of(), calleePops));
      }

      @Override
      public void returnCall(boolean indirect, List<Operand> operands, int targetOperand, long calleeKey,
          List<CallLowering.TailStackArgument> stackArguments, int calleeStackBytes) {
        vc.ret(new ToyInst(indirect ? "return_call_indirect target=" + targetOperand : "return_call key=" + calleeKey,
            VCodeInst.Kind.RETURN, operands, PRegSet.EMPTY, stackArguments, calleeStackBytes));
      }
    }
  }

  private static List<String> names(VCode<ToyInst> vc) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < vc.numInsts(); i++) {
      names.add(vc.inst(i).name());
    }
    return names;
  }

  private static ToyInst named(VCode<ToyInst> vc, String prefix) {
    for (int i = 0; i < vc.numInsts(); i++) {
      if (vc.inst(i).name().startsWith(prefix)) {
        return vc.inst(i);
      }
    }
    throw new AssertionError("no " + prefix + " in " + names(vc));
  }

  private static PReg fixed(Operand o) {
    if (o.constraint() instanceof OperandConstraint.FixedReg(PReg r)) {
      return r;
    }
    throw new AssertionError("not a fixed register: " + o);
  }

  private static VReg def(ToyInst inst) {
    return inst.operands().getLast().vreg();
  }

  @Test
  void entryDefinesRegisterParametersThenLoadsStackOnesAndReturnsThroughTheArea() {
    ToyLowering l = new ToyLowering(Parser.parseFunction("""
        function u0:0(i64 vmctx, i64 caller_vmctx, i64, i64, i64, i64) -> i64, i64, i64, i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64):
            return v5, v5, v4, v3
        }
        """));
    VCode<ToyInst> vc = l.run();
    assertEquals(List.of("args", "load_arg@0", "load_arg@8", "copy", "store_result@0", "store_result@8", "ret"),
        names(vc));
    List<Operand> defs = vc.inst(0).operands();
    assertEquals(List.of(7, 6, 1, 2, 5), defs.stream().map(o -> fixed(o).hwEnc()).toList(),
        "vmctx, caller vmctx, the two register parameters, then the return-area pointer");
    assertEquals(defs.get(0).vreg(), l.vmctx);
    VReg area = defs.get(4).vreg();
    assertEquals(area, named(vc, "store_result@0").operands().get(1).vreg(), "results go through the incoming pointer");
    assertEquals(def(named(vc, "load_arg@0")), named(vc, "store_result@0").operands().getFirst().vreg(),
        "v4, the first stack parameter, at offset 0");
    assertEquals(defs.get(3).vreg(), named(vc, "store_result@8").operands().getFirst().vreg(), "v3 at offset 8");
    VReg v5 = def(named(vc, "load_arg@8"));
    List<Operand> returned = named(vc, "ret").operands();
    assertEquals(List.of(0, 3), returned.stream().map(o -> fixed(o).hwEnc()).toList());
    assertEquals(v5, returned.get(0).vreg(), "v5 is the second stack parameter");
    assertEquals(v5, named(vc, "copy").operands().getFirst().vreg());
    assertEquals(def(named(vc, "copy")), returned.get(1).vreg(), "v5 returned twice: the second a copy");
  }

  @Test
  void aValueFixedToTwoRegistersIsCopiedAndStackArgumentsAndAreaResultsSurroundTheCall() {
    ToyLowering l = new ToyLowering(Parser.parseFunction("""
        function u0:0(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
            sig0 = (i64 vmctx, i64 caller_vmctx, i64, i64, i64, i64) -> i64, i64, i64, i64
            fn0 = u0:9 sig0
        block0(v0: i64, v1: i64, v2: i64):
            v3, v4, v5, v6 = call fn0(v0, v0, v2, v2, v2, v2)
            v7 = iadd.i64 v4, v5
            v8 = iadd.i64 v6, v3
            v9 = iadd.i64 v7, v8
            return v9
        }
        """));
    VCode<ToyInst> vc = l.run();
    assertEquals(List.of("args", "copy", "copy", "store_arg@0", "store_arg@8", "address@16", "call key=9",
        "load_result@16", "load_result@24", "iadd", "iadd", "iadd", "ret"), names(vc));
    VReg v2 = vc.inst(0).operands().get(2).vreg();
    assertEquals(v2, named(vc, "store_arg@0").operands().getFirst().vreg(), "stack arguments pass the value itself");
    ToyInst call = named(vc, "call");
    List<Operand> ops = call.operands();
    assertEquals(List.of(7, 6, 1, 2, 5, 0, 3), ops.stream().map(o -> fixed(o).hwEnc()).toList(),
        "vmctx pair, register arguments, return-area pointer, then the register results");
    assertNotEquals(ops.get(0).vreg(), ops.get(1).vreg(), "one vreg cannot be fixed to r7 and r6 at once");
    assertEquals(v2, ops.get(2).vreg());
    assertNotEquals(v2, ops.get(3).vreg(), "nor to r1 and r2");
    assertEquals(def(named(vc, "address@16")), ops.get(4).vreg());
    assertEquals(List.of(OperandKind.DEF, OperandKind.DEF), List.of(ops.get(5).kind(), ops.get(6).kind()));
    assertEquals(PRegSet.of(List.of(PReg.intReg(1), PReg.intReg(2), PReg.intReg(4))), call.clobbers(),
        "the results' registers are defined by the call, not clobbered");
    assertEquals(32, l.calls.outgoingBytes(), "16 bytes of stack arguments, then a 16-byte return area");
  }

  @Test
  void anIndirectCallTakesItsTargetLastAndTheOutgoingAreaFitsTheLargestCall() {
    ToyLowering l = new ToyLowering(Parser.parseFunction("""
        function u0:0(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
            sig0 = (i64 vmctx, i64 caller_vmctx, i64, i64, i64, i64, i64) -> i64
            sig1 = (i64 vmctx, i64 caller_vmctx, i64) -> i64
            fn0 = u0:4 sig0
        block0(v0: i64, v1: i64, v2: i64):
            v3 = call fn0(v0, v0, v2, v2, v2, v2, v2)
            v4 = call_indirect sig1, v3(v0, v0, v2)
            return v4
        }
        """));
    VCode<ToyInst> vc = l.run();
    ToyInst indirect = named(vc, "call_indirect");
    assertEquals("call_indirect target=3", indirect.name(), "after the vmctx pair and the register argument");
    Operand target = indirect.operands().get(3);
    assertEquals(OperandConstraint.REG, target.constraint());
    assertEquals(def(named(vc, "call key=4")), target.vreg(), "the first call's result is the target");
    assertEquals(32, l.calls.outgoingBytes(), "the first call's 24 bytes of stack arguments, not the last's none");
    // Made once, not per call: the allocator's interval walk widens the clobbered registers only for
    // a set that is another object than the last call's.
    ToyInst direct = named(vc, "call key=4");
    assertSame(direct.clobbers(), indirect.clobbers(), "both return in r0: one clobber set");
    assertSame(direct.operands().get(0).constraint(), indirect.operands().get(0).constraint(),
        "one FIXED constraint per register");
  }

  /**
   * The stack slots' place is read from the function's calls and stack_addrs, which the use count's
   * walk over every instruction collects: counted, not timed, a function of 1,000 adds, one call and
   * one stack_addr looks at those two (it walked all 1,003 instructions again before).
   */
  @Test
  void theStackSlotsPlaceLooksOnlyAtCallsAndStackAddresses() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 1_000; i++) {
      body.append("    v").append(4 + i).append(" = iadd.i64 v").append(3 + i).append(", v2\n");
    }
    ToyLowering l = new ToyLowering(Parser.parseFunction("""
        function u0:0(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
            sig0 = (i64 vmctx, i64 caller_vmctx, i64, i64, i64, i64, i64) -> i64
            fn0 = u0:4 sig0
        block0(v0: i64, v1: i64, v2: i64):
            v3 = stack_addr.i64 1
        """ + body + """
            v2000 = call fn0(v0, v0, v1003, v2, v2, v2, v2)
            return v2000
        }
        """));
    l.run();
    assertEquals(48, l.calls.outgoingBytes(), "the call's 32 bytes of stack arguments (as above), then slots 0 and 1");
    assertEquals(2, l.calls.instructionsExamined, "the call and the stack_addr");
  }

  @Test
  void aTailCallPassesStackArgumentsInItsOwnIncomingArea() {
    ToyLowering l = new ToyLowering(Parser.parseFunction("""
        function u0:0(i64 vmctx, i64 caller_vmctx, i64, i64, i64) -> i64 {
            sig0 = (i64 vmctx, i64 caller_vmctx, i64, i64, i64) -> i64
        block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64):
            return_call_indirect sig0, v4(v0, v1, v3, v2, v4)
        }
        """));
    VCode<ToyInst> vc = l.run();
    ToyInst tail = named(vc, "return_call_indirect");
    assertEquals(VCodeInst.Kind.RETURN, tail.kind());
    assertEquals(List.of(new CallLowering.TailStackArgument(4, 0, Type.I64)), tail.tailStackArguments());
    assertEquals(OperandConstraint.ANY, tail.operands().get(4).constraint(), "a stack argument may stay in its slot");
    assertEquals("return_call_indirect target=5", tail.name());
    assertTrue(names(vc).stream().noneMatch(n -> n.startsWith("store_arg")), "nothing goes to an outgoing area");
    assertEquals(0, l.calls.outgoingBytes());
  }

  @Test
  void aTailCallPassesItsOwnReturnAreaOn() {
    ToyLowering l = new ToyLowering(Parser.parseFunction("""
        function u0:0(i64 vmctx, i64 caller_vmctx, i64) -> i64, i64, i64 {
            sig0 = (i64 vmctx, i64 caller_vmctx, i64) -> i64, i64, i64
            fn0 = u0:2 sig0
        block0(v0: i64, v1: i64, v2: i64):
            return_call fn0(v0, v1, v2)
        }
        """));
    VCode<ToyInst> vc = l.run();
    VReg incomingArea = vc.inst(0).operands().getLast().vreg();
    Operand passed = named(vc, "return_call").operands().getLast();
    assertEquals(5, fixed(passed).hwEnc());
    assertEquals(incomingArea, passed.vreg(), "the caller's return area, where the callee's results are this one's");
  }

  /**
   * Red team 6, F1: a tail callee needing more stack-argument bytes than the function received
   * used to be lowered as a call and a return, one frame per iteration. It is a tail call now,
   * and the function's argument area grows to the largest tail callee's bytes.
   */
  @Test
  void aTailCallNeedingMoreStackThanArrivedGrowsTheArgumentAreaAndStaysATailCall() {
    ToyLowering l = new ToyLowering(Parser.parseFunction("""
        function u0:0(i64 vmctx, i64 caller_vmctx, i64, i64, i64) -> i64 {
            sig0 = (i64 vmctx, i64 caller_vmctx, i64, i64, i64, i64, i64, i64, i64) -> i64
            fn0 = u0:3 sig0
        block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64):
            return_call fn0(v0, v1, v2, v3, v4, v2, v3, v4, v2)
        }
        """));
    VCode<ToyInst> vc = l.run();
    assertTrue(names(vc).stream().noneMatch(n -> n.startsWith("call")), "no ordinary call: " + names(vc));
    ToyInst bigger = named(vc, "return_call key=3");
    assertEquals(VCodeInst.Kind.RETURN, bigger.kind());
    assertEquals(48, bigger.stackBytes(), "five stack arguments, rounded to the alignment");
    assertEquals(List.of(0, 8, 16, 24, 32), bigger.tailStackArguments().stream()
        .map(CallLowering.TailStackArgument::offset).toList());
    assertEquals(new dev.kiln.codegen.abi.ArgumentArea(16, 48), l.calls.argumentArea(),
        "received 16 bytes, grown to the callee's 48");
    assertEquals(0, l.calls.outgoingBytes(), "nothing goes to an outgoing area");
  }

  @Test
  void aCallTellsHowManyBytesItsCalleePops() {
    ToyLowering l = new ToyLowering(Parser.parseFunction("""
        function u0:0(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
            sig0 = (i64 vmctx, i64 caller_vmctx, i64, i64, i64) -> i64
            fn0 = u0:3 sig0
        block0(v0: i64, v1: i64, v2: i64):
            v3 = call fn0(v0, v1, v2, v2, v2)
            return v3
        }
        """));
    VCode<ToyInst> vc = l.run();
    assertEquals(16, named(vc, "call key=3").stackBytes(), "one stack argument, 16 with the alignment");
    assertEquals(dev.kiln.codegen.abi.ArgumentArea.NONE, l.calls.argumentArea());
  }

  @Test
  void aTailCallWithAReturnAreaFromAFunctionWithoutOneIsRefused() {
    ToyLowering l = new ToyLowering(Parser.parseFunction("""
        function u0:0(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
            sig0 = (i64 vmctx, i64 caller_vmctx, i64) -> i64, i64, i64
            fn0 = u0:2 sig0
        block0(v0: i64, v1: i64, v2: i64):
            return_call fn0(v0, v1, v2)
        }
        """));
    assertThrows(IllegalArgumentException.class, l::run);
  }
}
