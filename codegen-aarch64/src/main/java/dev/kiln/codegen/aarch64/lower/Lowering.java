package dev.kiln.codegen.aarch64.lower;

import static dev.kiln.codegen.regalloc.Operand.defReg;
import static dev.kiln.codegen.regalloc.Operand.useFixed;
import static dev.kiln.codegen.regalloc.Operand.useReg;
import static dev.kiln.codegen.regalloc.OperandConstraint.REG;

import dev.kiln.codegen.Label;
import dev.kiln.codegen.aarch64.abi.WasmCallConv;
import dev.kiln.codegen.aarch64.asm.AddSubImm;
import dev.kiln.codegen.aarch64.asm.Cond;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.Target;
import dev.kiln.codegen.aarch64.asm.VArr;
import dev.kiln.codegen.lower.BranchTable;
import dev.kiln.codegen.lower.CallLowering;
import dev.kiln.codegen.lower.Flags;
import dev.kiln.codegen.lower.LowerBackend;
import dev.kiln.codegen.lower.Lowered;
import dev.kiln.codegen.lower.MInst;
import dev.kiln.codegen.lower.MemoryForms;
import dev.kiln.codegen.lower.SignaturePlaces;
import dev.kiln.codegen.lower.LoweringDriver;
import dev.kiln.codegen.regalloc.Allocation;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.SpillSlot;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.vcode.VCodeInst;
import dev.kiln.ir.Function;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import java.util.List;
import java.util.Optional;

/**
 * Lowers one IR function to {@link VCode} of {@link MInst}s for AArch64: control flow, calls,
 * returns, memory and traps here, integer arithmetic in {@link IntLowering}, floats in {@link
 * FloatLowering}, v128 operations in {@link VectorLowering}
 * and, for the float lanes, {@link VectorFloatLowering}. AArch64 is three-address: only an
 * instruction that updates its destination in place (BIT, lane inserts) has a REUSE constraint.
 *
 * <p>Choices that shape the code (the same as the x86-64 backend's where the ISA allows):
 * <ul>
 *   <li>Constants are rematerialized at each use ({@link LoweringDriver#use}) or folded into an
 *       immediate, instead of living in a register from their definition.</li>
 *   <li>A compare ({@code icmp}, {@code eqz}, {@code fcmp}) whose only uses are conditions of
 *       {@code brif}, {@code select}, {@code trapz}/{@code trapnz} is emitted by each consumer
 *       together with its {@code b.cond}/{@code csel}, in one MInst, so no allocator move can
 *       separate the flags from their consumer. A plain value as a branch condition is tested by
 *       {@code cbz}/{@code cbnz}, which need no flags.</li>
 *   <li>An {@code iadd.i64} used only as load/store addresses becomes the base and index of a
 *       register-offset access (Arm ARM C6.2 "LDR (register)"); an {@code iadd} of a value
 *       shifted left by a constant (array indexing) is one {@code add} with a shifted register.</li>
 *   <li>{@code br_table} with up to {@link BranchTable#MAX_COMPARE_CHAIN} entries is a compare chain; longer
 *       ones bound-check the index and jump through a table of 32-bit offsets placed after the
 *       function ({@code adr}, {@code ldrsw}, {@code add}, {@code br}).</li>
 *   <li>Every edge from a block with several successors into a block with several incoming edges
 *       gets an empty jump block (the allocator's no-critical-edge contract).</li>
 *   <li>Every trapping check branches to an out-of-line trap block; the MInst reads the vmctx so the
 *       block can put it into x0 for the trap stub.</li>
 * </ul>
 */
public final class Lowering extends LowerBackend<EmitContext, Cond> {
  /** Caller-saved general registers the allocator hands out; calls clobber them. */
  public static final List<Gpr> CALLER_SAVED_ALLOCATABLE = List.of(Gpr.X8, Gpr.X9, Gpr.X10,
      Gpr.X11, Gpr.X12, Gpr.X13, Gpr.X14, Gpr.X15, Gpr.X0, Gpr.X1, Gpr.X2, Gpr.X3, Gpr.X4, Gpr.X5,
      Gpr.X6, Gpr.X7);
  /** FP registers the allocator hands out: all caller-saved (v8-v15 are left alone, see abi). */
  public static final List<FpReg> FLOAT_ALLOCATABLE = List.of(FpReg.V16, FpReg.V17, FpReg.V18,
      FpReg.V19, FpReg.V20, FpReg.V21, FpReg.V22, FpReg.V23, FpReg.V24, FpReg.V25, FpReg.V26,
      FpReg.V27, FpReg.V28, FpReg.V29, FpReg.V30, FpReg.V0, FpReg.V1, FpReg.V2, FpReg.V3, FpReg.V4,
      FpReg.V5, FpReg.V6, FpReg.V7);
  /**
   * WasmCallConv's fixed registers, and the allocatable registers a callee may change: the
   * caller-saved general registers and the FP registers handed out (all caller-saved). A call
   * clobbers those, except the registers its results arrive in.
   */
  private static final CallLowering.Registers CALL_REGISTERS =
      CallLowering.Registers.of(WasmCallConv.CONVENTION, CALLER_SAVED_ALLOCATABLE, FLOAT_ALLOCATABLE);

  private final IntLowering ints;
  private final FloatLowering floats;
  private final VectorLowering vectors;

  private Lowering(Function func, SignaturePlaces callPlaces) {
    super(func, EmitContext.class);
    ints = new IntLowering(this);
    floats = new FloatLowering(this);
    vectors = new VectorLowering(this);
    install(new Families<>(ints, floats, vectors, new VectorFloatLowering(this, vectors)), CALL_REGISTERS,
        new Calls(callPlaces));
  }

  /** Lowers {@code func}, working out its calls' places for it alone. */
  public static Lowered<EmitContext> lower(Function func) {
    return lower(func, newCallPlaces());
  }

  /** Lowers {@code func}, taking its calls' places from {@code callPlaces} (shared by one compile's functions). */
  public static Lowered<EmitContext> lower(Function func, SignaturePlaces callPlaces) {
    return new Lowering(func, callPlaces).lowered();
  }

  /** An empty store of the places {@link WasmCallConv} gives each signature's values. */
  public static SignaturePlaces newCallPlaces() {
    return SignaturePlaces.of(WasmCallConv.CONVENTION);
  }

  /**
   * The folds of AArch64's operand forms: a multiply under an add or subtract is its madd or msub,
   * a shift by a constant is the shifted register of an add, sub or logical instruction or a
   * bit-field extract under an and.
   */
  @Override
  protected boolean needsNoCode(int inst, Opcode opcode) {
    return switch (opcode) {
      case IMUL -> mulFoldsIntoAdd(dfg.firstResult(inst), IntLowering::foldsIntoAdd);
      case ISHL, USHR, SSHR, ROTL, ROTR -> shiftFolds(dfg.firstResult(inst));
      default -> super.needsNoCode(inst, opcode);
    };
  }

  /**
   * Whether shift result {@code r} is an operand form of the add, logical or bit-field instruction
   * using it.
   */
  private boolean shiftFolds(int r) {
    return shiftIntoAddCount(r, IntLowering::foldsIntoAdd) >= 0 || shiftFoldsIntoLogical(r)
        || shiftFoldsIntoBitField(r);
  }

  /** A cset of the condition's flags. */
  @Override
  protected void lowerConditionValue(int inst) {
    ints.setcc(inst, flagsOf(dfg.firstResult(inst)));
  }

  /** A select goes to the family of its type (a v128 select is a bsl on the flags' mask). */
  @Override
  protected void lowerOperator(int inst) {
    if (dfg.opcode(inst) != Opcode.SELECT) {
      super.lowerOperator(inst);
      return;
    }
    switch (dfg.ctrlType(inst)) {
      case I32, I64 -> ints.lower(inst);
      case F32, F64 -> floats.lower(inst);
      case V128 -> vectors.select(inst, flagsOf(dfg.arg(inst, 0)));
    }
  }

  // ------------------------------------------------------------------ values

  VReg newInt() {
    return vc.newVReg(RegClass.INT);
  }

  // ------------------------------------------------------------------ instruction helpers

  static Gpr gpr(List<Allocation> a, int i) {
    return Gpr.of(a.get(i).register().hwEnc());
  }

  static FpReg fpr(List<Allocation> a, int i) {
    return FpReg.of(a.get(i).register().hwEnc());
  }

  static Operand earlyDef(VReg v) {
    return Operand.earlyDef(v, REG);
  }

  /** A copy of {@code v} in a fresh vreg (so one value can go to two fixed registers). */
  @Override
  protected VReg copy(VReg v) {
    VReg t = vc.newVReg(v.regClass());
    boolean isInt = v.regClass() == RegClass.INT;
    vc.add(inst("mov", List.of(useReg(v), defReg(t)), PRegSet.EMPTY, VCodeInst.Kind.MOVE, (c, a) -> {
          if (isInt) {
            c.asm(Form.MOV_X, gpr(a, 1), gpr(a, 0));
          } else {
            c.asm(Form.MOV_V, fpr(a, 1), fpr(a, 0), VArr.B16); // all 128 bits: it may be a v128
          }
        }));
    return t;
  }

  // ------------------------------------------------------------------ conditions

  /** {@code cmp r, #0}: non-zero is NE. */
  @Override
  protected Flags<EmitContext, Cond> valueTestFlags(int v) {
    VReg r = use(v);
    boolean wide = type(v) == Type.I64;
    return new Flags<>(List.of(r), (c, a, at) -> c.asm(wide ? Form.CMP_X_IMM : Form.CMP_W_IMM,
        gpr(a, at), AddSubImm.require(0)), Cond.NE);
  }

  /**
   * Whether {@code condition} tests a plain value for non-zero, which cbz and cbnz do without
   * flags; any other condition sets the flags ({@link #flagsOf}).
   */
  private static boolean isPlainValue(Condition condition) {
    return condition instanceof Condition.ValueTest test && !test.zero();
  }

  static Cond cond(IntCC cc) {
    return switch (cc) {
      case EQ -> Cond.EQ;
      case NE -> Cond.NE;
      case SLT -> Cond.LT;
      case SLE -> Cond.LE;
      case SGT -> Cond.GT;
      case SGE -> Cond.GE;
      case ULT -> Cond.LO;
      case ULE -> Cond.LS;
      case UGT -> Cond.HI;
      case UGE -> Cond.HS;
    };
  }

  // ------------------------------------------------------------------ control flow

  @Override
  protected void lowerBrif(int inst) {
    int condition = dfg.arg(inst, 0);
    Condition test = condition(condition);
    if (!isPlainValue(test)) {
      Flags<EmitContext, Cond> f = flagsOf(test);
      VCode.Target then = edge(inst, 0);
      VCode.Target otherwise = edge(inst, 1);
      List<Operand> ops = f.inputUses(null);
      branch2(ops, then.block(), otherwise.block(), (c, a, to) -> {
        f.setter().emit(c, a, 0);
        c.asm(Form.B_COND, f.cc(), to);
      }, (c, a, to) -> {
        f.setter().emit(c, a, 0);
        c.asm(Form.B_COND, f.cc().invert(), to);
      }, then, otherwise);
      return;
    }
    VReg r = use(condition);
    boolean wide = type(condition) == Type.I64;
    VCode.Target then = edge(inst, 0);
    VCode.Target otherwise = edge(inst, 1);
    branch2(List.of(useReg(r)), then.block(), otherwise.block(),
        (c, a, to) -> c.asm(wide ? Form.CBNZ_X : Form.CBNZ_W, gpr(a, 0), to),
        (c, a, to) -> c.asm(wide ? Form.CBZ_X : Form.CBZ_W, gpr(a, 0), to), then, otherwise);
  }

  @FunctionalInterface
  private interface CondBranch {
    void emit(EmitContext c, List<Allocation> a, Target to);
  }

  /** A two-way branch: the taken form to one block, then a jump to the other unless it follows. */
  private void branch2(List<Operand> ops, int thenBlock, int elseBlock, CondBranch ifTrue,
      CondBranch ifFalse, VCode.Target then, VCode.Target otherwise) {
    vc.branch(inst("brif", ops, PRegSet.EMPTY, VCodeInst.Kind.BRANCH, (c, a) -> {
      if (c.fallsThroughTo(thenBlock)) {
        ifFalse.emit(c, a, Target.label(c.blockLabel(elseBlock)));
      } else {
        ifTrue.emit(c, a, Target.label(c.blockLabel(thenBlock)));
        c.jumpToBlock(elseBlock);
      }
    }), List.of(then, otherwise));
  }

  @Override
  protected void lowerBranchTable(int inst, TableEdges edges) {
    VReg index = use(dfg.arg(inst, 0));
    BranchTable branchTable = edges.dispatch();
    vc.branch(inst("br_table", List.of(useReg(index)), PRegSet.EMPTY, VCodeInst.Kind.BRANCH, (c, a) -> {
          Gpr i = gpr(a, 0);
          int n = branchTable.cases();
          if (branchTable.usesCompareChain()) {
            branchTable.emitCompareChain(c, (k, target) -> {
              c.asm(Form.CMP_W_IMM, i, AddSubImm.require(k));
              c.asm(Form.B_COND, Cond.EQ, Target.label(target));
            }, otherwise -> c.asm(Form.B, Target.label(otherwise)));
            return;
          }
          Label table = c.jumpTable(branchTable.caseLabels(c));
          Gpr base = WasmCallConv.SCRATCH0;
          Gpr entry = WasmCallConv.SCRATCH1;
          var bound = AddSubImm.of(n);
          if (bound.isPresent()) {
            c.asm(Form.CMP_W_IMM, i, bound.get());
          } else {
            c.movConst(entry, false, n);
            c.asm(Form.CMP_W, i, entry);
          }
          c.asm(Form.B_COND, Cond.HS, Target.label(branchTable.defaultLabel(c)));
          c.asm(Form.ADR, base, Target.label(table));
          c.asm(Form.MOV_W, entry, i); // zero-extends: the index is an i32
          c.asm(Form.LDRSW_REG_LSL2, entry, base, entry);
          c.asm(Form.ADD_X, base, base, entry);
          c.asm(Form.BR, base);
        }), edges.edges());
  }

  @Override
  protected void lowerTrap(int inst) {
    TrapCode code = dfg.trapCode(inst);
    vc.ret(inst("trap", List.of(useFixed(vmctx(), WasmCallConv.CALLEE_VMCTX.preg())),
        PRegSet.EMPTY, VCodeInst.Kind.RETURN, (c, a) -> c.trapHere(code)));
  }

  @Override
  protected void lowerCondTrap(int inst) {
    int condition = dfg.arg(inst, 0);
    TrapCode code = dfg.trapCode(inst);
    boolean onNonZero = dfg.opcode(inst) == Opcode.TRAPNZ;
    Condition test = condition(condition);
    if (isPlainValue(test)) {
      VReg r = use(condition);
      boolean wide = type(condition) == Type.I64;
      Form form = onNonZero ? (wide ? Form.CBNZ_X : Form.CBNZ_W) : (wide ? Form.CBZ_X : Form.CBZ_W);
      add(dfg.opcode(inst).text(), List.of(useReg(r), useReg(vmctx())),
          (c, a) -> c.asm(form, gpr(a, 0), Target.label(c.trapLabel(code, gpr(a, 1)))));
      return;
    }
    Flags<EmitContext, Cond> f = flagsOf(test);
    Cond trapWhen = onNonZero ? f.cc() : f.cc().invert();
    consumeFlags(dfg.opcode(inst).text(), f, trapWhen, useReg(vmctx()),
        (c, a, vm, cc) -> c.asm(Form.B_COND, cc, Target.label(c.trapLabel(code, gpr(a, vm)))));
  }

  /**
   * {@code index + end <= bound} or trap, without overflow: t = end; t += index with flags (carry:
   * the sum passed 2^64, out of bounds); t > bound (unsigned) traps. When the index is below
   * 2^32 (a zero-extended i32, every 32-bit memory's address) and {@code end} is an ADD immediate (below
   * 2^24), the sum is below 2^33 and cannot carry: {@code add t, index, #end} replaces the constant,
   * the flag-setting add and the carry branch (as on x86-64, and as Cranelift's AArch64 bounds
   * check), and with {@code end} zero the index is compared directly.
   */
  @Override
  protected MInst.Emitter<EmitContext> boundsCheckEmitter(BoundsCheck check) {
    long end = check.end();
    TrapCode code = check.code();
    Optional<AddSubImm> endImm = check.indexBelow2To32() ? AddSubImm.of(end) : Optional.empty();
    return (c, a) -> {
      if (endImm.isPresent()) {
        Gpr compared = gpr(a, 0);
        if (end > 1) {
          compared = WasmCallConv.SCRATCH0;
          c.asm(Form.ADD_X_IMM, compared, gpr(a, 0), endImm.get());
        }
        // index + 1 > bound is index >= bound: no sum for a one-byte access at the index itself.
        c.asm(Form.CMP_X, compared, gpr(a, 1));
        c.asm(Form.B_COND, end == 1 ? Cond.HS : Cond.HI, Target.label(c.trapLabel(code, gpr(a, 2))));
        return;
      }
      Gpr t = WasmCallConv.SCRATCH0;
      c.movConst(t, true, end);
      c.asm(Form.ADDS_X, t, t, gpr(a, 0));
      Label trap = c.trapLabel(code, gpr(a, 2));
      c.asm(Form.B_COND, Cond.HS, Target.label(trap));
      c.asm(Form.CMP_X, t, gpr(a, 1));
      c.asm(Form.B_COND, Cond.HI, Target.label(trap));
    };
  }

  // ------------------------------------------------------------------ memory

  /**
   * Emits the access {@code form} of {@code rt} at {@code address}, whose registers are operands
   * from {@code at}: register-offset when there are two registers and no offset (Arm ARM C6.2 "LDR
   * (register)"), else the base (two registers summed into x16 first) with the offset, which may be
   * negative (the translator's own accesses below a pointer) and goes through a register when it
   * does not fit the scaled immediate; a stack slot's from the stack pointer (register 31 as the
   * base, Arm ARM C6.2 "LDR (immediate)").
   */
  private static void access(EmitContext c, Address address, List<Allocation> a, int at, Form form,
      dev.kiln.codegen.aarch64.asm.Operand rt) {
    if (address.fromStackPointer()) {
      c.access(form, rt, Gpr.SP, address.offset());
    } else if (!address.indexed()) {
      c.access(form, rt, gpr(a, at), address.offset());
    } else if (address.offset() == 0) {
      c.asm(dev.kiln.codegen.aarch64.abi.Asm.registerOffsetForm(form), rt, gpr(a, at), gpr(a, at + 1));
    } else {
      c.asm(Form.ADD_X, WasmCallConv.SCRATCH0, gpr(a, at), gpr(a, at + 1));
      c.access(form, rt, WasmCallConv.SCRATCH0, address.offset());
    }
  }

  @Override
  protected MInst.Emitter<EmitContext> loadEmitter(Opcode op, Type t, Address address, int result) {
    Form form = MEMORY.load(op, t);
    return (c, a) -> access(c, address, a, 0, form, reg(a, result, t));
  }

  @Override
  protected MInst.Emitter<EmitContext> storeEmitter(Opcode op, Type t, Address address) {
    Form form = MEMORY.store(op, t);
    return (c, a) -> access(c, address, a, 1, form, reg(a, 0, t));
  }

  /**
   * Zero is the zero register, whatever the width (Arm ARM C1.2.5: register 31 as Rt of a store is
   * WZR/XZR): no register and no movz for the constant. Other constants go through a register.
   */
  @Override
  protected MInst.Emitter<EmitContext> constantStoreEmitter(Opcode op, Type t, long value, Address address) {
    if (value != 0) {
      return null;
    }
    Form form = MEMORY.store(op, t);
    return (c, a) -> access(c, address, a, 0, form, Gpr.ZR);
  }

  // ------------------------------------------------------------------ calls, arguments, returns

  /**
   * The loads and stores of memory and stack slots, at a scaled unsigned immediate offset (Arm ARM
   * C6.2 "LDR (immediate)", "STR (immediate)"; {@code EmitContext.access} takes other offsets).
   */
  static final MemoryForms<Form> MEMORY = new MemoryForms<>(
      new MemoryForms.ByType<>(Form.LDR_W_IMM, Form.LDR_X_IMM, Form.LDR_S_IMM, Form.LDR_D_IMM, Form.LDR_Q_IMM),
      new MemoryForms.ByType<>(Form.STR_W_IMM, Form.STR_X_IMM, Form.STR_S_IMM, Form.STR_D_IMM, Form.STR_Q_IMM),
      Form.LDRB_IMM, Form.LDRH_IMM, Form.LDRSB_W_IMM, Form.LDRSB_X_IMM, Form.LDRSH_W_IMM, Form.LDRSH_X_IMM,
      Form.LDRSW_IMM, Form.STRB_IMM, Form.STRH_IMM);

  static Form loadForm(Type t) {
    return MEMORY.loads().of(t);
  }

  static Form storeForm(Type t) {
    return MEMORY.stores().of(t);
  }

  private static dev.kiln.codegen.aarch64.asm.Operand reg(List<Allocation> a, int i, Type t) {
    return t.isInt() ? gpr(a, i) : fpr(a, i);
  }

  /** {@link WasmCallConv}'s places and the instructions of calls, returns and arguments. */
  private final class Calls extends IsaCalls {
    Calls(SignaturePlaces places) {
      super(places, TailSteps.INSTANCE);
    }

    @Override
    public void loadIncomingArgument(VReg v, int incomingOffset, Type type) {
      add("load_arg", List.of(defReg(v)),
          (c, a) -> c.access(loadForm(type), reg(a, 0, type), Gpr.X29, c.incoming(incomingOffset)));
    }

    @Override
    public void storeOutgoingArgument(VReg v, int offset, Type type) {
      add("store_arg", List.of(useReg(v)), (c, a) -> c.access(storeForm(type), reg(a, 0, type), Gpr.SP, offset));
    }

    @Override
    public VReg newAddressRegister() {
      return newInt();
    }

    @Override
    public void outgoingAddress(VReg ptr, int offset) {
      add("outgoing_address", List.of(defReg(ptr)), (c, a) -> {
        if (offset == 0) {
          c.asm(Form.MOV_X_SP, gpr(a, 0), Gpr.SP);
        } else {
          // Past 4095 bytes of stack arguments (over 500 of them) not one immediate.
          c.addConst(gpr(a, 0), Gpr.SP, offset);
        }
      });
    }

    @Override
    public void loadCallResult(VReg v, int offset, Type type) {
      add("load_result", List.of(defReg(v)), (c, a) -> c.access(loadForm(type), reg(a, 0, type), Gpr.SP, offset));
    }

    @Override
    public void storeResult(VReg v, VReg area, int offset, Type type) {
      add("store_result", List.of(useReg(v), useReg(area)),
          (c, a) -> c.access(storeForm(type), reg(a, 0, type), gpr(a, 1), offset));
    }

    @Override
    protected MInst.Emitter<EmitContext> callEmitter(boolean indirect, int targetOperand, long calleeKey) {
      return indirect
          ? (c, a) -> c.asm(Form.BLR, gpr(a, targetOperand))
          : (c, a) -> c.asm(Form.BL, Target.function(calleeKey));
    }

  }

  /** The steps of a tail call on AArch64. */
  private enum TailSteps implements TailCallSteps<EmitContext> {
    INSTANCE;

    @Override
    public void storeTailArgument(EmitContext c, List<Allocation> a, CallLowering.TailStackArgument s,
        int calleeStackBytes) {
      int index = s.operand();
      long to = c.tailArgument(calleeStackBytes, s.offset());
      Type t = s.type();
      if (a.get(index) instanceof SpillSlot slot) {
        // Through the class's scratch register: x16 or v31, free inside an instruction.
        boolean isInt = slot.regClass() == RegClass.INT;
        dev.kiln.codegen.aarch64.asm.Operand scratch =
            isInt ? WasmCallConv.SCRATCH0 : WasmCallConv.FLOAT_SCRATCH;
        c.access(isInt ? Form.LDR_X_IMM : Form.LDR_Q_IMM, scratch, Gpr.SP, c.spillSlot(slot));
        c.access(isInt ? Form.STR_X_IMM : storeForm(t), scratch, Gpr.X29, to);
      } else {
        c.access(storeForm(t), reg(a, index, t), Gpr.X29, to);
      }
    }

    /** Into x16, which the teardown leaves alone. */
    @Override
    public void keepTailCallTarget(EmitContext c, List<Allocation> a, int targetOperand) {
      c.asm(Form.MOV_X, WasmCallConv.SCRATCH0, gpr(a, targetOperand));
    }

    @Override
    public void jumpToTailCallTarget(EmitContext c) {
      c.asm(Form.BR, WasmCallConv.SCRATCH0);
    }

    @Override
    public void jumpToFunction(EmitContext c, long calleeKey) {
      c.asm(Form.B, Target.function(calleeKey));
    }
  }
}
