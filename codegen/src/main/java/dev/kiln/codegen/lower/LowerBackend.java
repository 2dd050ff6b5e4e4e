package dev.kiln.codegen.lower;

import dev.kiln.codegen.regalloc.Allocation;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.vcode.VCodeInst;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.FloatCC;
import dev.kiln.ir.Function;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The base of every ISA's lowering (Cranelift's {@code LowerBackend}): what each ISA would otherwise
 * decide again in its own copy. Which IR instructions need no code of their own (a constant,
 * rematerialized at each use; a value every use of which takes it in), which hook lowers control
 * flow, traps, memory accesses and calls, and which of the ISA's four operator families ({@link
 * OpcodeFamilies}) lowers an operator and builds a constant. An ISA supplies the hooks and the
 * families, so it only chooses instructions (a compare computed into a register: {@link
 * #lowerConditionValue}); it adds the folds only its instructions can make ({@link #needsNoCode})
 * and routes its selects by type ({@link #lowerOperator}).
 *
 *
 * <p>Every ISA lowers to {@link MInst}s, each carrying its own encoding; the instructions of
 * plain operations, calls and returns are built here ({@link #add}, {@link IsaCalls}) so that an ISA
 * names only the machine instructions.
 *
 * @param <C> the ISA's emit context, which the instructions' encodings receive
 * @param <K> the ISA's condition codes, which its flag-setting instructions set ({@link Flags})
 */
public abstract class LowerBackend<C extends EmitSession, K extends Flags.Code<K>>
    extends LoweringDriver<MInst<C>> {

  /** An ISA's lowering of one family of operators. */
  public interface OperatorFamily {
    /** Lowers {@code inst}, an operator of this family, at the current position. */
    void lower(int inst);
  }

  /** An operator family whose constants are scalars: the integers, and the floats by their bits. */
  public interface ScalarFamily extends OperatorFamily {
    /** Puts the constant {@code bits} of type {@code type} into {@code into}. */
    void materialize(VReg into, Type type, long bits);
  }

  /** The v128 family, which also builds v128 constants. */
  public interface VectorFamily extends OperatorFamily {
    /** Puts the v128 constant {@code value} into {@code into}. */
    void materialize(VReg into, DataFlowGraph.VectorConstant value);
  }

  /**
   * The integer family, which also sets the flags of an integer compare and of an and tested
   * without computing it ({@link Condition.IntCompare}, {@link Condition.AndTest}).
   */
  public interface IntFamily<C, K extends Flags.Code<K>> extends ScalarFamily {
    /** The flags of {@code icmp cc x, y}. */
    Flags<C, K> compareFlags(IntCC cc, int x, int y);

    /** The flags of the operands of {@code band} instruction {@code band} tested together, true when non-zero. */
    Flags<C, K> andTestFlags(int band);
  }

  /** The scalar float family, which also sets the flags of a fused float compare. */
  public interface FloatFamily<C, K extends Flags.Code<K>> extends ScalarFamily {
    /** The flags of {@code fcmp cc x, y}, for a {@code cc} the ISA fuses ({@link #fusesFloatCompare}). */
    Flags<C, K> compareFlags(FloatCC cc, int x, int y);
  }

  /** The v128 family, which also sets the flags of a {@code vany_true} or {@code vall_true}. */
  public interface VectorTestFamily<C, K extends Flags.Code<K>> extends VectorFamily {
    /** The flags of the vector test {@code inst}, true when it is. */
    Flags<C, K> testFlags(int inst);
  }

  /** An ISA's four operator families. */
  public record Families<C, K extends Flags.Code<K>>(IntFamily<C, K> ints, FloatFamily<C, K> floats,
      VectorTestFamily<C, K> vectors, OperatorFamily vectorFloats) {}

  /**
   * What sets the flags that a consumer of a condition value (a {@code brif}, {@code select},
   * {@code trapz} or {@code trapnz}) branches on: the compare or test that defines the value, fused
   * into the consumer, or else the value itself tested against zero. The ISA chooses the
   * instructions of each.
   */
  public sealed interface Condition {
    /** {@code icmp cc x, y}. */
    record IntCompare(IntCC cc, int x, int y) implements Condition {}

    /** {@code fcmp cc x, y}, where the ISA fuses the condition ({@link #fusesFloatCompare}). */
    record FloatCompare(FloatCC cc, int x, int y) implements Condition {}

    /** The {@code vany_true} or {@code vall_true} {@code inst}. */
    record VectorTest(int inst) implements Condition {}

    /**
     * The operands of the {@code band} instruction {@code band} tested together ({@link #andFoldsIntoTest}):
     * true when the and is non-zero, or with {@code zero} (under an {@code eqz}) when it is zero.
     */
    record AndTest(int band, boolean zero) implements Condition {}

    /** The value {@code value}: true when it is non-zero, or with {@code zero} when it is zero. */
    record ValueTest(int value, boolean zero) implements Condition {}
  }

  /** The function's vmctx, once the entry block's arguments are lowered. */
  private VReg vmctx;
  private Families<C, K> families;
  private CallLowering calls;
  private final Class<C> context;

  /** The lowering of {@code func} for the ISA whose emit context is {@code context}. */
  protected LowerBackend(Function func, Class<C> context) {
    super(func);
    this.context = context;
  }

  // ------------------------------------------------------------------ what the ISA supplies

  /** The ISA's operator families. */
  protected final Families<C, K> families() {
    return families;
  }

  /** The ISA's call lowering: calls, returns and the entry's arguments. */
  protected final CallLowering calls() {
    return calls;
  }

  /**
   * Sets the ISA's operator families and its instructions of calls, whose fixed registers are
   * {@code registers}; the ISA's constructor calls it once, before anything is lowered.
   */
  protected final void install(Families<C, K> families, CallLowering.Registers registers, IsaCalls isaCalls) {
    this.families = families;
    this.calls = new CallLowering(this, registers, isaCalls);
  }

  /** Lowers the function ({@link #lowerFunction}), with what its calls need of its frame. */
  protected final Lowered<C> lowered() {
    VCode<MInst<C>> code = lowerFunction();
    return new Lowered<>(context, code, calls.outgoingBytes(), calls.argumentArea(), calls.residentSlotOffsets(),
        dfg.inlineSites());
  }

  /** Lowers a {@code brif}: a conditional branch to its two edges. */
  protected abstract void lowerBrif(int inst);

  /**
   * {@code unwind_edge}: a branch with the call's normal destination and its landing pad as VCode
   * successors (so liveness and edge moves cover the pad), whose code is only the jump to the normal
   * destination when that is not the next block; the pad is reached by the unwinder alone.
   */
  protected final void lowerUnwindEdge(int inst) {
    VCode.Target normal = edge(inst, 0);
    int target = normal.block();
    vc.branch(inst("unwind_edge", List.of(), PRegSet.EMPTY, VCodeInst.Kind.BRANCH,
        (c, a) -> c.jumpToBlock(target)), List.of(normal, edge(inst, 1)));
  }

  /** An unconditional branch to {@code target} with {@code args}: the ISA's jump unless it falls through. */
  @Override
  protected final void jump(int target, List<VReg> args) {
    vc.branch(inst("jump", List.of(), PRegSet.EMPTY, VCodeInst.Kind.BRANCH, jumpEmitter(target)),
        List.of(new VCode.Target(target, args)));
  }

  /** The emitters of jumps, by target block: made on the first jump to a block, not a capture per jump. */
  private MInst.Emitter<?>[] jumpEmitters = new MInst.Emitter<?>[0];

  @SuppressWarnings("unchecked")
  private MInst.Emitter<C> jumpEmitter(int target) {
    if (target >= jumpEmitters.length) {
      jumpEmitters = java.util.Arrays.copyOf(jumpEmitters, Math.max(target + 1, 2 * jumpEmitters.length));
    }
    MInst.Emitter<?> e = jumpEmitters[target];
    if (e == null) {
      MInst.Emitter<C> made = new JumpEmitter<>(target);
      jumpEmitters[target] = made;
      return made;
    }
    return (MInst.Emitter<C>) e;
  }

  /**
   * A jump's emitter: a class of its own, not a capturing lambda, whose instances the launcher's lean
   * C2 made on a slow path (JFR over yosys: {@code DirectMethodHandle.allocateInstance} under
   * jumpEmitter).
   */
  private record JumpEmitter<C extends EmitSession>(int target) implements MInst.Emitter<C> {
    @Override
    public void emit(C c, List<Allocation> a) {
      c.jumpToBlock(target);
    }
  }

  /**
   * Lowers a {@code br_table}: a jump when every case goes one way (a one-successor terminator reads
   * no operands), else the ISA's dispatch ({@link #lowerBranchTable}).
   */
  protected final void lowerBrTable(int inst) {
    TableEdges edges = tableEdges(inst);
    if (edges.edges().size() == 1) {
      VCode.Target only = edges.edges().getFirst();
      jump(only.block(), only.args());
      return;
    }
    lowerBranchTable(inst, edges);
  }

  /**
   * Lowers a {@code br_table} of two or more distinct edges, whose shape {@link
   * TableEdges#dispatch()} decides ({@link BranchTable}: a compare chain or a jump table).
   */
  protected abstract void lowerBranchTable(int inst, TableEdges edges);

  /** Lowers a {@code trap}: raise its code here. */
  protected abstract void lowerTrap(int inst);

  /** Lowers a {@code trapz} or {@code trapnz}: a branch to an out-of-line trap block. */
  protected abstract void lowerCondTrap(int inst);

  /**
   * Lowers a {@code bounds_check}: one instruction reading the index (operand 0), the bound (1) and
   * the vmctx (2, for the trap block), encoded by the ISA ({@link #boundsCheckEmitter}).
   */
  protected final void lowerBoundsCheck(int inst) {
    int indexValue = resolved(dfg.arg(inst, 0));
    VReg index = use(indexValue);
    VReg bound = use(dfg.arg(inst, 1));
    BoundsCheck check = new BoundsCheck(dfg.imm(inst), dfg.trapCode(inst), isBelow2To32(indexValue));
    add("bounds_check", List.of(Operand.useReg(index), Operand.useReg(bound), Operand.useReg(vmctx())),
        boundsCheckEmitter(check));
  }

  /**
   * What a {@code bounds_check} tests, {@code index + end <= bound} or trap with {@code code},
   * without overflow.
   *
   * @param indexBelow2To32 the index is below 2^32 (a zero-extended i32, every 32-bit memory's
   *     address, wasm spec 4.4.7, or such a constant), so {@code index + end} stays below 2^33 for
   *     any {@code end} below 2^32 and cannot carry
   */
  protected record BoundsCheck(long end, TrapCode code, boolean indexBelow2To32) {}

  /** The ISA's instructions of {@code check}, its operands as {@link #lowerBoundsCheck} orders them. */
  protected abstract MInst.Emitter<C> boundsCheckEmitter(BoundsCheck check);

  /**
   * The instruction of load {@code op} (its width and extension; {@code load} is the full width of
   * {@code type}) into a register of {@code type}'s class: the address's registers are the
   * operands from 0, the loaded value is operand {@code resultOperand}.
   */
  protected abstract MInst.Emitter<C> loadEmitter(Opcode op, Type type, Address address, int resultOperand);

  /**
   * The instruction of store {@code op} (its width; {@code store} is the full width of {@code type})
   * of the value in operand 0 to {@code address}, whose registers are the operands from 1.
   */
  protected abstract MInst.Emitter<C> storeEmitter(Opcode op, Type type, Address address);

  /**
   * The instruction of store {@code op} of the integer constant {@code value} of type {@code type}
   * without a register of its own (an immediate, a zero register), the address's registers being
   * the operands from 0; or null when the ISA's stores cannot take that constant.
   */
  protected abstract MInst.Emitter<C> constantStoreEmitter(Opcode op, Type type, long value, Address address);

  /**
   * Lowers a compare or vector test ({@code icmp}, {@code eqz}, {@code fcmp}, {@code vany_true},
   * {@code vall_true}) whose value is needed in a register, not only as a condition: typically a
   * set-on-condition of its {@link #condition}'s flags.
   */
  protected abstract void lowerConditionValue(int inst);

  /** A copy of {@code v} in a fresh vreg of its class (so one value can go to two fixed registers). */
  protected abstract VReg copy(VReg v);

  // ------------------------------------------------------------------ the instructions

  /**
   * The instruction {@code name} of the IR instruction being lowered (its wasm offset and inline
   * site), reading and writing {@code operands} and encoded by {@code emitter}.
   */
  protected final MInst<C> inst(String name, List<Operand> operands, PRegSet clobbers,
      VCodeInst.Kind kind, MInst.Emitter<C> emitter) {
    return new MInst<>(name, operands, clobbers, kind, sourceLoc, inlineSite, emitter);
  }

  /** Appends a plain instruction (no clobbers, not a terminator) at the current position. */
  public final void add(String name, List<Operand> operands, MInst.Emitter<C> emitter) {
    vc.add(inst(name, operands, PRegSet.EMPTY, VCodeInst.Kind.PLAIN, emitter));
  }

  /** The register of {@code inst}'s (first) result. */
  public final VReg result(int inst) {
    return vreg(dfg.firstResult(inst));
  }

  /**
   * Appends {@code inst} as one instruction that reads its operand 0 from a register (operand 0)
   * and writes its result to another (operand 1), encoded by {@code emitter}.
   */
  public final void unary(int inst, MInst.Emitter<C> emitter) {
    VReg x = use(dfg.arg(inst, 0));
    VReg d = result(inst);
    add(dfg.opcode(inst).text(), List.of(Operand.useReg(x), Operand.defReg(d)), emitter);
  }

  /**
   * The operands of {@code select} {@code inst} on a condition whose flags read {@code flagInputs}:
   * those registers, then the value if true (at {@code flagInputs.size()}) and the value if false
   * (one after), then the result, as {@code resultDef} constrains it given the first value's index
   * (a two-address ISA writes it over the value if false).
   */
  public final List<Operand> selectOperands(int inst, List<VReg> flagInputs,
      BiFunction<VReg, Integer, Operand> resultDef) {
    VReg x = use(dfg.arg(inst, 1));
    VReg y = use(dfg.arg(inst, 2));
    VReg d = result(inst);
    List<Operand> operands = new ArrayList<>(flagInputs.size() + 3);
    for (int i = 0; i < flagInputs.size(); i++) {
      operands.add(Operand.useReg(flagInputs.get(i)));
    }
    int at = operands.size();
    operands.add(Operand.useReg(x));
    operands.add(Operand.useReg(y));
    operands.add(resultDef.apply(d, at));
    return operands;
  }

  /**
   * An instruction that consumes flags: {@code f}'s flag-setting instruction (its inputs the operands
   * from 0), then {@code consumer}'s instruction on condition {@code cc} with {@code last}, the
   * operand after the inputs (a result to set, the vmctx of a trap block), at index {@code at}. One
   * MInst, so no allocator move can separate the flags from their consumer.
   */
  public final void consumeFlags(String name, Flags<C, K> f, K cc, Operand last, FlagsConsumer<C, K> consumer) {
    int at = f.inputs().size();
    add(name, f.inputUses(last), (c, a) -> {
      f.setter().emit(c, a, 0);
      consumer.emit(c, a, at, cc);
    });
  }

  /**
   * The flags of an instruction that compares or tests {@code x} with {@code y}, true for {@code cc}:
   * the form with {@code y} as an immediate, reading only x, when {@code immediate} holds the ISA's
   * encoding of y's constant; else the form reading both registers (allocations {@code at} and
   * {@code at + 1}).
   */
  public final <T> Flags<C, K> operandFlags(int x, int y, Optional<T> immediate,
      ImmediateSetter<C, T> withImmediate, Flags.Setter<C> withRegisters, K cc) {
    if (immediate.isPresent()) {
      return new Flags<>(List.of(use(x)), new ImmediateFlagsSetter<>(withImmediate, immediate.get()), cc);
    }
    return new Flags<>(List.of(use(x), use(y)), withRegisters, cc);
  }

  /** {@code setter} with immediate {@code imm}: a class of its own, as {@link JumpEmitter}. */
  private record ImmediateFlagsSetter<C, T>(ImmediateSetter<C, T> setter, T imm) implements Flags.Setter<C> {
    @Override
    public void emit(C c, List<Allocation> a, int at) {
      setter.emit(c, a, at, imm);
    }
  }

  /** Emits a flag-setting instruction with an immediate {@code imm}, its register input at allocation {@code at}. */
  @FunctionalInterface
  public interface ImmediateSetter<C, T> {
    void emit(C c, List<Allocation> a, int at, T imm);
  }

  /** What consumes flags on condition {@code cc}, its last operand at allocation {@code at}. */
  @FunctionalInterface
  public interface FlagsConsumer<C, K> {
    void emit(C c, List<Allocation> a, int at, K cc);
  }

  /** An empty instruction that marks where the entry block's parameters become defined. */
  @Override
  protected final void lowerParamsMark() {
    add("params", List.of(), (c, a) -> { });
  }

  /**
   * An ISA's steps of a tail call, which the tail call's emitter takes in order at emission ({@link
   * IsaCalls#returnCall}). Stateless, one instance an ISA, so that the emitter holds nothing of the
   * lowering, whose function's IR is let go before emission ({@link Lowered}).
   *
   * @param <C> the ISA's emit context
   */
  public interface TailCallSteps<C> {
    /**
     * Stores the tail call's stack argument {@code s} (a register or a spill slot, operand {@code
     * s.operand()}) at its place for a callee of {@code calleeStackBytes} of stack arguments.
     */
    void storeTailArgument(C c, List<Allocation> a, CallLowering.TailStackArgument s, int calleeStackBytes);

    /**
     * Moves the indirect tail call's target (operand {@code targetOperand}) to the ISA's scratch
     * register, which survives the teardown that restores the callee-saved registers it may be in.
     */
    void keepTailCallTarget(C c, List<Allocation> a, int targetOperand);

    /** The jump to the target {@link #keepTailCallTarget} kept. */
    void jumpToTailCallTarget(C c);

    /** The jump to the function {@code calleeKey} names (PC-relative, resolved by the linker). */
    void jumpToFunction(C c, long calleeKey);
  }

  /**
   * The instructions of calls and returns that are the same on every ISA: the convention's places,
   * the definition of the register arguments at the entry, the return through the epilogue, and the
   * call and tail-call instructions around the ISA's encodings of them ({@link #callEmitter}; a tail
   * call's steps in order, {@link TailCallSteps}). The ISA's subclass moves values to and from memory.
   */
  protected abstract class IsaCalls implements CallLowering.Isa {
    private final SignaturePlaces convention;
    private final TailCallSteps<C> tailCallSteps;

    /**
     * The calls of {@code convention}, the places of the compile this function is part of, with the
     * ISA's {@code tailCallSteps}.
     */
    protected IsaCalls(SignaturePlaces convention, TailCallSteps<C> tailCallSteps) {
      this.convention = convention;
      this.tailCallSteps = tailCallSteps;
    }

    @Override
    public final CallLowering.Places places(Signature sig) {
      return convention.places(sig);
    }

    @Override
    public final VReg copy(VReg v) {
      return LowerBackend.this.copy(v);
    }

    @Override
    public final void defineArguments(List<Operand> defs) {
      add("args", defs, (c, a) -> { });
    }

    @Override
    public final void ret(List<Operand> uses) {
      vc.ret(inst("ret", uses, PRegSet.EMPTY, VCodeInst.Kind.RETURN, (c, a) -> c.epilogue()));
    }

    @Override
    public final void call(boolean indirect, List<Operand> operands, int targetOperand, long calleeKey,
        PRegSet clobbers, int landingBlock, int calleePops, int[] stackMap) {
      MInst.Emitter<C> call = callEmitter(indirect, targetOperand, calleeKey);
      // The handler site is the call's return address, before the stack arguments' area is reserved
      // again: a landing pad does not run that instruction and starts with the stack pointer the
      // unwinder puts back, frame pointer minus this frame's size below it (callee-pops).
      // The stack map's site is the return address too: the frame walk finds it there.
      MInst.Emitter<C> emitter = (landingBlock < 0 && calleePops == 0 && stackMap == null) ? call : (c, a) -> {
        call.emit(c, a);
        if (stackMap != null) {
          c.stackMapSite(stackMap);
        }
        if (landingBlock >= 0) {
          c.handlerSite(landingBlock);
        }
        if (calleePops != 0) {
          c.reserveAgain(calleePops);
        }
      };
      int index = vc.add(inst(indirect ? "call_indirect" : "call", operands, clobbers, VCodeInst.Kind.PLAIN,
          emitter));
      if (landingBlock >= 0) {
        vc.markLanding(index, landingBlock);
      }
    }

    @Override
    public final void returnCall(boolean indirect, List<Operand> operands, int targetOperand,
        long calleeKey, List<CallLowering.TailStackArgument> stackArguments, int calleeStackBytes) {
      vc.ret(inst(indirect ? "return_call_indirect" : "return_call", operands, PRegSet.EMPTY,
          VCodeInst.Kind.RETURN,
          returnCallEmitter(indirect, targetOperand, calleeKey, stackArguments, calleeStackBytes)));
    }

    /**
     * The call itself: through the register of operand {@code targetOperand} when {@code indirect},
     * else to the function {@code calleeKey} names (a PC-relative call the linker resolves).
     */
    protected abstract MInst.Emitter<C> callEmitter(boolean indirect, int targetOperand, long calleeKey);

    /**
     * The tail call: {@code stackArguments} into this function's argument area at the places the
     * frame gives a callee of {@code calleeStackBytes} ({@code ArgumentArea.tailArgument}), each at an
     * island point; an indirect target kept where the teardown leaves it; the frame torn down
     * ({@link EmitSession#tearDownFrame}), and a jump to the callee named as in {@link #callEmitter}.
     * The emitter holds the ISA's steps, not this lowering (an inner class's instance, which holds the
     * function's IR).
     */
    private MInst.Emitter<C> returnCallEmitter(boolean indirect, int targetOperand,
        long calleeKey, List<CallLowering.TailStackArgument> stackArguments, int calleeStackBytes) {
      TailCallSteps<C> steps = tailCallSteps;
      return (c, a) -> {
        for (CallLowering.TailStackArgument s : stackArguments) {
          c.islandPoint();
          steps.storeTailArgument(c, a, s, calleeStackBytes);
        }
        if (indirect) {
          steps.keepTailCallTarget(c, a, targetOperand);
        }
        c.tearDownFrame(calleeStackBytes);
        if (indirect) {
          steps.jumpToTailCallTarget(c);
        } else {
          steps.jumpToFunction(c, calleeKey);
        }
      };
    }
  }

  // ------------------------------------------------------------------ memory

  /**
   * The address of a load or store: one register (the base) or two (base and index, from an
   * {@code iadd} that only addresses memory, {@link #isAddressOnly}), or none, the body's stack
   * pointer being the base (a stack slot's address that only addresses memory, {@link
   * #isStackAddressOnly}); and a byte offset that fits 32 signed bits. The ISA chooses the
   * addressing mode.
   */
  public record Address(List<VReg> registers, int offset) {
    /** Whether the address is base plus index (two registers) rather than a base alone. */
    public boolean indexed() {
      return registers.size() == 2;
    }

    /** Whether the base is the body's stack pointer (no register): a stack slot, {@code offset} above it. */
    public boolean fromStackPointer() {
      return registers.isEmpty();
    }
  }

  /**
   * The address {@code v + offset}: an address-only add's two operands as base and index, else
   * {@code v} as the base. The translator adds an offset past 32 signed bits with an {@code iadd}
   * (wasm's offsets are u32, or u64 with memory64), so a larger one here is a translator bug.
   */
  private Address address(int v, long offset) {
    if (offset != (int) offset) {
      throw new IllegalArgumentException("memory offset " + offset + " does not fit 32 signed bits; the "
          + "translator adds such offsets with iadd");
    }
    if (isAddressOnly(v)) {
      int def = dfg.valueDef(resolved(v));
      return new Address(List.of(use(dfg.arg(def, 0)), use(dfg.arg(def, 1))), (int) offset);
    }
    if (isStackAddressOnly(v)) {
      return new Address(List.of(), Math.addExact(calls().stackAddressOffset(dfg.valueDef(resolved(v))), (int) offset));
    }
    return new Address(List.of(use(v)), (int) offset);
  }

  /** A load of any width and extension: the address's registers, then the result ({@link #loadEmitter}). */
  private void lowerLoad(int inst) {
    Opcode op = dfg.opcode(inst);
    Type type = dfg.ctrlType(inst);
    Address address = address(dfg.arg(inst, 0), dfg.imm(inst));
    VReg result = vreg(dfg.firstResult(inst));
    int resultOperand = address.registers().size();
    add(op.text(), addressUses(null, address, Operand.defReg(result)),
        loadEmitter(op, type, address, resultOperand));
  }

  /**
   * A store of any width: a constant value the ISA's store takes as it is ({@link
   * #constantStoreEmitter}) needs no register; else the value, then the address's registers.
   */
  private void lowerStore(int inst) {
    Opcode op = dfg.opcode(inst);
    int value = dfg.arg(inst, 0);
    Type type = type(value);
    Address address = address(dfg.arg(inst, 1), dfg.imm(inst));
    if (isConst(value)) {
      MInst.Emitter<C> constantStore = constantStoreEmitter(op, type, constValue(value), address);
      if (constantStore != null) {
        add(op.text(), addressUses(null, address, null), constantStore);
        return;
      }
    }
    add(op.text(), addressUses(Operand.useReg(use(value)), address, null), storeEmitter(op, type, address));
  }

  /**
   * A use of each of {@code address}'s registers, after {@code before} and before {@code after}
   * (each left out when null): a loop, not a stream, as every load and store of a module comes
   * here ({@link MInst#operandList}).
   */
  private static List<Operand> addressUses(Operand before, Address address, Operand after) {
    List<VReg> registers = address.registers();
    Operand[] operands = new Operand[(before != null ? 1 : 0) + registers.size() + (after != null ? 1 : 0)];
    int n = 0;
    if (before != null) {
      operands[n++] = before;
    }
    for (int k = 0; k < registers.size(); k++) {
      operands[n++] = Operand.useReg(registers.get(k));
    }
    if (after != null) {
      operands[n] = after;
    }
    return MInst.operandList(operands);
  }

  // ------------------------------------------------------------------ the shared decisions

  /** The register holding this function's vmctx (its first parameter). */
  public final VReg vmctx() {
    return vmctx;
  }

  @Override
  protected final void lowerEntryArgs(int entryBlock) {
    vmctx = calls().lowerEntryArgs(entryBlock);
  }

  @Override
  protected final void lowerInst(int inst) {
    Opcode opcode = dfg.opcode(inst);
    switch (opcode) {
      case JUMP -> edgeJump(inst);
      case BRIF -> lowerBrif(inst);
      case UNWIND_EDGE -> lowerUnwindEdge(inst);
      case BR_TABLE -> lowerBrTable(inst);
      case RETURN -> calls().lowerReturn(inst);
      case TRAP -> lowerTrap(inst);
      case TRAPZ, TRAPNZ -> lowerCondTrap(inst);
      case BOUNDS_CHECK -> lowerBoundsCheck(inst);
      case CALL, CALL_INDIRECT -> calls().lowerCall(inst);
      case STACK_ADDR -> {
        if (!isStackAddressOnly(dfg.firstResult(inst))) {
          calls().lowerStackAddress(inst);
        }
      }
      case RETURN_CALL, RETURN_CALL_INDIRECT -> calls().lowerReturnCall(inst);
      case LOAD, ULOAD8, SLOAD8, ULOAD16, SLOAD16, ULOAD32, ULOAD64, SLOAD32 -> lowerLoad(inst);
      case STORE, ISTORE8, ISTORE16, ISTORE32 -> lowerStore(inst);
      case ICMP, EQZ, FCMP, VANY_TRUE, VALL_TRUE -> {
        if (!needsNoCode(inst, opcode)) {
          lowerConditionValue(inst);
        }
      }
      case IREDUCE, VEXTRACTLANE, UEXTEND -> {
        if (!aliasOperand(inst)) {
          lowerOperator(inst);
        }
      }
      default -> {
        if (!needsNoCode(inst, opcode)) {
          lowerOperator(inst);
        }
      }
    }
  }

  /**
   * Whether operator {@code inst} needs no instruction of its own (a question without side
   * effects): a constant (rematerialized or folded into an immediate at each use, {@link #use}); an
   * address add of the accesses' addressing modes ({@link #isAddressOnly}); an and or xor its user
   * computes ({@link #bitwiseFoldsIntoUse}); a compare or vector test whose every use is a condition
   * that sets the flags itself ({@link #onlyUsedAsCondition}). A reduction, lane-0 extract or
   * extension that is only a new name for its operand is bound to it by {@link #lowerInst} ({@link
   * #aliasOperand}). An ISA adds the folds of its own instructions and asks this method for the rest.
   * {@code opcode} is {@code inst}'s, which {@link #lowerInst} has read already: the ISA's override
   * and this method switch on it without reading it from the graph again for every operator.
   */
  protected boolean needsNoCode(int inst, Opcode opcode) {
    return switch (opcode) {
      case ICONST, F32CONST, F64CONST, VCONST -> true;
      case IADD -> isAddressOnly(dfg.firstResult(inst));
      case BAND, BXOR -> bitwiseFoldsIntoUse(inst);
      case ICMP, EQZ, VANY_TRUE, VALL_TRUE -> onlyUsedAsCondition(dfg.firstResult(inst));
      case FCMP -> onlyUsedAsCondition(dfg.firstResult(inst)) && fusesFloatCompare(dfg.floatCC(inst));
      default -> false;
    };
  }

  /**
   * What sets the flags for condition value {@code v} ({@link Condition}): its compare or vector
   * test, an {@code eqz}'s operand tested for zero, an and tested without computing it, or else
   * {@code v} itself. The same opcodes a consumer fuses are the ones {@link #needsNoCode} leaves
   * unlowered when every use is a condition.
   */
  protected final Condition condition(int v) {
    Opcode def = defOpcode(v);
    int inst = def == null ? -1 : dfg.valueDef(resolved(v));
    if (def == Opcode.ICMP) {
      return new Condition.IntCompare(dfg.intCC(inst), dfg.arg(inst, 0), dfg.arg(inst, 1));
    }
    if (def == Opcode.FCMP && fusesFloatCompare(dfg.floatCC(inst))) {
      return new Condition.FloatCompare(dfg.floatCC(inst), dfg.arg(inst, 0), dfg.arg(inst, 1));
    }
    if (def == Opcode.VANY_TRUE || def == Opcode.VALL_TRUE) {
      return new Condition.VectorTest(inst);
    }
    if (def == Opcode.EQZ) {
      return test(dfg.arg(inst, 0), true);
    }
    return test(v, false);
  }

  private Condition test(int v, boolean zero) {
    return andFoldsIntoTest(v) ? new Condition.AndTest(dfg.valueDef(resolved(v)), zero)
        : new Condition.ValueTest(v, zero);
  }

  /** The flags of condition value {@code v}: the instructions of its {@link #condition}. */
  public final Flags<C, K> flagsOf(int v) {
    return flagsOf(condition(v));
  }

  /** The flags of {@code condition}, set by the family of what it tests; an {@code eqz} reads them inverted. */
  protected final Flags<C, K> flagsOf(Condition condition) {
    return switch (condition) {
      case Condition.IntCompare(IntCC cc, int x, int y) -> families.ints().compareFlags(cc, x, y);
      case Condition.FloatCompare(FloatCC cc, int x, int y) -> families.floats().compareFlags(cc, x, y);
      case Condition.VectorTest(int inst) -> families.vectors().testFlags(inst);
      case Condition.AndTest(int band, boolean zero) -> families.ints().andTestFlags(band).whenZero(zero);
      case Condition.ValueTest(int value, boolean zero) -> valueTestFlags(value).whenZero(zero);
    };
  }

  /** The flags of integer value {@code v} tested against zero, true when it is non-zero. */
  protected abstract Flags<C, K> valueTestFlags(int v);

  /**
   * Whether a float compare of condition {@code cc} can set the flags where it is consumed, as an
   * integer compare does; else it is computed into a register even when it is only a condition.
   */
  protected boolean fusesFloatCompare(FloatCC cc) {
    return true;
  }

  /**
   * Lowers an operator that needs code: by its family ({@link OpcodeFamilies}; every other
   * operator, {@code select} included, is the integer family's). An ISA whose selects of other
   * types are another family's routes them first.
   */
  protected void lowerOperator(int inst) {
    Opcode op = dfg.opcode(inst);
    Families<C, K> families = families();
    if (OpcodeFamilies.scalarFloat(op)) {
      families.floats().lower(inst);
    } else if (OpcodeFamilies.vector(op)) {
      families.vectors().lower(inst);
    } else if (OpcodeFamilies.vectorFloat(op)) {
      families.vectorFloats().lower(inst);
    } else {
      families.ints().lower(inst);
    }
  }

  @Override
  protected final void materializeInt(VReg into, Type type, long value) {
    families().ints().materialize(into, type, value);
  }

  @Override
  protected final void materializeFloat(VReg into, Type type, long bits) {
    families().floats().materialize(into, type, bits);
  }

  @Override
  protected final void materializeVector(VReg into, DataFlowGraph.VectorConstant value) {
    families().vectors().materialize(into, value);
  }
}
