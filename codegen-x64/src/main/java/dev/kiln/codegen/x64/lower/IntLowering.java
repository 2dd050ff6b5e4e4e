package dev.kiln.codegen.x64.lower;

import static dev.kiln.codegen.regalloc.Operand.defReg;
import static dev.kiln.codegen.regalloc.Operand.defReuse;
import static dev.kiln.codegen.regalloc.Operand.useReg;
import static dev.kiln.codegen.x64.lower.Lowering.defFixed;
import static dev.kiln.codegen.x64.lower.Lowering.gpr;
import static dev.kiln.codegen.x64.lower.Lowering.useFixed;

import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.lower.ExtensionForms;
import dev.kiln.codegen.lower.FamilyLowering;
import dev.kiln.codegen.lower.Flags;
import dev.kiln.codegen.lower.LowerBackend;
import dev.kiln.codegen.lower.LoweringDriver;
import dev.kiln.codegen.lower.MInst;
import dev.kiln.codegen.regalloc.Allocation;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.OperandConstraint;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.BitForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.MulDivForm;
import dev.kiln.codegen.x64.asm.forms.ShiftForm;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * Lowering of integer arithmetic, logic, shifts, bit counts, compares, selects, width changes and
 * the guarded divisions. x86 ALU instructions are two-address ({@code add r/m, r}: the destination
 * is also the first source, SDM Vol. 2A "ADD"), which the allocator sees as a REUSE constraint.
 */
final class IntLowering extends FamilyLowering<Lowering> implements LowerBackend.IntFamily<EmitContext, Cond> {
  /** The forms of one two-address ALU family: reg/reg, reg/imm32 and reg/simm8, 32 and 64 bits. */
  private enum Alu {
    ADD(true, AluForm.ADDL_RM, AluForm.ADDQ_RM, AluForm.ADDL_MI, AluForm.ADDQ_MI, AluForm.ADDL_MI8,
        AluForm.ADDQ_MI8),
    SUB(false, AluForm.SUBL_RM, AluForm.SUBQ_RM, AluForm.SUBL_MI, AluForm.SUBQ_MI, AluForm.SUBL_MI8,
        AluForm.SUBQ_MI8),
    AND(true, AluForm.ANDL_RM, AluForm.ANDQ_RM, AluForm.ANDL_MI, AluForm.ANDQ_MI, AluForm.ANDL_MI8,
        AluForm.ANDQ_MI8),
    OR(true, AluForm.ORL_RM, AluForm.ORQ_RM, AluForm.ORL_MI, AluForm.ORQ_MI, AluForm.ORL_MI8,
        AluForm.ORQ_MI8),
    XOR(true, AluForm.XORL_RM, AluForm.XORQ_RM, AluForm.XORL_MI, AluForm.XORQ_MI, AluForm.XORL_MI8,
        AluForm.XORQ_MI8);

    final boolean commutative;
    /** The lowered instruction's name, made once, not a lower-cased copy per instruction. */
    final String text = name().toLowerCase(Locale.ROOT);
    final Form rm32;
    final Form rm64;
    final Form mi32;
    final Form mi64;
    final Form mi8w32;
    final Form mi8w64;
    /** The register-register form's emitters, made once, not a capture per instruction. */
    final MInst.Emitter<EmitContext> registers32;
    final MInst.Emitter<EmitContext> registers64;

    Alu(boolean commutative, Form rm32, Form rm64, Form mi32, Form mi64, Form mi8w32, Form mi8w64) {
      this.registers32 = (c, a) -> c.asm(rm32, gpr(a, 2), gpr(a, 1));
      this.registers64 = (c, a) -> c.asm(rm64, gpr(a, 2), gpr(a, 1));
      this.commutative = commutative;
      this.rm32 = rm32;
      this.rm64 = rm64;
      this.mi32 = mi32;
      this.mi64 = mi64;
      this.mi8w32 = mi8w32;
      this.mi8w64 = mi8w64;
    }
  }

  /**
   * Shift and rotate forms: count in %cl or an imm8 (SDM Vol. 2B "SAL/SAR/SHL/SHR", "RCL/RCR/ROL/
   * ROR"), and BMI2's shifts by any count register (null for rotates, which BMI2 has only by an
   * immediate, as rorx).
   */
  private enum Shift {
    SHL(ShiftForm.SHLL_CL, ShiftForm.SHLQ_CL, ShiftForm.SHLL_MI, ShiftForm.SHLQ_MI, ShiftForm.SHLXL_RMV,
        ShiftForm.SHLXQ_RMV),
    SAR(ShiftForm.SARL_CL, ShiftForm.SARQ_CL, ShiftForm.SARL_MI, ShiftForm.SARQ_MI, ShiftForm.SARXL_RMV,
        ShiftForm.SARXQ_RMV),
    SHR(ShiftForm.SHRL_CL, ShiftForm.SHRQ_CL, ShiftForm.SHRL_MI, ShiftForm.SHRQ_MI, ShiftForm.SHRXL_RMV,
        ShiftForm.SHRXQ_RMV),
    ROL(ShiftForm.ROLL_CL, ShiftForm.ROLQ_CL, ShiftForm.ROLL_MI, ShiftForm.ROLQ_MI, null, null),
    ROR(ShiftForm.RORL_CL, ShiftForm.RORQ_CL, ShiftForm.RORL_MI, ShiftForm.RORQ_MI, null, null);

    /** The lowered instruction's name, made once, not a lower-cased copy per instruction. */
    final String text = name().toLowerCase(Locale.ROOT);
    final Form cl32;
    final Form cl64;
    final Form mi32;
    final Form mi64;
    final Form bmi32;
    final Form bmi64;

    Shift(Form cl32, Form cl64, Form mi32, Form mi64, Form bmi32, Form bmi64) {
      this.cl32 = cl32;
      this.cl64 = cl64;
      this.mi32 = mi32;
      this.mi64 = mi64;
      this.bmi32 = bmi32;
      this.bmi64 = bmi64;
    }
  }

  IntLowering(Lowering l) {
    super(l);
  }

  /** movl, and the sign-extending moves movsbl/movsbq, movswl/movswq, movslq (SDM Vol. 2B "MOVSX"). */
  private static final ExtensionForms<Form> EXTENSIONS = new ExtensionForms<>(MovForm.MOVL_RM, MovForm.MOVSBL_RM,
      MovForm.MOVSBQ_RM, MovForm.MOVSWL_RM, MovForm.MOVSWQ_RM, MovForm.MOVSLQ_RM);

  @Override
  public void lower(int inst) {
    Opcode op = dfg.opcode(inst);
    switch (op) {
      case IADD -> add(inst);
      case ISUB -> alu(inst, Alu.SUB);
      case BAND -> and(inst);
      case BOR -> alu(inst, Alu.OR);
      case BXOR -> alu(inst, Alu.XOR);
      case IMUL -> imul(inst);
      case UMULHI -> multiplyHigh(inst);
      case ISHL -> shift(inst, Shift.SHL);
      case SSHR -> shift(inst, Shift.SAR);
      case USHR -> shift(inst, Shift.SHR);
      case ROTL -> shift(inst, Shift.ROL);
      case ROTR -> shift(inst, Shift.ROR);
      case SDIV, UDIV, SREM, UREM -> divide(inst, op);
      case CLZ, CTZ, POPCNT -> count(inst, op);
      case SELECT -> select(inst);
      // a width change (ExtensionForms knows which operators are); any other is not the integers'
      default -> unary(inst, extension(inst, op));
    }
  }

  /**
   * The form of extension {@code op} of {@code inst}: tested, not {@code orElseThrow} with a lambda
   * capturing the instruction for its message, an allocation per extension.
   */
  private Form extension(int inst, Opcode op) {
    Optional<Form> form = EXTENSIONS.find(op, dfg.ctrlType(inst));
    if (form.isEmpty()) {
      throw unsupported(inst);
    }
    return form.get();
  }

  // ------------------------------------------------------------------ constants

  /** Puts {@code value} of {@code type} into {@code t} before the current point. */
  @Override
  public void materialize(VReg t, Type type, long value) {
    l.add("iconst", List.of(defReg(t)), new ConstantEmitter(type, value));
  }

  /** The emitter of constant {@code value} of {@code type}: a class of its own, as {@link ImmediateEmitter}. */
  private record ConstantEmitter(Type type, long value) implements MInst.Emitter<EmitContext> {
    @Override
    public void emit(EmitContext c, List<Allocation> a) {
      emitConst(c, gpr(a, 0), type, value);
    }
  }

  /**
   * The shortest move of a constant: xor for 0, movl (zero-extends to 64 bits, SDM Vol. 1 section
   * 3.4.1.1) for what fits 32 unsigned bits, movq with a sign-extended imm32, else movabs.
   */
  static void emitConst(EmitContext c, Gpr r, Type type, long value) {
    long v = type == Type.I64 ? value : value & 0xffff_ffffL;
    if (v == 0) {
      c.asm(AluForm.XORL_RM, r, r);
    } else if (v >= 0 && v <= 0xffff_ffffL) {
      c.asm(MovForm.MOVL_OI, r, Imm.of(v));
    } else if (v == (int) v) {
      c.asm(MovForm.MOVQ_MI, r, Imm.of(v));
    } else {
      c.asm(MovForm.MOVABSQ_OI, r, Imm.of(v));
    }
  }

  /** The constant operand as an immediate of the operation's width, or null if it has none. */
  private Long immediate(int v, boolean wide) {
    if (!l.isConst(v)) {
      return null;
    }
    long k = l.constValue(v);
    if (!wide) {
      return (long) (int) k;
    }
    return k == (int) k ? k : null;
  }

  private static boolean fitsByte(long k) {
    return k >= -128 && k <= 127;
  }

  // ------------------------------------------------------------------ two-address arithmetic

  private void alu(int inst, Alu alu) {
    boolean w = wide(inst);
    LoweringDriver.Operands operands = l.operands(inst, alu.commutative);
    int y = operands.y();
    if (alu == Alu.AND && w && l.isConst(y) && l.constValue(y) == 0xFFFF_FFFFL) {
      // x & 0xffffffff is x's low half zero-extended: movl writes it to any register (SDM Vol. 1
      // 3.4.1.1: a 32-bit destination clears bits 63:32), where andq would need the mask in a
      // register of its own (it is no sign-extended imm32) and the result in x's.
      VReg d = l.result(inst);
      l.add("and", List.of(useReg(l.use(operands.x())), defReg(d)), (c, a) -> c.asm(MovForm.MOVL_RM, gpr(a, 1), gpr(a, 0)));
      return;
    }
    alu(inst, alu, w, operands, immediate(y, w));
  }

  /**
   * {@code alu} of {@code inst}, whose operands are {@code operands} in the order its forms take
   * them and whose second operand is the immediate {@code k} (null when it is none): for {@link
   * #addRegisters}, which has asked both already.
   */
  private void alu(int inst, Alu alu, boolean w, LoweringDriver.Operands operands, Long k) {
    int x = operands.x();
    int y = operands.y();
    VReg d = l.result(inst);
    if (alu == Alu.AND && k != null && (k == 0xFF || k == 0xFFFF)) {
      // x & 0xff and x & 0xffff are x's low byte or word zero-extended: movzbl or movzwl from x's
      // register into any register (SDM Vol. 2A "MOVZX"; a 32-bit destination clears bits 63:32, Vol. 1
      // 3.4.1.1, so the 32-bit form serves i64 too), three to four bytes where and needs an imm32 (five
      // to seven) and, into another register, a copy of x first.
      Form zx = k == 0xFF ? MovForm.MOVZBL_RM : MovForm.MOVZWL_RM;
      l.add(alu.text, List.of(useReg(l.use(x)), defReg(d)), (c, a) -> c.asm(zx, gpr(a, 1), gpr(a, 0)));
      return;
    }
    if (k != null) {
      long imm = k;
      Form form = fitsByte(imm) ? (w ? alu.mi8w64 : alu.mi8w32) : (w ? alu.mi64 : alu.mi32);
      Integer disp = leaDisplacement(alu, imm, w);
      if (disp != null) {
        // Three-address: the result in x's register is the two-address add or sub (x dies here, or
        // the allocator chose so), in any other lea, so x live afterwards costs no copy. lea r, [x +
        // disp] is as long as add r, imm for either width of the constant (SDM Vol. 2A "LEA"; one
        // more byte with r12 as base, for its SIB) and, with a base and a displacement only, as fast.
        Form lea = w ? MovForm.LEAQ_RM : MovForm.LEAL_RM;
        l.add(alu.text, List.of(useReg(l.use(x)), defReg(d)), new ImmediateOrLeaEmitter(form, imm, lea, disp));
        return;
      }
      l.add(alu.text, List.of(useReg(l.use(x)), defReuse(d, 0)), new ImmediateEmitter(form, imm));
      return;
    }
    l.add(alu.text,
        List.of(useReg(l.use(x)), useReg(l.use(y)), defReuse(d, 0)),
        w ? alu.registers64 : alu.registers32);
  }

  /**
   * The emitter of {@code form}, a two-address operation on its result's register (operand 1) with
   * immediate {@code imm} (an ALU operation's or a shift's count): a class of its own, not a
   * capturing lambda, as Lowering's LoadEmitter (JFR over yosys: the lambda's {@code
   * DirectMethodHandle.allocateInstance} under alu and shift).
   */
  private record ImmediateEmitter(Form form, long imm) implements MInst.Emitter<EmitContext> {
    @Override
    public void emit(EmitContext c, List<Allocation> a) {
      c.asm(form, gpr(a, 1), Imm.of(imm));
    }
  }

  /**
   * The emitter of an add or sub of an immediate that {@code lea} with displacement {@code disp} also
   * computes: {@code form} with {@code imm} when the result (operand 1) takes x's register (operand
   * 0), else the lea from x's; a class of its own, as {@link ImmediateEmitter}.
   */
  private record ImmediateOrLeaEmitter(Form form, long imm, Form lea, int disp) implements MInst.Emitter<EmitContext> {
    @Override
    public void emit(EmitContext c, List<Allocation> a) {
      if (gpr(a, 0) == gpr(a, 1)) {
        c.asm(form, gpr(a, 1), Imm.of(imm));
      } else {
        c.asm(lea, gpr(a, 1), Amode.baseDisp(gpr(a, 0), disp));
      }
    }
  }

  /**
   * {@code x & ~y} where the not has no other use: BMI1's three-address andn, which needs neither
   * the not nor a copy of x (SDM Vol. 2A "ANDN"; {@code LoweringDriver.notFoldsIntoAnd}, which
   * Lowering also asks, so the not is then not lowered; never without BMI1, {@code
   * Lowering.hasAndNot}). Otherwise a two-address and.
   */
  private void and(int inst) {
    LoweringDriver.AndNot n = l.andNot(inst);
    if (n == null) {
      alu(inst, Alu.AND);
      return;
    }
    Form form = wide(inst) ? AluForm.ANDNQ_RVM : AluForm.ANDNL_RVM;
    l.add("andn", List.of(useReg(n.inverted()), useReg(n.kept()), defReg(l.result(inst))),
        (c, a) -> c.asm(form, gpr(a, 2), gpr(a, 0), gpr(a, 1)));
  }

  /**
   * The flags of {@code x & y} for an and used only as a condition ({@code
   * LoweringDriver.andFoldsIntoTest}): one TEST of the operands, no result register and no copy of x
   * (SDM Vol. 2B "TEST": ZF from the and, which is discarded), with a constant as its imm32 where the
   * operation's width allows. Non-zero is NE.
   */
  @Override
  public Flags<EmitContext, Cond> andTestFlags(int inst) {
    boolean w = wide(inst);
    LoweringDriver.Operands xy = l.constantSecond(inst);
    return l.operandFlags(xy.x(), xy.y(), Optional.ofNullable(immediate(xy.y(), w)),
        w ? TESTQ_IMMEDIATE : TESTL_IMMEDIATE, w ? TESTQ_REGISTERS : TESTL_REGISTERS, Cond.NE);
  }

  // andTestFlags's setters, one per width, made once, as compareFlags's
  private static final LowerBackend.ImmediateSetter<EmitContext, Long> TESTQ_IMMEDIATE = (c, a, at, imm) ->
      c.asm(AluForm.TESTQ_MI, gpr(a, at), Imm.of(imm));
  private static final LowerBackend.ImmediateSetter<EmitContext, Long> TESTL_IMMEDIATE = (c, a, at, imm) ->
      c.asm(AluForm.TESTL_MI, gpr(a, at), Imm.of(imm));
  private static final Flags.Setter<EmitContext> TESTQ_REGISTERS = (c, a, at) ->
      c.asm(AluForm.TESTQ_MR, gpr(a, at), gpr(a, at + 1));
  private static final Flags.Setter<EmitContext> TESTL_REGISTERS = (c, a, at) ->
      c.asm(AluForm.TESTL_MR, gpr(a, at), gpr(a, at + 1));

  /**
   * The displacement of the lea that computes {@code x + imm} or {@code x - imm}, or null for other
   * operations and for a 64-bit {@code x - imm} whose negation is no sign-extended disp32. A 32-bit lea
   * writes the low half of the 64-bit sum zero-extended, which is addl's and subl's wrapped result
   * whatever x's upper half holds.
   */
  private static Integer leaDisplacement(Alu alu, long imm, boolean wide) {
    if (alu == Alu.ADD) {
      return (int) imm;
    }
    if (alu != Alu.SUB) {
      return null;
    }
    long negated = -imm;
    return !wide || negated == (int) negated ? (int) negated : null;
  }

  /** Whether an ishl by {@code count} folds into an add as lea's scaled index (1, 2, 4 or 8). */
  static boolean foldsIntoLea(int count) {
    return count >= 1 && count <= 3;
  }

  /**
   * {@code x + (y << k)}, the shift's only use, with k from 1 to 3: one three-address lea with y as
   * the index scaled by 2^k (SDM Vol. 2A "LEA"; {@code LoweringDriver.shiftIntoAddCount}), whose
   * 32-bit form writes the wrapped sum zero-extended, as {@code addl} would. The shift itself is not
   * lowered (Lowering), so no register holds it, and neither x nor y is copied for a two-address
   * form. Otherwise a two-address add.
   */
  private void add(int inst) {
    LoweringDriver.ShiftedAdd s = l.shiftedAdd(inst, IntLowering::foldsIntoLea);
    if (s == null) {
      addRegisters(inst);
      return;
    }
    int scale = 1 << s.count();
    Form form = wide(inst) ? MovForm.LEAQ_RM : MovForm.LEAL_RM;
    l.add("lea", List.of(useReg(s.addend()), useReg(s.shifted()), defReg(l.result(inst))),
        (c, a) -> c.asm(form, gpr(a, 2), Amode.baseIndex(gpr(a, 0), gpr(a, 1), scale, 0)));
  }

  /**
   * {@code x + y} of two registers: three-address, like the add of a constant. The result in x's or
   * y's register is the two-address add of the other (the add commutes), in any third register one
   * {@code lea d, [x + y]} (SDM Vol. 2A "LEA"), so an operand that lives on costs no copy: the lea is
   * one byte longer than the add, where the copy and the add are two to three more, and with a base,
   * an index of scale 1 and no displacement it has the add's one-cycle latency (a 32-bit lea writes
   * the wrapped sum zero-extended, as addl). r13 as the base would need a zero disp8 (SDM Vol. 2A
   * table 2-3, base 101 with mod 00 means "no base"), so it goes in the index where the other allows.
   */
  private void addRegisters(int inst) {
    boolean w = wide(inst);
    LoweringDriver.Operands operands = l.operands(inst, true);
    Long k = immediate(operands.y(), w);
    if (k != null) {
      alu(inst, Alu.ADD, w, operands, k);
      return;
    }
    Form add = w ? Alu.ADD.rm64 : Alu.ADD.rm32;
    Form lea = w ? MovForm.LEAQ_RM : MovForm.LEAL_RM;
    l.add(Alu.ADD.text, List.of(useReg(l.use(operands.x())), useReg(l.use(operands.y())), defReg(l.result(inst))),
        (c, a) -> {
          Gpr x = gpr(a, 0);
          Gpr y = gpr(a, 1);
          Gpr d = gpr(a, 2);
          if (d == x) {
            c.asm(add, d, y);
          } else if (d == y) {
            c.asm(add, d, x);
          } else if (x == Gpr.R13 && y != Gpr.RSP) {
            c.asm(lea, d, Amode.baseIndex(y, x, 1, 0));
          } else {
            c.asm(lea, d, Amode.baseIndex(x, y, 1, 0));
          }
        });
  }

  private void imul(int inst) {
    boolean w = wide(inst);
    LoweringDriver.Operands operands = l.constantSecond(inst);
    int x = operands.x();
    int y = operands.y();
    VReg d = l.result(inst);
    Long k = immediate(y, w);
    if (k != null) {
      long imm = k;
      // imul r, r/m, imm is three-address: no reuse needed (SDM Vol. 2A "IMUL", form 3).
      Form form = fitsByte(imm) ? (w ? MulDivForm.IMULQ_RMI8 : MulDivForm.IMULL_RMI8)
          : (w ? MulDivForm.IMULQ_RMI : MulDivForm.IMULL_RMI);
      l.add("imul", List.of(useReg(l.use(x)), defReg(d)),
          (c, a) -> c.asm(form, gpr(a, 1), gpr(a, 0), Imm.of(imm)));
      return;
    }
    Form form = w ? MulDivForm.IMULQ_RM : MulDivForm.IMULL_RM;
    l.add("imul", List.of(useReg(l.use(x)), useReg(l.use(y)), defReuse(d, 0)),
        (c, a) -> c.asm(form, gpr(a, 2), gpr(a, 1)));
  }

  /**
   * The hardware masks the count to 5 or 6 bits, exactly as wasm does (SDM: "masked to 5 bits"), the
   * BMI2 forms too. With BMI2, a shift by a register and a rotate by a constant are three-address
   * (shlx/sarx/shrx take the count in any register, rorx rotates right by an immediate: a left
   * rotate by k is a right rotate by width - k), so neither %cl nor a copy of x is needed.
   */
  private void shift(int inst, Shift s) {
    boolean w = wide(inst);
    int x = dfg.arg(inst, 0);
    int y = dfg.arg(inst, 1);
    VReg d = l.result(inst);
    String name = s.text;
    boolean bmi2 = l.cpu.has(X64Feature.BMI2);
    if (l.isConst(y)) {
      int width = w ? 64 : 32;
      long count = l.constValue(y) & (width - 1);
      if (bmi2 && (s == Shift.ROR || s == Shift.ROL)) {
        long right = s == Shift.ROR ? count : (width - count) & (width - 1);
        Form form = w ? ShiftForm.RORXQ_RMI : ShiftForm.RORXL_RMI;
        l.add("rorx", List.of(useReg(l.use(x)), defReg(d)),
            (c, a) -> c.asm(form, gpr(a, 1), gpr(a, 0), Imm.of(right)));
        return;
      }
      Form form = w ? s.mi64 : s.mi32;
      if (s == Shift.SHL && count == 1) {
        // x << 1 is x + x: shl in place, else lea d, [x + x] (SDM Vol. 2A "LEA"), so an x that lives
        // on costs no copy (3 to 4 bytes against the copy and the shift's 4 to 6; the 32-bit lea
        // writes the wrapped result zero-extended, as shll).
        Form lea = w ? MovForm.LEAQ_RM : MovForm.LEAL_RM;
        l.add(name, List.of(useReg(l.use(x)), defReg(d)), (c, a) -> {
          if (gpr(a, 0) == gpr(a, 1)) {
            c.asm(form, gpr(a, 1), Imm.of(count));
          } else {
            c.asm(lea, gpr(a, 1), Amode.baseIndex(gpr(a, 0), gpr(a, 0), 1, 0));
          }
        });
        return;
      }
      l.add(name, List.of(useReg(l.use(x)), defReuse(d, 0)), new ImmediateEmitter(form, count));
      return;
    }
    if (bmi2 && s.bmi32 != null) {
      Form form = w ? s.bmi64 : s.bmi32;
      l.add(name + "x", List.of(useReg(l.use(x)), useReg(l.use(y)), defReg(d)),
          (c, a) -> c.asm(form, gpr(a, 2), gpr(a, 0), gpr(a, 1)));
      return;
    }
    Form form = w ? s.cl64 : s.cl32;
    l.add(name, List.of(useReg(l.use(x)), useFixed(l.use(y), Gpr.RCX), defReuse(d, 0)),
        (c, a) -> c.asm(form, gpr(a, 2), Gpr.RCX));
  }

  /**
   * The high half of an unsigned 64-bit product: {@code mul} takes one factor in rax and leaves the
   * product in rdx:rax (SDM Vol. 2A "MUL", F7 /4); the low half in rax is dropped.
   */
  private void multiplyHigh(int inst) {
    VReg clobbered = l.vcode().newVReg(RegClass.INT);
    l.add("umulhi", List.of(useFixed(l.use(dfg.arg(inst, 0)), Gpr.RAX),
        useReg(l.use(dfg.arg(inst, 1))), defFixed(l.result(inst), Gpr.RDX),
        defFixed(clobbered, Gpr.RAX)),
        (c, a) -> c.asm(MulDivForm.MULQ_M, gpr(a, 1)));
  }

  /**
   * Division with wasm's traps checked before the instruction can fault (#DE, SDM Vol. 2A "IDIV"):
   * a zero divisor raises int_divz; for a divisor of -1 the signed quotient is the negated dividend,
   * whose overflow (INT_MIN) neg reports in OF, and the remainder is 0, so idiv never sees INT_MIN/-1.
   * A constant divisor other than 0 and -1 (C's {@code (lo + hi) / 2}) needs neither check.
   */
  private void divide(int inst, Opcode op) {
    boolean w = wide(inst);
    boolean signed = op == Opcode.SDIV || op == Opcode.SREM;
    boolean rem = op == Opcode.SREM || op == Opcode.UREM;
    VReg dividend = l.use(dfg.arg(inst, 0));
    int divisorValue = dfg.arg(inst, 1);
    VReg divisor = l.use(divisorValue);
    long constant = l.isConst(divisorValue)
        ? (w ? l.constValue(divisorValue) : (int) l.constValue(divisorValue)) : 0;
    boolean mayBeZero = constant == 0;
    boolean mayBeMinusOne = signed && (constant == 0 || constant == -1);
    VReg d = l.result(inst);
    VReg clobbered = l.vcode().newVReg(RegClass.INT);
    List<Operand> ops = new ArrayList<>();
    ops.add(useFixed(dividend, Gpr.RAX));
    ops.add(useReg(divisor));
    ops.add(Operand.lateUse(l.vmctx(), OperandConstraint.REG));
    if (rem) {
      ops.add(Operand.earlyDef(d, OperandConstraint.fixed(Gpr.RDX.preg())));
      ops.add(defFixed(clobbered, Gpr.RAX));
    } else {
      ops.add(Operand.earlyDef(clobbered, OperandConstraint.fixed(Gpr.RDX.preg())));
      ops.add(defFixed(d, Gpr.RAX));
    }
    l.add(op.text(), ops, (c, a) -> {
      Gpr div = gpr(a, 1);
      Gpr vm = gpr(a, 2);
      if (mayBeZero) {
        c.asm(w ? AluForm.TESTQ_MR : AluForm.TESTL_MR, div, div);
        c.asm(ControlForm.JCC_REL32, Cond.E,
            new LabelTarget(c.trapLabel(TrapCode.INTEGER_DIVISION_BY_ZERO, vm)));
      }
      if (signed && !mayBeMinusOne) {
        c.asm(w ? MulDivForm.CQTO : MulDivForm.CLTD);
        c.asm(w ? MulDivForm.IDIVQ_M : MulDivForm.IDIVL_M, div);
      } else if (signed) {
        Label general = c.newLabel();
        Label done = c.newLabel();
        c.asm(w ? AluForm.CMPQ_MI8 : AluForm.CMPL_MI8, div, Imm.of(-1));
        c.asm(ControlForm.JCC_REL32, Cond.NE, new LabelTarget(general));
        if (rem) {
          c.asm(AluForm.XORL_RM, Gpr.RDX, Gpr.RDX);
        } else {
          c.asm(w ? MulDivForm.NEGQ_M : MulDivForm.NEGL_M, Gpr.RAX);
          c.asm(ControlForm.JCC_REL32, Cond.O,
              new LabelTarget(c.trapLabel(TrapCode.INTEGER_OVERFLOW, vm)));
        }
        c.asm(ControlForm.JMP_REL32, new LabelTarget(done));
        c.bind(general);
        c.asm(w ? MulDivForm.CQTO : MulDivForm.CLTD);
        c.asm(w ? MulDivForm.IDIVQ_M : MulDivForm.IDIVL_M, div);
        c.bind(done);
      } else {
        c.asm(AluForm.XORL_RM, Gpr.RDX, Gpr.RDX);
        c.asm(w ? MulDivForm.DIVQ_M : MulDivForm.DIVL_M, div);
      }
    });
  }

  /**
   * clz, ctz, popcnt: LZCNT/TZCNT/POPCNT when the CPU has them; otherwise BSR/BSF, whose result is
   * undefined for 0 (ZF set), patched with cmov, and a SWAR population count.
   */
  private void count(int inst, Opcode op) {
    boolean w = wide(inst);
    int bits = w ? 64 : 32;
    VReg x = l.use(dfg.arg(inst, 0));
    VReg d = l.result(inst);
    CpuFeatures cpu = l.cpu;
    switch (op) {
      case CLZ -> {
        if (cpu.has(X64Feature.LZCNT)) {
          Form f = w ? BitForm.LZCNTQ_RM : BitForm.LZCNTL_RM;
          l.add("lzcnt", List.of(useReg(x), defReg(d)), (c, a) -> c.asm(f, gpr(a, 1), gpr(a, 0)));
        } else {
          // clz = (bits - 1) - bsr(x); x == 0: bsr "returns" -1 via cmov, giving bits.
          VReg t = l.vcode().newVReg(RegClass.INT);
          l.add("clz", List.of(useReg(x), Operand.earlyDef(t, OperandConstraint.REG), defReg(d)),
              (c, a) -> {
                Gpr dst = gpr(a, 2);
                Gpr tmp = gpr(a, 1);
                c.asm(MovForm.MOVQ_MI, tmp, Imm.of(-1));
                c.asm(w ? BitForm.BSRQ_RM : BitForm.BSRL_RM, dst, gpr(a, 0));
                c.asm(w ? ControlForm.CMOVQ_RM : ControlForm.CMOVL_RM, Cond.E, dst, tmp);
                c.asm(w ? MulDivForm.NEGQ_M : MulDivForm.NEGL_M, dst);
                c.asm(w ? AluForm.ADDQ_MI8 : AluForm.ADDL_MI8, dst, Imm.of(bits - 1));
              });
        }
      }
      case CTZ -> {
        if (cpu.has(X64Feature.BMI1)) {
          Form f = w ? BitForm.TZCNTQ_RM : BitForm.TZCNTL_RM;
          l.add("tzcnt", List.of(useReg(x), defReg(d)), (c, a) -> c.asm(f, gpr(a, 1), gpr(a, 0)));
        } else {
          VReg t = l.vcode().newVReg(RegClass.INT);
          l.add("ctz", List.of(useReg(x), Operand.earlyDef(t, OperandConstraint.REG), defReg(d)),
              (c, a) -> {
                Gpr dst = gpr(a, 2);
                Gpr tmp = gpr(a, 1);
                c.asm(MovForm.MOVL_OI, tmp, Imm.of(bits));
                c.asm(w ? BitForm.BSFQ_RM : BitForm.BSFL_RM, dst, gpr(a, 0));
                c.asm(w ? ControlForm.CMOVQ_RM : ControlForm.CMOVL_RM, Cond.E, dst, tmp);
              });
        }
      }
      case POPCNT -> {
        if (cpu.has(X64Feature.POPCNT)) {
          Form f = w ? BitForm.POPCNTQ_RM : BitForm.POPCNTL_RM;
          l.add("popcnt", List.of(useReg(x), defReg(d)), (c, a) -> c.asm(f, gpr(a, 1), gpr(a, 0)));
        } else {
          swarPopcount(x, d, w);
        }
      }
      default -> throw new IllegalArgumentException(op.text());
    }
  }

  /**
   * Population count without POPCNT (Hacker's Delight 5-1): pairs, nibbles, bytes, then a multiply
   * by 0x0101... sums the bytes into the top byte.
   */
  private void swarPopcount(VReg x, VReg d, boolean w) {
    VReg t = l.vcode().newVReg(RegClass.INT);
    VReg m = l.vcode().newVReg(RegClass.INT);
    l.add("popcnt_swar", List.of(useReg(x), Operand.earlyDef(t, OperandConstraint.REG),
        Operand.earlyDef(m, OperandConstraint.REG), Operand.earlyDef(d, OperandConstraint.REG)),
        (c, a) -> {
          Gpr src = gpr(a, 0);
          Gpr tmp = gpr(a, 1);
          Gpr mask = gpr(a, 2);
          Gpr dst = gpr(a, 3);
          Type ty = w ? Type.I64 : Type.I32;
          Form mov = w ? MovForm.MOVQ_RM : MovForm.MOVL_RM;
          Form shr = w ? ShiftForm.SHRQ_MI : ShiftForm.SHRL_MI;
          Form and = w ? AluForm.ANDQ_RM : AluForm.ANDL_RM;
          Form sub = w ? AluForm.SUBQ_RM : AluForm.SUBL_RM;
          Form add = w ? AluForm.ADDQ_RM : AluForm.ADDL_RM;
          // dst = x - ((x >> 1) & 0x55..)
          c.asm(mov, dst, src);
          c.asm(mov, tmp, src);
          c.asm(shr, tmp, Imm.of(1));
          emitConst(c, mask, ty, 0x5555_5555_5555_5555L);
          c.asm(and, tmp, mask);
          c.asm(sub, dst, tmp);
          // dst = (dst & 0x33..) + ((dst >> 2) & 0x33..)
          emitConst(c, mask, ty, 0x3333_3333_3333_3333L);
          c.asm(mov, tmp, dst);
          c.asm(shr, tmp, Imm.of(2));
          c.asm(and, dst, mask);
          c.asm(and, tmp, mask);
          c.asm(add, dst, tmp);
          // dst = (dst + (dst >> 4)) & 0x0f..
          c.asm(mov, tmp, dst);
          c.asm(shr, tmp, Imm.of(4));
          c.asm(add, dst, tmp);
          emitConst(c, mask, ty, 0x0f0f_0f0f_0f0f_0f0fL);
          c.asm(and, dst, mask);
          // dst = (dst * 0x0101..) >> (bits - 8)
          emitConst(c, mask, ty, 0x0101_0101_0101_0101L);
          c.asm(w ? MulDivForm.IMULQ_RM : MulDivForm.IMULL_RM, dst, mask);
          c.asm(shr, dst, Imm.of(w ? 56 : 24));
        });
  }

  // ------------------------------------------------------------------ compares and selects

  /** cmp x, y (or x, imm) with the condition for {@code x cc y}. */
  @Override
  public Flags<EmitContext, Cond> compareFlags(IntCC cc, int x, int y) {
    boolean w = dfg.valueType(dfg.resolveAliases(x)) == Type.I64;
    return l.operandFlags(x, y, Optional.ofNullable(immediate(y, w)), w ? CMPQ_IMMEDIATE : CMPL_IMMEDIATE,
        w ? CMPQ_REGISTERS : CMPL_REGISTERS, Lowering.cond(cc));
  }

  // compareFlags's setters, one per width, made once: capturing lambdas per compare were a
  // slow-path allocation each under the launcher's lean C2 (JFR, yosys)
  private static final LowerBackend.ImmediateSetter<EmitContext, Long> CMPQ_IMMEDIATE = (c, a, at, imm) ->
      c.asm(fitsByte(imm) ? AluForm.CMPQ_MI8 : AluForm.CMPQ_MI, gpr(a, at), Imm.of(imm));
  private static final LowerBackend.ImmediateSetter<EmitContext, Long> CMPL_IMMEDIATE = (c, a, at, imm) ->
      c.asm(fitsByte(imm) ? AluForm.CMPL_MI8 : AluForm.CMPL_MI, gpr(a, at), Imm.of(imm));
  private static final Flags.Setter<EmitContext> CMPQ_REGISTERS = (c, a, at) ->
      c.asm(AluForm.CMPQ_RM, gpr(a, at), gpr(a, at + 1));
  private static final Flags.Setter<EmitContext> CMPL_REGISTERS = (c, a, at) ->
      c.asm(AluForm.CMPL_RM, gpr(a, at), gpr(a, at + 1));

  /** A 0/1 result: the flags, setcc into the low byte, movzbl to clear the rest. */
  void setcc(int inst, Flags<EmitContext, Cond> f) {
    l.consumeFlags(dfg.opcode(inst).text(), f, f.cc(), defReg(l.result(inst)), (c, a, at, cc) -> {
      Gpr dst = gpr(a, at);
      c.asm(ControlForm.SETCC_M, cc, dst);
      c.asm(MovForm.MOVZBL_RM, dst, dst);
    });
  }

  /** d = cond ? x : y as d := y; cmov(cond) x, d. */
  private void select(int inst) {
    boolean w = wide(inst);
    Flags<EmitContext, Cond> f = l.flagsOf(dfg.arg(inst, 0));
    List<Operand> ops = l.selectOperands(inst, f.inputs(), (result, first) -> defReuse(result, first + 1));
    int at = f.inputs().size();
    Form cmov = w ? ControlForm.CMOVQ_RM : ControlForm.CMOVL_RM;
    l.add("select", ops, (c, a) -> {
      f.setter().emit(c, a, 0);
      c.asm(cmov, f.cc(), gpr(a, at + 2), gpr(a, at));
    });
  }

  private void unary(int inst, Form form) {
    l.unary(inst, new UnaryEmitter(form));
  }

  /**
   * The emitter of {@code form} from its operand's register (operand 0) into its result's (operand 1):
   * a class of its own, as {@link ImmediateEmitter}.
   */
  private record UnaryEmitter(Form form) implements MInst.Emitter<EmitContext> {
    @Override
    public void emit(EmitContext c, List<Allocation> a) {
      c.asm(form, gpr(a, 1), gpr(a, 0));
    }
  }
}
