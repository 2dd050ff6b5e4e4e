package dev.kiln.codegen.x64.lower;

import static dev.kiln.codegen.regalloc.Operand.defReg;
import static dev.kiln.codegen.regalloc.Operand.useReg;

import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.codegen.abi.WasmCallAssignment;
import dev.kiln.codegen.lower.Flags;
import dev.kiln.codegen.lower.LowerBackend;
import dev.kiln.codegen.lower.Lowered;
import dev.kiln.codegen.lower.MInst;
import dev.kiln.codegen.lower.MemoryForms;
import dev.kiln.codegen.lower.SignaturePlaces;
import dev.kiln.codegen.regalloc.Allocation;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.PReg;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.regalloc.SpillSlot;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.vcode.VCodeInst;
import dev.kiln.codegen.x64.abi.WasmCallConv;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.lower.BranchTable;
import dev.kiln.codegen.lower.CallLowering;
import dev.kiln.codegen.lower.LoweringDriver;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.FunctionTarget;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.SseForm;
import dev.kiln.codegen.x64.asm.forms.VecMoveForm;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.ir.FloatCC;
import dev.kiln.ir.Function;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import java.util.List;

/**
 * Lowers one IR function to {@link VCode} for x86-64: control flow, calls, returns, memory and
 * traps here, integer arithmetic in {@link IntLowering}, float arithmetic and conversions in
 * {@link FloatLowering}, v128 operations in {@link VectorLowering}
 * and, for the float lanes, {@link VectorFloatLowering}. Integer values live in
 * INT-class vregs (general-purpose registers), f32 and f64 values in FLOAT-class vregs (the low
 * lanes of xmm registers), v128 values in FLOAT-class vregs too (whole xmm registers).
 *
 * <p>Choices that shape the code:
 * <ul>
 *   <li>Constants are rematerialized at each use ({@link LoweringDriver#use}) or folded into an
 *       immediate, instead of living in a register from their definition, so they never occupy a
 *       register across a loop.</li>
 *   <li>A compare ({@code icmp}, {@code eqz}) whose only uses are conditions of {@code brif},
 *       {@code select}, {@code trapz}/{@code trapnz} is not materialized: each consumer emits the
 *       {@code cmp} together with its {@code jcc}/{@code cmovcc}, in one MInst, so no allocator move
 *       can separate the flags from their consumer.</li>
 *   <li>An {@code iadd.i64} used only as load/store addresses becomes the base and index of the
 *       access's addressing mode (SDM Vol. 2A section 2.1.5); an {@code iadd} of a value shifted
 *       left by 1 to 3 (array indexing) is one {@code lea} with a scaled index.</li>
 *   <li>{@code br_table} with up to {@link BranchTable#MAX_COMPARE_CHAIN} entries is a compare chain
 *       ({@code cmp $k; je}) and a jump to the default: no data in the code and no indirect jump
 *       (nothing for branch-target injection to steer), and for the short tables most wasm has it is
 *       as fast. Longer tables bound-check the index ({@code jae default}) and jump through a table of
 *       32-bit offsets placed after the function (RIP-relative {@code lea}, {@code movslq},
 *       {@code add}, {@code jmp *}), constant time in the index; offsets instead of addresses keep the
 *       code position-independent with no relocation.</li>
 *   <li>Every edge from a block with several successors into a block with several incoming edges
 *       gets an empty jump block (the allocator's no-critical-edge contract).</li>
 *   <li>Every trapping check jumps to an out-of-line trap block; the MInst reads the vmctx so the
 *       block can put it into rdi for the trap stub.</li>
 * </ul>
 */
public final class Lowering extends LowerBackend<EmitContext, Cond> {
  /** Caller-saved registers the allocator hands out; calls clobber them (WasmCallConv). */
  static final List<Gpr> CALLER_SAVED_ALLOCATABLE =
      List.of(Gpr.RAX, Gpr.RCX, Gpr.RDX, Gpr.RSI, Gpr.RDI, Gpr.R8, Gpr.R9, Gpr.R10);

  /**
   * The xmm registers the allocator hands out, all caller-saved (WasmCallConv); xmm15 is kept out
   * as the FLOAT class's scratch register.
   */
  public static final List<Xmm> FLOAT_ALLOCATABLE = List.of(Xmm.XMM0, Xmm.XMM1, Xmm.XMM2,
      Xmm.XMM3, Xmm.XMM4, Xmm.XMM5, Xmm.XMM6, Xmm.XMM7, Xmm.XMM8, Xmm.XMM9, Xmm.XMM10, Xmm.XMM11,
      Xmm.XMM12, Xmm.XMM13, Xmm.XMM14);

  /**
   * WasmCallConv's fixed registers, and the allocatable registers a callee may change: the
   * caller-saved general registers and every xmm register handed out (all are caller-saved). A call
   * clobbers those, except the registers its results arrive in.
   */
  private static final CallLowering.Registers CALL_REGISTERS =
      CallLowering.Registers.of(WasmCallConv.CONVENTION, CALLER_SAVED_ALLOCATABLE, FLOAT_ALLOCATABLE);

  final CpuFeatures cpu;
  private final IntLowering ints;
  private final FloatLowering floats;
  private final VectorLowering vectors;

  private Lowering(Function func, CpuFeatures cpu, SignaturePlaces callPlaces) {
    super(func, EmitContext.class);
    this.cpu = cpu;
    ints = new IntLowering(this);
    floats = new FloatLowering(this);
    vectors = new VectorLowering(this);
    install(new Families<>(ints, floats, vectors, new VectorFloatLowering(this, vectors)), CALL_REGISTERS,
        new Calls(callPlaces));
  }

  /** Lowers {@code func}, working out its calls' places for it alone. */
  public static Lowered<EmitContext> lower(Function func, CpuFeatures cpu) {
    return lower(func, cpu, newCallPlaces());
  }

  /** Lowers {@code func}, taking its calls' places from {@code callPlaces} (shared by one compile's functions). */
  public static Lowered<EmitContext> lower(Function func, CpuFeatures cpu, SignaturePlaces callPlaces) {
    return new Lowering(func, cpu, callPlaces).lowered();
  }

  /** An empty store of the places {@link WasmCallConv} gives each signature's values. */
  public static SignaturePlaces newCallPlaces() {
    return SignaturePlaces.of(WasmCallConv.CONVENTION);
  }

  /** A shift left by 1 to 3 under an add is the scaled index of the add's {@code lea}. */
  @Override
  protected boolean needsNoCode(int inst, Opcode opcode) {
    if (opcode == Opcode.ISHL) {
      return shiftIntoAddCount(dfg.firstResult(inst), IntLowering::foldsIntoLea) >= 0;
    }
    return super.needsNoCode(inst, opcode);
  }

  /** ucomiss/ucomisd leave equality in two flags (ZF and PF): {@link FloatLowering#fusible}. */
  @Override
  protected boolean fusesFloatCompare(FloatCC cc) {
    return FloatLowering.fusible(cc);
  }

  /**
   * A setcc of the condition's flags, except a float compare: FloatLowering's (equality after
   * ucomiss/ucomisd is two flags).
   */
  @Override
  protected void lowerConditionValue(int inst) {
    if (dfg.opcode(inst) == Opcode.FCMP) {
      floats.lower(inst);
    } else {
      ints.setcc(inst, flagsOf(dfg.firstResult(inst)));
    }
  }

  /** A float or v128 select (FLOAT class, xmm registers) is FloatLowering's. */
  @Override
  protected void lowerOperator(int inst) {
    if (dfg.opcode(inst) == Opcode.SELECT && regClass(dfg.ctrlType(inst)) == RegClass.FLOAT) {
      floats.lower(inst);
    } else {
      super.lowerOperator(inst);
    }
  }

  // ------------------------------------------------------------------ values

  static boolean isFloat(Type t) {
    return t == Type.F32 || t == Type.F64;
  }

  // ------------------------------------------------------------------ instruction helpers

  static Gpr gpr(List<Allocation> a, int i) {
    return Gpr.ofEncoding(a.get(i).register().hwEnc());
  }

  static Xmm xmm(List<Allocation> a, int i) {
    return Xmm.ofEncoding(a.get(i).register().hwEnc());
  }

  static Operand useFixed(VReg v, Xmm x) {
    return Operand.useFixed(v, x.preg());
  }

  static Operand defFixed(VReg v, Xmm x) {
    return Operand.defFixed(v, x.preg());
  }

  static Operand useFixed(VReg v, Gpr g) {
    return Operand.useFixed(v, g.preg());
  }

  static Operand defFixed(VReg v, Gpr g) {
    return Operand.defFixed(v, g.preg());
  }

  /** A copy of {@code v} in a fresh vreg (so one value can go to two fixed registers). */
  @Override
  protected VReg copy(VReg v) {
    VReg t = vc.newVReg(v.regClass());
    if (v.regClass() == RegClass.FLOAT) {
      add("movaps", List.of(useReg(v), defReg(t)),
          (c, a) -> c.asm(SseForm.MOVAPS_RM, xmm(a, 1), xmm(a, 0)));
    } else {
      add("mov", List.of(useReg(v), defReg(t)),
          (c, a) -> c.asm(MovForm.MOVQ_RM, gpr(a, 1), gpr(a, 0)));
    }
    return t;
  }

  // ------------------------------------------------------------------ conditions

  /** ANDN is BMI1's (SDM Vol. 2A "ANDN"). */
  @Override
  protected boolean hasAndNot() {
    return cpu.has(X64Feature.BMI1);
  }

  /** {@code test r, r}: non-zero is NE (SDM Vol. 2B "TEST"). */
  @Override
  protected Flags<EmitContext, Cond> valueTestFlags(int v) {
    VReg r = use(v);
    return new Flags<>(List.of(r), type(v) == Type.I64 ? TESTQ_ITSELF : TESTL_ITSELF, Cond.NE);
  }

  // valueTestFlags's setters, one per width, made once: a capturing lambda per test was a slow-path
  // allocation under the launcher's lean C2 (JFR over yosys, as IntLowering.compareFlags's)
  private static final Flags.Setter<EmitContext> TESTQ_ITSELF = (c, a, at) ->
      c.asm(AluForm.TESTQ_MR, gpr(a, at), gpr(a, at));
  private static final Flags.Setter<EmitContext> TESTL_ITSELF = (c, a, at) ->
      c.asm(AluForm.TESTL_MR, gpr(a, at), gpr(a, at));

  static Cond cond(IntCC cc) {
    return switch (cc) {
      case EQ -> Cond.E;
      case NE -> Cond.NE;
      case SLT -> Cond.L;
      case SLE -> Cond.LE;
      case SGT -> Cond.G;
      case SGE -> Cond.GE;
      case ULT -> Cond.B;
      case ULE -> Cond.BE;
      case UGT -> Cond.A;
      case UGE -> Cond.AE;
    };
  }

  // ------------------------------------------------------------------ control flow

  @Override
  protected void lowerBrif(int inst) {
    Flags<EmitContext, Cond> f = flagsOf(dfg.arg(inst, 0));
    VCode.Target then = edge(inst, 0);
    VCode.Target otherwise = edge(inst, 1);
    List<Operand> ops = f.inputUses(null);
    vc.branch(inst("brif", ops, PRegSet.EMPTY, VCodeInst.Kind.BRANCH,
        new BrifEmitter(f, then.block(), otherwise.block())), List.of(then, otherwise));
  }

  /**
   * A two-way branch's emitter: the flags {@code f} sets, then a jcc to {@code thenBlock} and a jump
   * to {@code elseBlock}, the jcc inverted to {@code elseBlock} when the code falls through to
   * {@code thenBlock}; a class of its own, as {@link LoadEmitter}.
   */
  private record BrifEmitter(Flags<EmitContext, Cond> f, int thenBlock, int elseBlock)
      implements MInst.Emitter<EmitContext> {
    @Override
    public void emit(EmitContext c, List<Allocation> a) {
      f.setter().emit(c, a, 0);
      if (c.fallsThroughTo(thenBlock)) {
        c.asm(ControlForm.JCC_REL32, f.cc().invert(), new LabelTarget(c.blockLabel(elseBlock)));
      } else {
        c.asm(ControlForm.JCC_REL32, f.cc(), new LabelTarget(c.blockLabel(thenBlock)));
        c.jumpToBlock(elseBlock);
      }
    }
  }

  @Override
  protected void lowerBranchTable(int inst, TableEdges edges) {
    BranchTable table = edges.dispatch();
    VReg index = use(dfg.arg(inst, 0));
    if (!table.usesCompareChain()) {
      // The table lookup writes its index register: a zero-extended copy of the i32 index, used by
      // the branch alone, so nothing else lives in it.
      VReg copy = vc.newVReg(RegClass.INT);
      add("uextend", List.of(useReg(index), defReg(copy)), (c, a) -> c.asm(MovForm.MOVL_RM, gpr(a, 1), gpr(a, 0)));
      index = copy;
    }
    vc.branch(inst("br_table", List.of(useReg(index)), PRegSet.EMPTY, VCodeInst.Kind.BRANCH, (c, a) -> {
          Gpr i = gpr(a, 0);
          int n = table.cases();
          if (table.usesCompareChain()) {
            table.emitCompareChain(c, (k, target) -> {
              c.asm(k <= 127 ? AluForm.CMPL_MI8 : AluForm.CMPL_MI, i, Imm.of(k));
              c.asm(ControlForm.JCC_REL32, Cond.E, new LabelTarget(target));
            }, otherwise -> c.asm(ControlForm.JMP_REL32, new LabelTarget(otherwise)));
            return;
          }
          // r11 is outside the allocator's registers (its scratch is only used by moves between
          // instructions), and the index's copy dies here.
          Label offsets = c.jumpTable(table.caseLabels(c));
          c.asm(n <= 127 ? AluForm.CMPL_MI8 : AluForm.CMPL_MI, i, Imm.of(n));
          c.asm(ControlForm.JCC_REL32, Cond.AE, new LabelTarget(table.defaultLabel(c)));
          c.asm(MovForm.LEAQ_RM, WasmCallConv.SCRATCH0, Amode.rip(offsets));
          c.asm(MovForm.MOVSLQ_RM, i, Amode.baseIndex(WasmCallConv.SCRATCH0, i, 4, 0));
          c.asm(AluForm.ADDQ_RM, i, WasmCallConv.SCRATCH0);
          c.asm(ControlForm.JMPQ_M, i);
        }), edges.edges());
  }

  @Override
  protected void lowerTrap(int inst) {
    TrapCode code = dfg.trapCode(inst);
    vc.ret(inst("trap", List.of(useFixed(vmctx(), WasmCallConv.CALLEE_VMCTX)), PRegSet.EMPTY,
        VCodeInst.Kind.RETURN, (c, a) -> c.trapHere(code)));
  }

  @Override
  protected void lowerCondTrap(int inst) {
    Flags<EmitContext, Cond> f = flagsOf(dfg.arg(inst, 0));
    TrapCode code = dfg.trapCode(inst);
    Cond trapWhen = dfg.opcode(inst) == Opcode.TRAPNZ ? f.cc() : f.cc().invert();
    consumeFlags(dfg.opcode(inst).text(), f, trapWhen, useReg(vmctx()),
        (c, a, vm, cc) -> c.asm(ControlForm.JCC_REL32, cc, new LabelTarget(c.trapLabel(code, gpr(a, vm)))));
  }

  /**
   * {@code index + end <= bound} or trap, without overflow: tmp = end; tmp += index (carry: the sum
   * passed 2^64, out of bounds); tmp > bound (unsigned) traps. When the index is below 2^32 (a
   * zero-extended i32, every 32-bit memory's address, wasm spec 4.4.7) and {@code end} fits a disp32, the sum is
   * below 2^33 and cannot carry: one {@code lea tmp, [index + end]} replaces the constant, the add
   * and the carry branch (Cranelift's x64 bounds check has the same shape), and with {@code end}
   * zero the index is compared directly.
   */
  @Override
  protected MInst.Emitter<EmitContext> boundsCheckEmitter(BoundsCheck check) {
    long end = check.end();
    TrapCode code = check.code();
    boolean noCarry = check.indexBelow2To32() && end >= 0 && end <= Integer.MAX_VALUE;
    // The sum goes to the scratch register, which the allocator never hands out: no register of
    // the function's is taken for it.
    Gpr sum = WasmCallConv.SCRATCH0;
    return (c, a) -> {
      Label trap = c.trapLabel(code, gpr(a, 2));
      if (noCarry && end <= 1) {
        // index + 1 > bound is index >= bound: one compare, no sum (SDM Vol. 1 B.1: JAE is CF=0).
        c.asm(AluForm.CMPQ_RM, gpr(a, 0), gpr(a, 1));
        c.asm(ControlForm.JCC_REL32, end == 0 ? Cond.A : Cond.AE, new LabelTarget(trap));
        return;
      }
      if (noCarry) {
        c.asm(MovForm.LEAQ_RM, sum, Amode.baseDisp(gpr(a, 0), (int) end));
        c.asm(AluForm.CMPQ_RM, sum, gpr(a, 1));
        c.asm(ControlForm.JCC_REL32, Cond.A, new LabelTarget(trap));
        return;
      }
      IntLowering.emitConst(c, sum, Type.I64, end);
      c.asm(AluForm.ADDQ_RM, sum, gpr(a, 0));
      c.asm(ControlForm.JCC_REL32, Cond.B, new LabelTarget(trap));
      c.asm(AluForm.CMPQ_RM, sum, gpr(a, 1));
      c.asm(ControlForm.JCC_REL32, Cond.A, new LabelTarget(trap));
    };
  }

  // ------------------------------------------------------------------ memory

  /**
   * The addressing mode of {@code address} whose registers are operands from {@code at}: a stack
   * slot's from the stack pointer as the calls' outgoing area is.
   */
  private static Amode amode(EmitContext c, Address address, List<Allocation> a, int at) {
    if (address.fromStackPointer()) {
      return c.outgoing(address.offset());
    }
    return address.indexed() ? Amode.baseIndex(gpr(a, at), gpr(a, at + 1), 1, address.offset())
        : Amode.baseDisp(gpr(a, at), address.offset());
  }

  @Override
  protected MInst.Emitter<EmitContext> loadEmitter(Opcode op, Type t, Address address, int result) {
    return new LoadEmitter(MEMORY.load(op, t), address, result);
  }

  /**
   * A load's emitter: a class of its own, not a capturing lambda, whose instances the launcher's
   * lean C2 made on a slow path (JFR over yosys: {@code Unsafe.allocateInstance} per load).
   */
  private record LoadEmitter(Form form, Address address, int result) implements MInst.Emitter<EmitContext> {
    @Override
    public void emit(EmitContext c, List<Allocation> a) {
      c.asm(form, register(a, result), amode(c, address, a, 0));
    }
  }

  /** An indirect call's emitter, the address at operand {@code target}: a class of its own, as {@link LoadEmitter}. */
  private record IndirectCallEmitter(int target) implements MInst.Emitter<EmitContext> {
    @Override
    public void emit(EmitContext c, List<Allocation> a) {
      c.asm(ControlForm.CALLQ_M, gpr(a, target));
    }
  }

  /** A direct call's emitter, of the function {@code calleeKey} names: a class of its own, as {@link LoadEmitter}. */
  private record DirectCallEmitter(long calleeKey) implements MInst.Emitter<EmitContext> {
    @Override
    public void emit(EmitContext c, List<Allocation> a) {
      c.asm(ControlForm.CALLQ_REL32, new FunctionTarget(calleeKey));
    }
  }

  @Override
  protected MInst.Emitter<EmitContext> storeEmitter(Opcode op, Type t, Address address) {
    return new StoreEmitter(MEMORY.store(op, t), address);
  }

  /** A store's emitter: a class of its own, as {@link LoadEmitter}. */
  private record StoreEmitter(Form form, Address address) implements MInst.Emitter<EmitContext> {
    @Override
    public void emit(EmitContext c, List<Allocation> a) {
      c.asm(form, amode(c, address, a, 1), register(a, 0));
    }
  }

  /**
   * The store of the integer constant {@code v} as an immediate ({@code movb/movw/movl $imm, mem},
   * {@code movq $simm32, mem}: SDM Vol. 2B "MOV", C6 /0 and C7 /0), or null when (a 64-bit store)
   * it does not sign-extend from 32 bits. The constant then needs no register, and no instruction
   * of its own before the store.
   */
  @Override
  protected MInst.Emitter<EmitContext> constantStoreEmitter(Opcode op, Type t, long v, Address address) {
    ImmediateStore immediate = switch (op) {
      case ISTORE8 -> new ImmediateStore(MovForm.MOVB_MI, Imm.of((byte) v));
      case ISTORE16 -> new ImmediateStore(MovForm.MOVW_MI, Imm.of((short) v));
      case ISTORE32 -> new ImmediateStore(MovForm.MOVL_MI, Imm.of((int) v));
      case STORE -> t == Type.I32 ? new ImmediateStore(MovForm.MOVL_MI, Imm.of((int) v))
          : t == Type.I64 && v == (int) v ? new ImmediateStore(MovForm.MOVQ_MI, Imm.of(v)) : null;
      default -> null;
    };
    return immediate == null ? null : new ConstantStoreEmitter(immediate, address);
  }

  /** A store that writes an immediate: its form and the immediate. */
  private record ImmediateStore(Form form, Imm value) {}

  /** The emitter of a store of an immediate: a class of its own, as {@link LoadEmitter}. */
  private record ConstantStoreEmitter(ImmediateStore immediate, Address address)
      implements MInst.Emitter<EmitContext> {
    @Override
    public void emit(EmitContext c, List<Allocation> a) {
      c.asm(immediate.form(), amode(c, address, a, 0), immediate.value());
    }
  }

  /** The allocated register of operand {@code i}, general-purpose or xmm by its class. */
  static dev.kiln.codegen.x64.asm.Operand register(List<Allocation> a, int i) {
    return a.get(i).regClass() == RegClass.FLOAT ? xmm(a, i) : gpr(a, i);
  }

  /**
   * The loads and stores of memory and stack slots: movss/movsd for floats (which zero the rest of
   * the register when they load), movdqu for a v128 (wasm memory is not aligned, and stack slots
   * need not be); movzbl/movzwl zero-extend to 64 bits as every 32-bit destination does.
   */
  static final MemoryForms<Form> MEMORY = new MemoryForms<>(
      new MemoryForms.ByType<>(MovForm.MOVL_RM, MovForm.MOVQ_RM, SseForm.MOVSS_RM, SseForm.MOVSD_RM,
          VecMoveForm.MOVDQU_RM),
      new MemoryForms.ByType<>(MovForm.MOVL_MR, MovForm.MOVQ_MR, SseForm.MOVSS_MR, SseForm.MOVSD_MR,
          VecMoveForm.MOVDQU_MR),
      MovForm.MOVZBL_RM, MovForm.MOVZWL_RM, MovForm.MOVSBL_RM, MovForm.MOVSBQ_RM, MovForm.MOVSWL_RM,
      MovForm.MOVSWQ_RM, MovForm.MOVSLQ_RM, MovForm.MOVB_MR, MovForm.MOVW_MR);

  /** The full-width load of a value of type {@code t}. */
  static Form loadForm(Type t) {
    return MEMORY.loads().of(t);
  }

  /** The full-width store of a value of type {@code t}. */
  static Form storeForm(Type t) {
    return MEMORY.stores().of(t);
  }

  /**
   * The load of a stack argument of type {@code t}: integers as 8 bytes (an i32's slot is 8 bytes
   * and its upper half undefined, ValueLocation.InGpr), others at their width.
   */
  private static Form stackArgLoadForm(Type t) {
    return t.isInt() ? MovForm.MOVQ_RM : loadForm(t);
  }

  /** The store of a stack argument of type {@code t} ({@link #stackArgLoadForm}). */
  private static Form stackArgStoreForm(Type t) {
    return t.isInt() ? MovForm.MOVQ_MR : storeForm(t);
  }

  // ------------------------------------------------------------------ calls, arguments, returns

  /** {@link WasmCallConv}'s places and the instructions of calls, returns and arguments. */
  private final class Calls extends IsaCalls {
    Calls(SignaturePlaces places) {
      super(places, TailSteps.INSTANCE);
    }

    @Override
    public void loadIncomingArgument(VReg v, int incomingOffset, Type type) {
      Form load = stackArgLoadForm(type);
      add("load_arg", List.of(defReg(v)), (c, a) -> c.asm(load, register(a, 0), c.incoming(incomingOffset)));
    }

    @Override
    public void storeOutgoingArgument(VReg v, int offset, Type type) {
      Form store = stackArgStoreForm(type);
      add("store_arg", List.of(useReg(v)), (c, a) -> c.asm(store, c.outgoing(offset), register(a, 0)));
    }

    @Override
    public VReg newAddressRegister() {
      return vc.newVReg(RegClass.INT);
    }

    @Override
    public void outgoingAddress(VReg ptr, int offset) {
      add("lea_outgoing", List.of(defReg(ptr)), (c, a) -> c.asm(MovForm.LEAQ_RM, gpr(a, 0), c.outgoing(offset)));
    }

    @Override
    public void loadCallResult(VReg v, int offset, Type type) {
      Form form = loadForm(type);
      add("load_result", List.of(defReg(v)), (c, a) -> c.asm(form, register(a, 0), c.outgoing(offset)));
    }

    @Override
    public void storeResult(VReg v, VReg area, int offset, Type type) {
      Form form = storeForm(type);
      add("store_result", List.of(useReg(v), useReg(area)),
          (c, a) -> c.asm(form, Amode.baseDisp(gpr(a, 1), offset), register(a, 0)));
    }

    @Override
    protected MInst.Emitter<EmitContext> callEmitter(boolean indirect, int targetOperand, long calleeKey) {
      return indirect ? new IndirectCallEmitter(targetOperand) : new DirectCallEmitter(calleeKey);
    }

  }

  /** The steps of a tail call on x86-64. */
  private enum TailSteps implements TailCallSteps<EmitContext> {
    INSTANCE;

    @Override
    public void storeTailArgument(EmitContext c, List<Allocation> a, CallLowering.TailStackArgument s,
        int calleeStackBytes) {
      Amode to = c.tailArgument(calleeStackBytes, s.offset());
      switch (a.get(s.operand())) {
        case PReg r -> c.asm(stackArgStoreForm(s.type()), to, register(a, s.operand()));
        case SpillSlot slot -> {
          // A slot-to-slot copy, 8 bytes at a time through r11 (16 for a v128).
          Amode.BaseDisp from = (Amode.BaseDisp) c.spillSlot(slot);
          Amode.BaseDisp into = (Amode.BaseDisp) to;
          for (int at = 0; at < WasmCallAssignment.slotBytes(s.type()); at += 8) {
            c.asm(MovForm.MOVQ_RM, WasmCallConv.SCRATCH0, Amode.baseDisp(from.base(), from.disp() + at));
            c.asm(MovForm.MOVQ_MR, Amode.baseDisp(into.base(), into.disp() + at), WasmCallConv.SCRATCH0);
          }
        }
      }
    }

    /** r11 (done with the argument copies) survives the epilogue, which moves the return address through r10. */
    @Override
    public void keepTailCallTarget(EmitContext c, List<Allocation> a, int targetOperand) {
      c.asm(MovForm.MOVQ_RM, WasmCallConv.SCRATCH0, gpr(a, targetOperand));
    }

    @Override
    public void jumpToTailCallTarget(EmitContext c) {
      c.asm(ControlForm.JMPQ_M, WasmCallConv.SCRATCH0);
    }

    @Override
    public void jumpToFunction(EmitContext c, long calleeKey) {
      c.asm(ControlForm.JMP_REL32, new FunctionTarget(calleeKey));
    }
  }
}
