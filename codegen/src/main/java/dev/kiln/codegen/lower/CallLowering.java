package dev.kiln.codegen.lower;

import static dev.kiln.codegen.regalloc.Operand.defFixed;
import static dev.kiln.codegen.regalloc.Operand.useFixed;
import static dev.kiln.codegen.regalloc.Operand.useReg;

import dev.kiln.codegen.abi.ArgumentArea;
import dev.kiln.codegen.abi.CallConvention;
import dev.kiln.codegen.abi.CallLayout;
import dev.kiln.codegen.abi.ValueLocation;
import dev.kiln.codegen.regalloc.MachineRegister;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.OperandConstraint;
import dev.kiln.codegen.regalloc.PReg;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.ir.AbiParam;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The ISA-neutral half of a function's calls, returns and incoming arguments: which value is
 * fixed to which register at the call or return, when a value needs a copy (one vreg cannot be
 * fixed to two registers at one instruction), which arguments and results go through memory and
 * in which order, what a call clobbers, how large the outgoing area must be, how many bytes each
 * callee pops and how large the incoming argument area must grow for the tail calls ({@link
 * ArgumentArea}). The ISA says where its convention puts each value
 * ({@link Isa#places}) and which instructions move, call and return ({@link Isa}); it decides
 * nothing else here.
 *
 * <p>One instance serves one function's lowering: {@link #lowerEntryArgs} first, then the calls
 * and returns in layout order.
 */
public final class CallLowering {

  /** Where a calling convention puts one parameter or result. */
  public sealed interface Place {
    /** In a register: an argument's or result's fixed register at the call or return. */
    record InRegister(PReg register) implements Place {}

    /** A stack argument, {@code offset} bytes above the caller's stack pointer at the call. */
    record OnStack(int offset) implements Place {}

    /** A result the callee stores at {@code offset} in the return area its caller provides. */
    record InReturnArea(int offset) implements Place {}
  }

  /**
   * One signature under the convention: a place per wasm parameter (the vmctx pair is not listed:
   * it always goes in {@link Registers}) and per result,
   * the outgoing stack-argument bytes and the return area's bytes (0 when every result is in a
   * register, and then no return-area pointer is passed).
   */
  public record Places(List<Place> params, List<Place> results, int stackArgBytes, int returnAreaBytes) {
    /** The places of an ISA's layout of one signature: registers as the allocator's. */
    public static <G extends MachineRegister, F extends MachineRegister> Places of(CallLayout<G, F> layout) {
      return new Places(places(layout.params()), places(layout.results()), layout.stackArgBytes(),
          layout.returnAreaBytes());
    }

    /** The places of {@code locations} in order: a loop, not a stream (C1 inlines no stream stage). */
    private static <G extends MachineRegister, F extends MachineRegister> List<Place> places(
        List<ValueLocation<G, F>> locations) {
      Place[] places = new Place[locations.size()];
      for (int i = 0; i < places.length; i++) {
        places[i] = place(locations.get(i));
      }
      return List.of(places);
    }

    private static <G extends MachineRegister, F extends MachineRegister> Place place(
        ValueLocation<G, F> location) {
      return switch (location) {
        case ValueLocation.InGpr<G, F>(G g) -> new Place.InRegister(g.preg());
        case ValueLocation.InFpr<G, F>(F f) -> new Place.InRegister(f.preg());
        case ValueLocation.OnStack<G, F>(int offset) -> new Place.OnStack(offset);
        case ValueLocation.InReturnArea<G, F>(int offset) -> new Place.InReturnArea(offset);
      };
    }

    boolean hasReturnArea() {
      return returnAreaBytes > 0;
    }
  }

  /**
   * The convention's fixed registers: the callee's and the caller's vmctx, the return-area pointer,
   * and every allocatable register a callee may change (a call clobbers them but for its results').
   * A call with an exceptional edge clobbers no more: the allocator keeps the values its landing pad
   * reads in spill slots across it and has the prologue save every callee-saved register ({@link
   * dev.kiln.codegen.regalloc.RegAllocFunction#landingBlock}), because the unwinder resumes the pad
   * with the frames below dropped and restores no register.
   */
  public record Registers(PReg calleeVmctx, PReg callerVmctx, PReg returnAreaPointer, PRegSet callClobbers) {
    /**
     * The fixed registers of a function's calls under {@code convention}: the vmctx pair and the
     * return-area pointer (the first three integer parameter registers), and as a call's clobbers the
     * allocatable registers a callee may change, {@code callerSavedAllocatable} and {@code
     * floatAllocatable} (all of the float registers handed out are caller-saved on both ISAs).
     */
    public static <G extends MachineRegister, F extends MachineRegister> Registers of(
        CallConvention<G, F> convention, List<G> callerSavedAllocatable, List<F> floatAllocatable) {
      List<G> ints = convention.intParams();
      PRegSet callClobbers = PRegSet.of(
          Stream.concat(callerSavedAllocatable.stream().map(MachineRegister::preg),
              floatAllocatable.stream().map(MachineRegister::preg)).toList());
      return new Registers(ints.get(0).preg(), ints.get(1).preg(), ints.get(2).preg(), callClobbers);
    }
  }

  /**
   * A stack argument of a tail call: the index of its operand (constrained to ANY, so it may still
   * be in its spill slot) and its offset in the callee's stack arguments, which the emitter places
   * in this function's argument area ({@link ArgumentArea#tailArgument}).
   */
  public record TailStackArgument(int operand, int offset, Type type) {}

  /** What the ISA chooses: its convention's places and fixed registers, and the instructions. */
  public interface Isa {
    /** Where {@code sig}'s wasm parameters and results go. */
    Places places(Signature sig);

    /** A copy of {@code v} in a fresh vreg of its class. */
    VReg copy(VReg v);

    /** The instruction at the entry that defines the register parameters ({@code defs}). */
    void defineArguments(List<Operand> defs);

    /** Loads the entry's stack parameter at {@code incomingOffset} into {@code v}. */
    void loadIncomingArgument(VReg v, int incomingOffset, Type type);

    /** Stores {@code v} to a call's outgoing stack argument at {@code offset}. */
    void storeOutgoingArgument(VReg v, int offset, Type type);

    /** A fresh vreg holding the address of the outgoing area at {@code offset} (a call's return area). */
    default VReg outgoingAddress(int offset) {
      VReg ptr = newAddressRegister();
      outgoingAddress(ptr, offset);
      return ptr;
    }

    /** A fresh INT vreg for an address. */
    VReg newAddressRegister();

    /** Defines {@code into} as the address of the outgoing area at {@code offset}. */
    void outgoingAddress(VReg into, int offset);

    /** Loads a call's result from the outgoing area at {@code offset} into {@code v}. */
    void loadCallResult(VReg v, int offset, Type type);

    /** Stores a result {@code v} at {@code offset} in the return area at {@code area}. */
    void storeResult(VReg v, VReg area, int offset, Type type);

    /** The return: {@code uses} are the results fixed to their registers. */
    void ret(List<Operand> uses);

    /**
     * The call instruction: {@code operands} fix the arguments and define the results, the target
     * address is operand {@code targetOperand} of an indirect call, {@code calleeKey} names a direct
     * call's callee; {@code landingBlock} is the VCode block an exception thrown under the call lands
     * in ({@link EmitSession#handlerSite}), or -1 when the call has no exceptional edge. The callee
     * pops {@code calleePops} bytes of stack arguments, which the instruction reserves again right
     * after the call, so that the stack pointer never moves in the body. A safepoint call has
     * {@code stackMap}, the offsets above the body's stack pointer of the slots holding GC
     * references under it besides the function's resident ones ({@link EmitSession#stackMapSite});
     * null for any other call.
     */
    void call(boolean indirect, List<Operand> operands, int targetOperand, long calleeKey, PRegSet clobbers,
        int landingBlock, int calleePops, int[] stackMap);

    /**
     * The tail call, ending the block: {@code stackArguments} are copied into this function's
     * argument area right below its top, the frame is torn down, the area below the callee's {@code
     * calleeStackBytes} released, and the callee entered by a jump.
     */
    void returnCall(boolean indirect, List<Operand> operands, int targetOperand, long calleeKey,
        List<TailStackArgument> stackArguments, int calleeStackBytes);
  }

  private final LoweringDriver<?> driver;
  private final DataFlowGraph dfg;
  private final Isa isa;
  /**
   * {@code isa::storeOutgoingArgument}, made once: a bound method reference made per call was an
   * allocation through the capture's method handles, which the launcher's lean C2 leaves on a slow
   * path (JFR over yosys: {@code DirectMethodHandle.allocateInstance} under callSequence).
   */
  private final StackArgument storeOutgoingArgument;
  private final Registers registers;
  /** Each signature's places, computed once: a function's calls mostly share a few signatures. */
  private final Map<Signature, Places> placesBySignature = new IdentityHashMap<>();
  /** The last call's result registers and clobbers ({@link #callClobbers}); null before the first. */
  private PRegSet lastResultRegs;
  private PRegSet lastCallClobbers;
  private Places own;
  private VReg returnArea;
  private int outgoingBytes;
  /** The most stack-argument bytes a tail callee of this function takes. */
  private int largestTailCall;

  public CallLowering(LoweringDriver<?> driver, Registers registers, Isa isa) {
    this.driver = driver;
    this.dfg = driver.dfg;
    this.registers = registers;
    this.isa = isa;
    this.storeOutgoingArgument = isa::storeOutgoingArgument;
  }

  /**
   * The outgoing-area bytes the function needs: its calls' stack arguments and return areas, and
   * above them its stack slots ({@link Opcode#STACK_ADDR}).
   */
  public int outgoingBytes() {
    return Math.max(outgoingBytes, stackSlots().base() + 8 * stackSlots().count());
  }

  /**
   * Where the function's stack slots lie: {@code count} 8-byte words from {@code base} above the
   * stack pointer of its body.
   */
  record StackSlots(int base, int count) {}

  private StackSlots stackSlots;
  /** The instructions {@link #stackSlots()} looked at: the function's calls and stack_addrs (for tests). */
  int instructionsExamined;

  /**
   * The stack slots' place, above the largest outgoing area any call of the function needs, so that
   * no call's stack arguments or return area overwrite a slot a collection reads under that call.
   * Computed from the calls' signatures before any call is lowered.
   */
  private StackSlots stackSlots() {
    if (stackSlots == null) {
      int base = 0;
      int count = 0;
      for (int i = 0; i < driver.frameUserCount(); i++) {
        int inst = driver.frameUser(i);
        instructionsExamined++;
        if (dfg.opcode(inst) == Opcode.STACK_ADDR) {
          count = Math.max(count, Math.toIntExact(dfg.imm(inst)) + 1);
        } else {
          Places call = places(dfg.callSignature(inst));
          base = Math.max(base, call.stackArgBytes() + call.returnAreaBytes());
        }
      }
      stackSlots = new StackSlots((base + 7) & -8, count);
    }
    return stackSlots;
  }

  /** {@code stack_addr n}: the address of slot {@code n} in the outgoing area. */
  public void lowerStackAddress(int inst) {
    isa.outgoingAddress(driver.vreg(dfg.firstResult(inst)), stackAddressOffset(inst));
  }

  /** The offset above the body's stack pointer of the slot {@code stack_addr} {@code inst} addresses. */
  public int stackAddressOffset(int inst) {
    return stackSlotOffset(Math.toIntExact(dfg.imm(inst)));
  }

  private int stackSlotOffset(int slot) {
    return stackSlots().base() + 8 * slot;
  }

  /**
   * The offsets above the body's stack pointer of the function's resident slots ({@code
   * DataFlowGraph.residentSlots}), which every stack map of the function names besides its own:
   * converted once for the function, not per safepoint.
   */
  public int[] residentSlotOffsets() {
    int[] slots = dfg.residentSlots();
    return slotOffsets(slots, "the function's resident slots");
  }

  /** Each of {@code slots}' offset above the body's stack pointer; {@code what} names them in an error. */
  private int[] slotOffsets(int[] slots, String what) {
    int[] offsets = new int[slots.length];
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] >= stackSlots().count()) {
        throw new IllegalArgumentException(what + " name slot " + slots[i] + ", the function has "
            + stackSlots().count());
      }
      offsets[i] = stackSlotOffset(slots[i]);
    }
    return offsets;
  }

  /**
   * The function's incoming argument area: what its callers pass, grown to the largest tail
   * callee's stack arguments. Known once every call is lowered.
   */
  public ArgumentArea argumentArea() {
    return ArgumentArea.of(own.stackArgBytes(), largestTailCall);
  }

  /**
   * Defines the entry block's parameters where the convention delivers them (the stack ones loaded
   * after the register ones are defined) and returns the vreg of the function's own vmctx.
   */
  public VReg lowerEntryArgs(int entry) {
    Signature sig = driver.func.signature();
    own = places(sig);
    List<Operand> defs = new ArrayList<>();
    List<Runnable> stackLoads = new ArrayList<>();
    VReg vmctx = null;
    int wasmIndex = 0;
    for (int i = 0; i < sig.params().size(); i++) {
      AbiParam p = sig.params().get(i);
      VReg v = driver.vreg(dfg.blockParam(entry, i));
      switch (p.purpose()) {
        case VMCTX -> {
          vmctx = v;
          defs.add(defFixed(v, registers.calleeVmctx()));
        }
        case CALLER_VMCTX -> defs.add(defFixed(v, registers.callerVmctx()));
        case NORMAL -> {
          switch (own.params().get(wasmIndex++)) {
            case Place.InRegister(PReg r) -> defs.add(defFixed(v, r));
            case Place.OnStack(int off) -> stackLoads.add(() -> isa.loadIncomingArgument(v, off, p.type()));
            case Place.InReturnArea a -> throw new IllegalArgumentException("parameter location not supported: " + p);
          }
        }
        case STACK_LIMIT -> throw new IllegalArgumentException("stack_limit parameters are not "
            + "used by Kiln's convention: the prologue reads the limit through the vmctx");
      }
    }
    if (vmctx == null) {
      throw new IllegalArgumentException(driver.func.name().text() + " has no vmctx parameter");
    }
    if (own.hasReturnArea()) {
      returnArea = driver.vc.newVReg(RegClass.INT);
      defs.add(defFixed(returnArea, registers.returnAreaPointer()));
    }
    isa.defineArguments(defs);
    stackLoads.forEach(Runnable::run);
    return vmctx;
  }

  /** {@code return}: the values in this function's result places. */
  public void lowerReturn(int inst) {
    List<VReg> values = new ArrayList<>();
    List<Type> types = new ArrayList<>();
    for (int a : dfg.args(inst)) {
      types.add(driver.type(a));
      values.add(driver.use(a));
    }
    returnValues(values, types);
  }

  /** {@code call} and {@code call_indirect}. */
  public void lowerCall(int inst) {
    callSequence(inst, dfg.opcode(inst) == Opcode.CALL_INDIRECT, driver.resultRegs(inst));
  }

  /**
   * {@code return_call}, {@code return_call_indirect} and {@code return_call_ref} (tail-call
   * proposal: a tail call leaves no frame, whatever its arguments): the callee replaces this frame.
   * Its stack arguments are written at the top of this function's argument area ({@link
   * ArgumentArea}), over this function's own (loaded into vregs at entry, so nothing reads them any
   * more); the area grows in the prologue when the callee needs more than this function received,
   * and the callee pops what it takes (callee-pops). A return area is passed on unchanged (the
   * callee's results are this function's, so their places are the same), and the ISA tears the
   * frame down and jumps.
   */
  public void lowerReturnCall(int inst) {
    boolean indirect = dfg.opcode(inst) == Opcode.RETURN_CALL_INDIRECT;
    Signature sig = dfg.callSignature(inst);
    Places call = places(sig);
    largestTailCall = Math.max(largestTailCall, call.stackArgBytes());
    List<Operand> ops = new ArrayList<>();
    List<TailStackArgument> stackArgs = new ArrayList<>();
    argumentOperands(inst, indirect, sig, call, ops, (v, off, t) -> {
      stackArgs.add(new TailStackArgument(ops.size(), off, t));
      ops.add(Operand.use(v, OperandConstraint.ANY));
    });
    if (call.hasReturnArea()) {
      if (returnArea == null) {
        // Validation gives a tail callee this function's result types (tail-call proposal), so its places.
        throw new IllegalArgumentException("tail call with a return area from a function without one");
      }
      ops.add(useFixed(returnArea, registers.returnAreaPointer()));
    }
    int target = targetOperand(inst, indirect, ops, false);
    isa.returnCall(indirect, ops, target, indirect ? 0 : driver.calleeKey(inst), stackArgs,
        call.stackArgBytes());
  }

  /** Ends the block returning {@code values}: registers fixed at the return, the rest stored. */
  private void returnValues(List<VReg> values, List<Type> types) {
    List<Operand> ops = new ArrayList<>();
    VReg[] fixedSoFar = new VReg[values.size()];
    int fixedCount = 0;
    for (int i = 0; i < values.size(); i++) {
      VReg v = values.get(i);
      switch (own.results().get(i)) {
        case Place.InRegister(PReg r) -> {
          VReg d = distinct(v, fixedSoFar, fixedCount);
          fixedSoFar[fixedCount++] = d;
          ops.add(useFixed(d, r));
        }
        case Place.InReturnArea(int off) -> isa.storeResult(v, returnArea, off, types.get(i));
        case Place.OnStack s -> throw new IllegalArgumentException("result location not supported");
      }
    }
    isa.ret(ops);
  }

  /** A call of {@code inst}'s callee whose results are defined into {@code results}. */
  private void callSequence(int inst, boolean indirect, List<VReg> results) {
    Signature sig = dfg.callSignature(inst);
    Places call = places(sig);
    List<Operand> ops = new ArrayList<>();
    argumentOperands(inst, indirect, sig, call, ops, storeOutgoingArgument);
    int areaOffset = call.stackArgBytes();
    if (call.hasReturnArea()) {
      ops.add(useFixed(isa.outgoingAddress(areaOffset), registers.returnAreaPointer()));
    }
    outgoingBytes = Math.max(outgoingBytes, call.stackArgBytes() + call.returnAreaBytes());
    int landing = driver.landingBlock(inst);
    int target = targetOperand(inst, indirect, ops, landing >= 0);
    // The result registers as a set, and the results the return area holds loaded after the call by
    // a second pass over the results: most calls return in a register or nothing, and two lists made
    // per call for them were 0.7% of yosys's sampled allocation.
    PRegSet resultRegs = PRegSet.EMPTY;
    for (int r = 0; r < results.size(); r++) {
      switch (call.results().get(r)) {
        case Place.InRegister(PReg reg) -> {
          resultRegs = resultRegs.with(reg);
          ops.add(defFixed(results.get(r), reg));
        }
        case Place.InReturnArea a -> { } // loaded after the call, below
        case Place.OnStack s -> throw new IllegalArgumentException("result location not supported");
      }
    }
    PRegSet clobbers = callClobbers(resultRegs);
    int[] slots = dfg.stackMap(inst);
    int[] stackMap = slots == null ? null : slotOffsets(slots, "inst" + inst + "'s stack map");
    isa.call(indirect, ops, target, indirect ? 0 : driver.calleeKey(inst), clobbers, landing,
        call.stackArgBytes(), stackMap);
    for (int r = 0; r < results.size(); r++) {
      if (call.results().get(r) instanceof Place.InReturnArea(int off)) {
        isa.loadCallResult(results.get(r), areaOffset + off, sig.results().get(r).type());
      }
    }
  }

  /**
   * What a call whose results are in {@code resultRegs} clobbers: the set the call before got when
   * its results were in the same registers (most of a function's calls return in one register or
   * none). A set made per call was 0.2% of yosys's sampled allocation, and the allocator's interval
   * walk widens the function's clobbered registers only for an instruction whose set is another
   * object than the one before's, which then made a union per call too.
   */
  private PRegSet callClobbers(PRegSet resultRegs) {
    if (!resultRegs.equals(lastResultRegs)) {
      lastResultRegs = resultRegs;
      lastCallClobbers = registers.callClobbers().minus(resultRegs);
    }
    return lastCallClobbers;
  }

  /** What a call does with an argument the convention passes on the stack, at {@code offset}. */
  @FunctionalInterface
  private interface StackArgument {
    void place(VReg value, int offset, Type type);
  }

  /**
   * Appends to {@code ops} a fixed-register use for every register argument of call {@code inst}
   * (the vmctx pair and the convention's register parameters) and hands stack arguments to
   * {@code onStack}, in parameter order.
   */
  private void argumentOperands(int inst, boolean indirect, Signature sig, Places call,
      List<Operand> ops, StackArgument onStack) {
    int[] all = dfg.args(inst);
    int first = indirect ? 1 : 0;
    VReg[] fixedSoFar = new VReg[sig.params().size()];
    int fixedCount = 0;
    int wasmIndex = 0;
    for (int i = 0; i < sig.params().size(); i++) {
      AbiParam p = sig.params().get(i);
      VReg v = driver.use(all[first + i]);
      PReg reg = switch (p.purpose()) {
        case VMCTX -> registers.calleeVmctx();
        case CALLER_VMCTX -> registers.callerVmctx();
        case NORMAL -> switch (call.params().get(wasmIndex++)) {
          case Place.InRegister(PReg r) -> r;
          case Place.OnStack(int off) -> {
            onStack.place(v, off, p.type());
            yield null;
          }
          case Place.InReturnArea a -> throw new IllegalArgumentException("argument location not supported: " + p);
        };
        case STACK_LIMIT -> throw new IllegalArgumentException("stack_limit argument");
      };
      if (reg != null) {
        VReg d = distinct(v, fixedSoFar, fixedCount);
        fixedSoFar[fixedCount++] = d;
        ops.add(useFixed(d, reg));
      }
    }
  }

  private Places places(Signature sig) {
    // get, then put: computeIfAbsent's isa::places would be an allocation per call, whose capture
    // the launcher's lean C2 does not inline (JFR, yosys: a slow-path Unsafe.allocateInstance each).
    Places places = placesBySignature.get(sig);
    if (places == null) {
      places = isa.places(sig);
      placesBySignature.put(sig, places);
    }
    return places;
  }

  /**
   * An indirect call's target address as the next operand (its index), or -1 for a direct call.
   *
   * <p>A value live into the landing pad of a call with an exceptional edge ({@code unwinds}) is in
   * no register from the call's LATE point on ({@link Registers}), while the target is a register use
   * at its EARLY point: an address the pad's code reads again (a loop-invariant import or table entry
   * hoisted out of a loop around a {@code try_table}, two calls of one import under one handler)
   * would need a register the allocator cannot give it. Such a call reads a copy made just before it,
   * which dies at the call; the address itself lives on in its spill slot, and when it dies at the
   * call anyway the copy takes its register and emits nothing.
   */
  private int targetOperand(int inst, boolean indirect, List<Operand> ops, boolean unwinds) {
    if (!indirect) {
      return -1;
    }
    VReg address = driver.use(dfg.args(inst)[0]);
    ops.add(useReg(unwinds ? isa.copy(address) : address));
    return ops.size() - 1;
  }

  /**
   * {@code v}, or a copy of it when one of the first {@code count} of {@code fixedSoFar} (the values an
   * earlier operand fixes to a register) is {@code v}. A loop over an array with a call of
   * {@code VReg.equals} C2 inlines, where {@code ArrayList.contains} called {@code equals} from the
   * JDK's shared, megamorphic {@code indexOf}, which inlines none (JFR, yosys: 16 samples in it), on a
   * list that was one allocation more per call.
   */
  private VReg distinct(VReg v, VReg[] fixedSoFar, int count) {
    for (int i = 0; i < count; i++) {
      if (fixedSoFar[i].equals(v)) {
        return isa.copy(v);
      }
    }
    return v;
  }
}
