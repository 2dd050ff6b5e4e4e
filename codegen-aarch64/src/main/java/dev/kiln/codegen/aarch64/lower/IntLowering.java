package dev.kiln.codegen.aarch64.lower;

import static dev.kiln.codegen.aarch64.lower.Lowering.gpr;
import static dev.kiln.codegen.regalloc.Operand.defReg;
import static dev.kiln.codegen.regalloc.Operand.useReg;

import dev.kiln.codegen.aarch64.abi.WasmCallConv;
import dev.kiln.codegen.aarch64.asm.AddSubImm;
import dev.kiln.codegen.aarch64.asm.Cond;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.LogicalImm;
import dev.kiln.codegen.aarch64.asm.Target;
import dev.kiln.codegen.aarch64.asm.UImm;
import dev.kiln.codegen.aarch64.asm.VArr;
import dev.kiln.codegen.lower.ExtensionForms;
import dev.kiln.codegen.lower.FamilyLowering;
import dev.kiln.codegen.lower.Flags;
import dev.kiln.codegen.lower.LowerBackend;
import dev.kiln.codegen.lower.LoweringDriver;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lowering of integer arithmetic, logic, shifts, bit counts, compares, selects, width changes and
 * the guarded divisions. i32 values use the W forms, which read the low 32 bits and zero the upper
 * ones (Arm ARM C1.2.5), so an i32 in a register may carry anything in its upper half.
 */
final class IntLowering extends FamilyLowering<Lowering> implements LowerBackend.IntFamily<EmitContext, Cond> {
  /** A three-register family with its W/X register forms and, where one exists, immediate forms. */
  private enum Alu {
    ADD(true, Form.ADD_W, Form.ADD_X),
    SUB(false, Form.SUB_W, Form.SUB_X),
    AND(true, Form.AND_W, Form.AND_X),
    OR(true, Form.ORR_W, Form.ORR_X),
    XOR(true, Form.EOR_W, Form.EOR_X),
    MUL(true, Form.MUL_W, Form.MUL_X),
    SHL(false, Form.LSL_W, Form.LSL_X),
    SSHR(false, Form.ASR_W, Form.ASR_X),
    USHR(false, Form.LSR_W, Form.LSR_X),
    ROTR(false, Form.ROR_W, Form.ROR_X);

    final boolean commutative;
    /** The lowered instruction's name, made once, not a lower-cased copy per instruction. */
    final String text = name().toLowerCase(java.util.Locale.ROOT);
    final Form w;
    final Form x;

    Alu(boolean commutative, Form w, Form x) {
      this.commutative = commutative;
      this.w = w;
      this.x = x;
    }

    Form form(boolean wide) {
      return wide ? x : w;
    }
  }

  /** The shifted-register forms of and, orr and eor: LSL, LSR, ASR, ROR, each W then X. */
  private static final Map<Alu, Form[]> SHIFTED_LOGICAL = Map.of(
      Alu.AND, new Form[] {Form.AND_W_LSL, Form.AND_X_LSL, Form.AND_W_LSR, Form.AND_X_LSR,
          Form.AND_W_ASR, Form.AND_X_ASR, Form.AND_W_ROR, Form.AND_X_ROR},
      Alu.OR, new Form[] {Form.ORR_W_LSL, Form.ORR_X_LSL, Form.ORR_W_LSR, Form.ORR_X_LSR,
          Form.ORR_W_ASR, Form.ORR_X_ASR, Form.ORR_W_ROR, Form.ORR_X_ROR},
      Alu.XOR, new Form[] {Form.EOR_W_LSL, Form.EOR_X_LSL, Form.EOR_W_LSR, Form.EOR_X_LSR,
          Form.EOR_W_ASR, Form.EOR_X_ASR, Form.EOR_W_ROR, Form.EOR_X_ROR});

  IntLowering(Lowering l) {
    super(l);
  }

  /** MOV (W), and the sign extensions SXTB, SXTH, SXTW (Arm ARM C6.2, aliases of SBFM). */
  private static final ExtensionForms<Form> EXTENSIONS = new ExtensionForms<>(Form.MOV_W, Form.SXTB_W, Form.SXTB_X,
      Form.SXTH_W, Form.SXTH_X, Form.SXTW_X);

  @Override
  public void lower(int inst) {
    Opcode op = dfg.opcode(inst);
    switch (op) {
      case IADD -> {
        if (!addShifted(inst) && !multiplyAdd(inst)) {
          addSub(inst, true);
        }
      }
      case ISUB -> {
        if (!multiplyAdd(inst)) {
          addSub(inst, false);
        }
      }
      case BAND -> and(inst);
      case BOR -> logical(inst, Alu.OR, Form.ORR_W_IMM, Form.ORR_X_IMM);
      case BXOR -> logical(inst, Alu.XOR, Form.EOR_W_IMM, Form.EOR_X_IMM);
      case IMUL -> binary(inst, Alu.MUL);
      case UMULHI -> l.add("umulhi", List.of(useReg(l.use(dfg.arg(inst, 0))),
          useReg(l.use(dfg.arg(inst, 1))), defReg(l.result(inst))),
          (c, a) -> c.asm(Form.UMULH_X, gpr(a, 2), gpr(a, 0), gpr(a, 1)));
      case ISHL -> shift(inst, Alu.SHL, Form.LSL_W_IMM, Form.LSL_X_IMM);
      case SSHR -> shift(inst, Alu.SSHR, Form.ASR_W_IMM, Form.ASR_X_IMM);
      case USHR -> shift(inst, Alu.USHR, Form.LSR_W_IMM, Form.LSR_X_IMM);
      case ROTR -> shift(inst, Alu.ROTR, Form.ROR_W_IMM, Form.ROR_X_IMM);
      case ROTL -> rotl(inst);
      case SDIV, UDIV, SREM, UREM -> divide(inst, op);
      case CLZ -> unary(inst, wide(inst) ? Form.CLZ_X : Form.CLZ_W);
      case CTZ -> ctz(inst);
      case POPCNT -> popcount(inst);
      case SELECT -> select(inst);
      // a width change (ExtensionForms knows which operators are); any other is not the integers'
      default -> unary(inst, EXTENSIONS.find(op, dfg.ctrlType(inst)).orElseThrow(() -> unsupported(inst)));
    }
  }

  // ------------------------------------------------------------------ constants

  /** Puts {@code value} of {@code type} into {@code t} before the current point. */
  @Override
  public void materialize(VReg t, Type type, long value) {
    l.add("iconst", List.of(defReg(t)), (c, a) -> c.movConst(gpr(a, 0), type == Type.I64, value));
  }

  private Optional<Long> constant(int v, boolean wide) {
    if (!l.isConst(v)) {
      return Optional.empty();
    }
    long k = l.constValue(v);
    return Optional.of(wide ? k : k & 0xFFFF_FFFFL);
  }

  // ------------------------------------------------------------------ arithmetic

  /** Whether an ishl by {@code count} folds into an add's shifted register (LSL #1 and up). */
  static boolean foldsIntoAdd(int count) {
    return count >= 1;
  }

  /**
   * {@code x + (y << k)}, the shift's only use: one {@code add d, x, y, lsl #k} (Arm ARM C6.2 "ADD
   * (shifted register)"; {@code LoweringDriver.shiftIntoAddCount}), the shift not lowered
   * (Lowering). Returns false, emitting nothing, when neither operand is such a shift.
   */
  private boolean addShifted(int inst) {
    LoweringDriver.ShiftedAdd s = l.shiftedAdd(inst, IntLowering::foldsIntoAdd);
    if (s == null) {
      return false;
    }
    Form form = wide(inst) ? Form.ADD_X_LSL : Form.ADD_W_LSL;
    l.add("iadd", List.of(useReg(s.addend()), useReg(s.shifted()), defReg(l.result(inst))),
        (c, a) -> c.asm(form, gpr(a, 2), gpr(a, 0), gpr(a, 1), UImm.of(s.count())));
    return true;
  }

  /**
   * {@code x + a * b} or {@code x - a * b}, the product's only use: one MADD or MSUB (C6.2; {@code
   * LoweringDriver.mulFoldsIntoAdd}, which Lowering also asks, so the multiply is not lowered).
   * Returns false, emitting nothing, when no operand is such a product.
   */
  private boolean multiplyAdd(int inst) {
    LoweringDriver.MultiplyAdd m = l.multiplyAdd(inst, IntLowering::foldsIntoAdd);
    if (m == null) {
      return false;
    }
    boolean w = wide(inst);
    Form form = m.subtract() ? (w ? Form.MSUB_X : Form.MSUB_W) : (w ? Form.MADD_X : Form.MADD_W);
    l.add(m.subtract() ? "msub" : "madd",
        List.of(useReg(m.left()), useReg(m.right()), useReg(m.addend()), defReg(l.result(inst))),
        (c, a) -> c.asm(form, gpr(a, 3), gpr(a, 0), gpr(a, 1), gpr(a, 2)));
    return true;
  }

  /** add/sub, folding a constant that is an imm12 (or whose negation is) into the immediate form. */
  private void addSub(int inst, boolean isAdd) {
    boolean w = wide(inst);
    int x = dfg.arg(inst, 0);
    int y = dfg.arg(inst, 1);
    if (isAdd && l.isConst(x) && !l.isConst(y)) {
      int s = x;
      x = y;
      y = s;
    }
    VReg d = l.result(inst);
    Optional<Long> k = constant(y, w);
    if (k.isPresent()) {
      long value = w ? k.get() : (int) (long) k.get();
      long magnitude = Math.abs(value);
      Optional<AddSubImm> imm = value == Long.MIN_VALUE ? Optional.empty() : AddSubImm.of(magnitude);
      if (imm.isPresent()) {
        boolean add = isAdd == (value >= 0);
        Form form = add ? (w ? Form.ADD_X_IMM : Form.ADD_W_IMM) : (w ? Form.SUB_X_IMM : Form.SUB_W_IMM);
        AddSubImm i = imm.get();
        l.add(isAdd ? "iadd" : "isub", List.of(useReg(l.use(x)), defReg(d)), (c, a) -> {
          if (i.value() == 0) {
            c.asm(w ? Form.MOV_X : Form.MOV_W, gpr(a, 1), gpr(a, 0));
          } else {
            c.asm(form, gpr(a, 1), gpr(a, 0), i);
          }
        });
        return;
      }
    }
    binaryRegs(inst, isAdd ? Alu.ADD : Alu.SUB, x, y);
  }

  /**
   * {@code (x >>> lsb) & (2^width - 1)}, the shift used nowhere else: one UBFX (C6.2 "UBFX", an
   * alias of UBFM; {@code LoweringDriver.shiftFoldsIntoBitField}, which Lowering also asks, so the
   * shift is not lowered), or one LSR when the field reaches the top bit and the mask changes nothing.
   */
  private void bitField(int inst, LoweringDriver.BitField f) {
    boolean w = wide(inst);
    int size = w ? 64 : 32;
    l.add("ubfx", List.of(useReg(f.source()), defReg(l.result(inst))), (c, a) -> {
      if (f.lsb() + f.width() == size) {
        c.asm(w ? Form.LSR_X_IMM : Form.LSR_W_IMM, gpr(a, 1), gpr(a, 0), UImm.of(f.lsb()));
      } else {
        c.asm(w ? Form.UBFX_X : Form.UBFX_W, gpr(a, 1), gpr(a, 0), UImm.of(f.lsb()), UImm.of(f.width()));
      }
    });
  }

  /**
   * The flags of {@code x & y} for an and used only as a condition ({@code
   * LoweringDriver.andFoldsIntoTest}): one TST (an ANDS that discards its result, C6.2 "TST
   * (shifted register)", "TST (immediate)"), with a constant as its bitmask immediate when it is
   * one. Non-zero is NE.
   */
  @Override
  public Flags<EmitContext, Cond> andTestFlags(int inst) {
    boolean w = wide(inst);
    LoweringDriver.Operands xy = l.constantSecond(inst);
    return l.operandFlags(xy.x(), xy.y(), constant(xy.y(), w).flatMap(k -> LogicalImm.of(k, w)),
        (c, a, at, imm) -> c.asm(w ? Form.TST_X_IMM : Form.TST_W_IMM, gpr(a, at), imm),
        (c, a, at) -> c.asm(w ? Form.TST_X : Form.TST_W, gpr(a, at), gpr(a, at + 1)), Cond.NE);
  }

  /**
   * {@code x & ~y} where the not has no other use: one bic, the not not lowered ({@code
   * LoweringDriver.notFoldsIntoAnd}, which Lowering also asks). Otherwise an and.
   */
  private void and(int inst) {
    LoweringDriver.BitField field = l.bitField(inst);
    if (field != null) {
      bitField(inst, field);
      return;
    }
    LoweringDriver.AndNot n = l.andNot(inst);
    if (n == null) {
      logical(inst, Alu.AND, Form.AND_W_IMM, Form.AND_X_IMM);
      return;
    }
    Form form = wide(inst) ? Form.BIC_X : Form.BIC_W;
    l.add("bic", List.of(useReg(n.kept()), useReg(n.inverted()), defReg(l.result(inst))),
        (c, a) -> c.asm(form, gpr(a, 2), gpr(a, 0), gpr(a, 1)));
  }

  /**
   * An and, or or xor with a register, with a shift folded into its second operand ({@link
   * #shiftedLogical}), or, when it has one, with a logical immediate (C6.2 AND (immediate)); a xor
   * with all ones, which no logical immediate encodes, is one mvn.
   */
  private void logical(int inst, Alu alu, Form immW, Form immX) {
    boolean w = wide(inst);
    LoweringDriver.ShiftedOperand shifted = l.shiftedLogical(inst);
    if (shifted != null) {
      shiftedLogical(inst, alu, shifted);
      return;
    }
    LoweringDriver.Operands operands = l.constantSecond(inst);
    int x = operands.x();
    int y = operands.y();
    Optional<Long> k = constant(y, w);
    if (alu == Alu.XOR && k.isPresent() && k.get() == (w ? -1L : 0xFFFF_FFFFL)) {
      l.add("mvn", List.of(useReg(l.use(x)), defReg(l.result(inst))),
          (c, a) -> c.asm(w ? Form.MVN_X : Form.MVN_W, gpr(a, 1), gpr(a, 0)));
      return;
    }
    if (k.isPresent()) {
      Optional<LogicalImm> imm = LogicalImm.of(k.get(), w);
      if (imm.isPresent()) {
        VReg d = l.result(inst);
        LogicalImm i = imm.get();
        l.add(alu.text, List.of(useReg(l.use(x)), defReg(d)),
            (c, a) -> c.asm(w ? immX : immW, gpr(a, 1), gpr(a, 0), i));
        return;
      }
    }
    binaryRegs(inst, alu, x, y);
  }

  /**
   * {@code other OP shift(shifted, k)} with the shift or rotate, used nowhere else, as the second
   * operand's shift of one shifted-register instruction (C6.2 "AND (shifted register)", "ORR
   * (shifted register)", "EOR (shifted register)": LSL, LSR, ASR or ROR by 1 to size - 1;
   * {@code LoweringDriver.shiftFoldsIntoLogical}, which Lowering also asks, so the shift is not
   * lowered). A left rotate by k is a right rotate by size - k.
   */
  private void shiftedLogical(int inst, Alu alu, LoweringDriver.ShiftedOperand s) {
    boolean w = wide(inst);
    int size = w ? 64 : 32;
    int kind = switch (s.shift()) {
      case ISHL -> 0;
      case USHR -> 1;
      case SSHR -> 2;
      case ROTR, ROTL -> 3;
      default -> throw new IllegalArgumentException("not a shift: " + s.shift());
    };
    int amount = s.shift() == Opcode.ROTL ? size - s.amount() : s.amount();
    Form form = SHIFTED_LOGICAL.get(alu)[2 * kind + (w ? 1 : 0)];
    l.add(dfg.opcode(inst).text(), List.of(useReg(s.other()), useReg(s.shifted()), defReg(l.result(inst))),
        (c, a) -> c.asm(form, gpr(a, 2), gpr(a, 0), gpr(a, 1), UImm.of(amount)));
  }

  private void binary(int inst, Alu alu) {
    LoweringDriver.Operands operands = l.operands(inst, alu.commutative);
    int x = operands.x();
    int y = operands.y();
    binaryRegs(inst, alu, x, y);
  }

  private void binaryRegs(int inst, Alu alu, int x, int y) {
    Form form = alu.form(wide(inst));
    VReg d = l.result(inst);
    l.add(dfg.opcode(inst).text(), List.of(useReg(l.use(x)), useReg(l.use(y)), defReg(d)),
        (c, a) -> c.asm(form, gpr(a, 2), gpr(a, 0), gpr(a, 1)));
  }

  /**
   * Shifts and rotates. The register forms use the count modulo the register size (Arm ARM C6.2
   * "LSLV": "remainder of Rm divided by the data size"), exactly wasm's rule; a constant count is
   * reduced the same way, and a count of 0 is a move.
   */
  private void shift(int inst, Alu alu, Form immW, Form immX) {
    boolean w = wide(inst);
    int x = dfg.arg(inst, 0);
    int y = dfg.arg(inst, 1);
    if (l.isConst(y)) {
      int count = (int) (l.constValue(y) & (w ? 63 : 31));
      shiftImm(inst, x, count, w ? immX : immW);
      return;
    }
    binaryRegs(inst, alu, x, y);
  }

  private void shiftImm(int inst, int x, int count, Form form) {
    boolean w = wide(inst);
    VReg d = l.result(inst);
    l.add(dfg.opcode(inst).text(), List.of(useReg(l.use(x)), defReg(d)), (c, a) -> {
      if (count == 0) {
        c.asm(w ? Form.MOV_X : Form.MOV_W, gpr(a, 1), gpr(a, 0));
      } else {
        c.asm(form, gpr(a, 1), gpr(a, 0), UImm.of(count));
      }
    });
  }

  /** rotl(x, n) = rotr(x, -n): there is no rotate left (Arm ARM C6.2 "ROR (register)"). */
  private void rotl(int inst) {
    boolean w = wide(inst);
    int size = w ? 64 : 32;
    int x = dfg.arg(inst, 0);
    int y = dfg.arg(inst, 1);
    if (l.isConst(y)) {
      int count = (int) ((size - (l.constValue(y) & (size - 1))) & (size - 1));
      shiftImm(inst, x, count, w ? Form.ROR_X_IMM : Form.ROR_W_IMM);
      return;
    }
    VReg d = l.result(inst);
    l.add("rotl", List.of(useReg(l.use(x)), useReg(l.use(y)), defReg(d)), (c, a) -> {
      Gpr negated = WasmCallConv.SCRATCH0;
      c.asm(w ? Form.NEG_X : Form.NEG_W, negated, gpr(a, 1));
      c.asm(w ? Form.ROR_X : Form.ROR_W, gpr(a, 2), gpr(a, 0), negated);
    });
  }

  /**
   * Division with wasm's traps checked first. SDIV/UDIV never fault (Arm ARM C6.2 "SDIV": a zero
   * divisor gives 0, INT_MIN / -1 gives INT_MIN), so the checks are wasm's: a zero divisor raises
   * int_divz; a signed quotient of INT_MIN by -1 raises int_ovf, found by {@code cmn d, #1} (Z when
   * the divisor is -1) and {@code ccmp n, #1, #0, eq} (V when n - 1 overflows, i.e. n is INT_MIN).
   * Remainders are {@code n - (n / d) * d} with MSUB; INT_MIN rem -1 comes out 0 as wasm wants.
   */
  private void divide(int inst, Opcode op) {
    boolean w = wide(inst);
    boolean signed = op == Opcode.SDIV || op == Opcode.SREM;
    boolean rem = op == Opcode.SREM || op == Opcode.UREM;
    VReg dividend = l.use(dfg.arg(inst, 0));
    VReg divisor = l.use(dfg.arg(inst, 1));
    VReg d = l.result(inst);
    Form div = signed ? (w ? Form.SDIV_X : Form.SDIV_W) : (w ? Form.UDIV_X : Form.UDIV_W);
    List<Operand> ops = List.of(useReg(dividend), useReg(divisor), useReg(l.vmctx()), defReg(d));
    l.add(op.text(), ops, (c, a) -> {
      Gpr n = gpr(a, 0);
      Gpr m = gpr(a, 1);
      Gpr vm = gpr(a, 2);
      Gpr dst = gpr(a, 3);
      c.asm(w ? Form.CBZ_X : Form.CBZ_W, m,
          Target.label(c.trapLabel(TrapCode.INTEGER_DIVISION_BY_ZERO, vm)));
      if (signed && !rem) {
        c.asm(w ? Form.CMN_X_IMM : Form.CMN_W_IMM, m, AddSubImm.require(1));
        c.asm(w ? Form.CCMP_X_IMM : Form.CCMP_W_IMM, n, UImm.of(1), UImm.of(0), Cond.EQ);
        c.asm(Form.B_COND, Cond.VS, Target.label(c.trapLabel(TrapCode.INTEGER_OVERFLOW, vm)));
      }
      if (rem) {
        Gpr q = WasmCallConv.SCRATCH0;
        c.asm(div, q, n, m);
        c.asm(w ? Form.MSUB_X : Form.MSUB_W, dst, q, m, n);
      } else {
        c.asm(div, dst, n, m);
      }
    });
  }

  private void unary(int inst, Form form) {
    l.unary(inst, (c, a) -> c.asm(form, gpr(a, 1), gpr(a, 0)));
  }

  /** ctz = clz(rbit(x)) (Arm ARM C6.2 "RBIT", "CLZ"). */
  private void ctz(int inst) {
    boolean w = wide(inst);
    VReg x = l.use(dfg.arg(inst, 0));
    VReg d = l.result(inst);
    l.add("ctz", List.of(useReg(x), defReg(d)), (c, a) -> {
      c.asm(w ? Form.RBIT_X : Form.RBIT_W, gpr(a, 1), gpr(a, 0));
      c.asm(w ? Form.CLZ_X : Form.CLZ_W, gpr(a, 1), gpr(a, 1));
    });
  }

  /**
   * Population count through Advanced SIMD, as Cranelift does: the value moved into the scratch
   * vector register (FMOV zeroes the rest of it), CNT counts the bits of each byte and ADDV sums
   * the eight counts into byte 0, again zeroing the rest, so FMOV back gives the count (Arm ARM C7.2
   * "FMOV (general)", "CNT", "ADDV"). Four instructions where the general-register bit trick was
   * sixteen, four of them rebuilding its 0x0101... multiplier every time (red team 33 F1: 64 bytes of
   * code per one-byte {@code i64.popcnt}).
   */
  private void popcount(int inst) {
    boolean w = wide(inst);
    FpReg v = WasmCallConv.FLOAT_SCRATCH;
    l.add("popcnt", List.of(useReg(l.use(dfg.arg(inst, 0))), defReg(l.result(inst))), (c, a) -> {
      c.asm(w ? Form.FMOV_D_X : Form.FMOV_S_W, v, gpr(a, 0));
      c.asm(Form.CNT_V, v, v, VArr.B8);
      c.asm(Form.ADDV, v, v, VArr.B8);
      c.asm(Form.FMOV_W_S, gpr(a, 1), v);
    });
  }

  // ------------------------------------------------------------------ compares and selects

  /** cmp x, y (or x, #imm12) with the condition for {@code x cc y}. */
  @Override
  public Flags<EmitContext, Cond> compareFlags(IntCC cc, int x, int y) {
    boolean w = l.type(x) == Type.I64;
    return l.operandFlags(x, y, constant(y, w).flatMap(AddSubImm::of),
        (c, a, at, imm) -> c.asm(w ? Form.CMP_X_IMM : Form.CMP_W_IMM, gpr(a, at), imm),
        (c, a, at) -> c.asm(w ? Form.CMP_X : Form.CMP_W, gpr(a, at), gpr(a, at + 1)), Lowering.cond(cc));
  }

  /** A 0/1 result: the flags, then CSET. */
  void setcc(int inst, Flags<EmitContext, Cond> f) {
    l.consumeFlags(dfg.opcode(inst).text(), f, f.cc(), defReg(l.result(inst)),
        (c, a, at, cc) -> c.asm(Form.CSET_W, gpr(a, at), cc));
  }

  /** d = cond ? x : y with CSEL. */
  private void select(int inst) {
    boolean w = wide(inst);
    Flags<EmitContext, Cond> f = l.flagsOf(dfg.arg(inst, 0));
    List<Operand> ops = l.selectOperands(inst, f.inputs(), (result, first) -> defReg(result));
    int at = f.inputs().size();
    l.add("select", ops, (c, a) -> {
      f.setter().emit(c, a, 0);
      c.asm(w ? Form.CSEL_X : Form.CSEL_W, gpr(a, at + 2), gpr(a, at), gpr(a, at + 1), f.cc());
    });
  }
}
