package dev.kiln.codegen.aarch64.lower;

import static dev.kiln.codegen.aarch64.lower.Lowering.fpr;
import static dev.kiln.codegen.aarch64.lower.Lowering.gpr;
import static dev.kiln.codegen.regalloc.Operand.defReg;
import static dev.kiln.codegen.regalloc.Operand.useReg;

import dev.kiln.codegen.UnsupportedLoweringException;
import dev.kiln.codegen.aarch64.abi.WasmCallConv;
import dev.kiln.codegen.aarch64.asm.Cond;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.LogicalImm;
import dev.kiln.codegen.aarch64.asm.Target;
import dev.kiln.codegen.lower.FamilyLowering;
import dev.kiln.codegen.lower.Flags;
import dev.kiln.codegen.lower.LowerBackend;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.ir.FloatCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import java.util.List;

/**
 * Lowering of the IR float operators with wasm semantics (spec section 4.3.3). AArch64's scalar FP
 * instructions already are wasm's: FMIN/FMAX return NaN when either input is NaN and order -0 below
 * +0 (Arm ARM C7.2 "FMIN (scalar)"); FRINTN/P/M/Z round to nearest-even, up, down, toward zero;
 * FCVTZS/FCVTZU saturate and give 0 for NaN, which is exactly {@code trunc_sat}; the trapping
 * truncations add explicit NaN and range checks in front. Generated NaNs are the default NaN
 * (positive quiet, canonical in wasm's sense) and NaN inputs propagate quieted (arithmetic).
 */
final class FloatLowering extends FamilyLowering<Lowering> implements LowerBackend.FloatFamily<EmitContext, Cond> {

  FloatLowering(Lowering l) {
    super(l);
  }

  @Override
  public void lower(int inst) {
    Opcode op = dfg.opcode(inst);
    Type t = dfg.ctrlType(inst);
    boolean d = t == Type.F64;
    switch (op) {
      case FADD -> binary(inst, d ? Form.FADD_D : Form.FADD_S);
      case FSUB -> binary(inst, d ? Form.FSUB_D : Form.FSUB_S);
      case FMUL -> binary(inst, d ? Form.FMUL_D : Form.FMUL_S);
      case FDIV -> binary(inst, d ? Form.FDIV_D : Form.FDIV_S);
      case FMIN -> binary(inst, d ? Form.FMIN_D : Form.FMIN_S);
      case FMAX -> binary(inst, d ? Form.FMAX_D : Form.FMAX_S);
      case FCOPYSIGN -> copysign(inst, d);
      case SQRT -> unary(inst, d ? Form.FSQRT_D : Form.FSQRT_S);
      case CEIL -> unary(inst, d ? Form.FRINTP_D : Form.FRINTP_S);
      case FLOOR -> unary(inst, d ? Form.FRINTM_D : Form.FRINTM_S);
      case TRUNC -> unary(inst, d ? Form.FRINTZ_D : Form.FRINTZ_S);
      case NEAREST -> unary(inst, d ? Form.FRINTN_D : Form.FRINTN_S);
      case FABS -> unary(inst, d ? Form.FABS_D : Form.FABS_S);
      case FNEG -> unary(inst, d ? Form.FNEG_D : Form.FNEG_S);
      case FPROMOTE -> unary(inst, Form.FCVT_D_S);
      case FDEMOTE -> unary(inst, Form.FCVT_S_D);
      case FCVT_FROM_SINT, FCVT_FROM_UINT -> fromInt(inst, op == Opcode.FCVT_FROM_SINT);
      case FCVT_TO_SINT_SAT, FCVT_TO_UINT_SAT -> unary(inst,
          toIntForm(op == Opcode.FCVT_TO_SINT_SAT, l.type(dfg.arg(inst, 0)), t));
      case FCVT_TO_SINT, FCVT_TO_UINT -> trappingTrunc(inst, op == Opcode.FCVT_TO_SINT);
      case BITCAST -> bitcast(inst);
      case SELECT -> select(inst);
      default -> throw unsupported(inst);
    }
  }

  /** {@code t = value} (raw bits of an f32/f64) through x16 and FMOV (general). */
  @Override
  public void materialize(VReg t, Type type, long bits) {
    boolean d = type == Type.F64;
    l.add(d ? "f64const" : "f32const", List.of(defReg(t)), (c, a) -> {
      if (bits == 0) {
        c.asm(d ? Form.FMOV_D_X : Form.FMOV_S_W, fpr(a, 0), Gpr.ZR);
        return;
      }
      c.movConst(WasmCallConv.SCRATCH0, d, bits);
      c.asm(d ? Form.FMOV_D_X : Form.FMOV_S_W, fpr(a, 0), WasmCallConv.SCRATCH0);
    });
  }

  private void binary(int inst, Form form) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg r = l.result(inst);
    l.add(dfg.opcode(inst).text(), List.of(useReg(x), useReg(y), defReg(r)),
        (c, a) -> c.asm(form, fpr(a, 2), fpr(a, 0), fpr(a, 1)));
  }

  /** One input, one output; the register file of each comes from the form's views. */
  private void unary(int inst, Form form) {
    boolean outInt = form.views().charAt(0) == 'w' || form.views().charAt(0) == 'x';
    boolean inInt = form.views().charAt(1) == 'w' || form.views().charAt(1) == 'x';
    l.unary(inst, (c, a) -> c.asm(form,
        outInt ? gpr(a, 1) : fpr(a, 1), inInt ? gpr(a, 0) : fpr(a, 0)));
  }

  /**
   * copysign through the general registers: magnitude bits of x, sign bit of y (both masks are
   * bitmask immediates), ORed and moved back.
   */
  private void copysign(int inst, boolean d) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg r = l.result(inst);
    l.add("fcopysign", List.of(useReg(x), useReg(y), defReg(r)), (c, a) -> {
      Gpr mag = WasmCallConv.SCRATCH0;
      Gpr sign = WasmCallConv.SCRATCH1;
      c.asm(d ? Form.FMOV_X_D : Form.FMOV_W_S, mag, fpr(a, 0));
      c.asm(d ? Form.FMOV_X_D : Form.FMOV_W_S, sign, fpr(a, 1));
      c.asm(d ? Form.AND_X_IMM : Form.AND_W_IMM, mag, mag,
          LogicalImm.require(d ? Long.MAX_VALUE : 0x7FFF_FFFFL, d));
      c.asm(d ? Form.AND_X_IMM : Form.AND_W_IMM, sign, sign,
          LogicalImm.require(d ? Long.MIN_VALUE : 0x8000_0000L, d));
      c.asm(d ? Form.ORR_X : Form.ORR_W, mag, mag, sign);
      c.asm(d ? Form.FMOV_D_X : Form.FMOV_S_W, fpr(a, 2), mag);
    });
  }

  private void fromInt(int inst, boolean signed) {
    Type in = l.type(dfg.arg(inst, 0));
    boolean d = dfg.ctrlType(inst) == Type.F64;
    boolean wideIn = in == Type.I64;
    Form form = signed
        ? (d ? (wideIn ? Form.SCVTF_D_X : Form.SCVTF_D_W) : (wideIn ? Form.SCVTF_S_X : Form.SCVTF_S_W))
        : (d ? (wideIn ? Form.UCVTF_D_X : Form.UCVTF_D_W) : (wideIn ? Form.UCVTF_S_X : Form.UCVTF_S_W));
    unary(inst, form);
  }

  private static Form toIntForm(boolean signed, Type in, Type out) {
    boolean d = in == Type.F64;
    boolean x = out == Type.I64;
    if (signed) {
      return d ? (x ? Form.FCVTZS_X_D : Form.FCVTZS_W_D) : (x ? Form.FCVTZS_X_S : Form.FCVTZS_W_S);
    }
    return d ? (x ? Form.FCVTZU_X_D : Form.FCVTZU_W_D) : (x ? Form.FCVTZU_X_S : Form.FCVTZU_W_S);
  }

  /**
   * The trapping truncations (spec 4.3.3, trunc): NaN raises bad_toint; a value whose truncation is
   * outside the result range raises int_ovf; otherwise FCVTZS/FCVTZU is exact. The range is an open
   * or half-open interval of exactly representable bounds, compared in the input's precision:
   * signed i32 from f64: (-2^31 - 1, 2^31); signed from f32 and signed i64: [-2^31 or -2^63, 2^31
   * or 2^63); unsigned: (-1, 2^32 or 2^64).
   */
  private void trappingTrunc(int inst, boolean signed) {
    Type in = l.type(dfg.arg(inst, 0));
    Type out = dfg.ctrlType(inst);
    boolean d = in == Type.F64;
    int bits = out == Type.I64 ? 64 : 32;
    double upper = signed ? Math.scalb(1.0, bits - 1) : Math.scalb(1.0, bits);
    double lower;
    Cond trapBelow;
    if (!signed) {
      lower = -1.0;
      trapBelow = Cond.LS; // x <= -1
    } else if (bits == 32 && d) {
      lower = -Math.scalb(1.0, 31) - 1.0;
      trapBelow = Cond.LS; // x <= -2^31 - 1
    } else {
      lower = -Math.scalb(1.0, bits - 1);
      trapBelow = Cond.MI; // x < -2^bits-1 (ordered: NaN was excluded first)
    }
    Form convert = toIntForm(signed, in, out);
    VReg x = l.use(dfg.arg(inst, 0));
    VReg r = l.result(inst);
    l.add(dfg.opcode(inst).text(), List.of(useReg(x), useReg(l.vmctx()), defReg(r)), (c, a) -> {
      FpReg src = fpr(a, 0);
      Gpr vm = gpr(a, 1);
      FpReg bound = WasmCallConv.FLOAT_SCRATCH;
      Form cmp = d ? Form.FCMP_D : Form.FCMP_S;
      c.asm(cmp, src, src);
      c.asm(Form.B_COND, Cond.VS, Target.label(c.trapLabel(TrapCode.BAD_CONVERSION_TO_INTEGER, vm)));
      loadBound(c, bound, d, lower);
      c.asm(cmp, src, bound);
      c.asm(Form.B_COND, trapBelow, Target.label(c.trapLabel(TrapCode.INTEGER_OVERFLOW, vm)));
      loadBound(c, bound, d, upper);
      c.asm(cmp, src, bound);
      c.asm(Form.B_COND, Cond.GE, Target.label(c.trapLabel(TrapCode.INTEGER_OVERFLOW, vm)));
      c.asm(convert, gpr(a, 2), src);
    });
  }

  private static void loadBound(EmitContext c, FpReg into, boolean d, double value) {
    long bits = d ? Double.doubleToRawLongBits(value) : Float.floatToRawIntBits((float) value);
    c.movConst(WasmCallConv.SCRATCH0, d, bits);
    c.asm(d ? Form.FMOV_D_X : Form.FMOV_S_W, into, WasmCallConv.SCRATCH0);
  }

  private void bitcast(int inst) {
    Type in = l.type(dfg.arg(inst, 0));
    Form form = switch (dfg.ctrlType(inst)) {
      case I32 -> Form.FMOV_W_S;
      case I64 -> Form.FMOV_X_D;
      case F32 -> Form.FMOV_S_W;
      case F64 -> Form.FMOV_D_X;
      case V128 -> throw new UnsupportedLoweringException("v128 bitcast", dfg.sourceLoc(inst));
    };
    if (in == dfg.ctrlType(inst)) {
      throw new IllegalArgumentException("bitcast to the same type " + in);
    }
    unary(inst, form);
  }

  /**
   * The flags of an FP compare and the condition true for {@code x cc y} (Arm ARM C7.2 "FCMP":
   * less N, equal ZC, greater C, unordered CV): lt is MI and le LS, which are false when unordered;
   * gt and ge are GT and GE, false when unordered since V is set; ne is NE, true when unordered.
   */
  @Override
  public Flags<EmitContext, Cond> compareFlags(FloatCC cc, int x, int y) {
    boolean d = l.type(x) == Type.F64;
    Cond cond = switch (cc) {
      case EQ -> Cond.EQ;
      case NE -> Cond.NE;
      case LT -> Cond.MI;
      case LE -> Cond.LS;
      case GT -> Cond.GT;
      case GE -> Cond.GE;
      case ORD -> Cond.VC;
      case UNO -> Cond.VS;
    };
    return new Flags<>(List.of(l.use(x), l.use(y)),
        (c, a, at) -> c.asm(d ? Form.FCMP_D : Form.FCMP_S, fpr(a, at), fpr(a, at + 1)), cond);
  }

  /** d = cond ? x : y with FCSEL. */
  private void select(int inst) {
    boolean d = dfg.ctrlType(inst) == Type.F64;
    Flags<EmitContext, Cond> f = l.flagsOf(dfg.arg(inst, 0));
    List<Operand> ops = l.selectOperands(inst, f.inputs(), (result, first) -> defReg(result));
    int at = f.inputs().size();
    l.add("select", ops, (c, a) -> {
      f.setter().emit(c, a, 0);
      c.asm(d ? Form.FCSEL_D : Form.FCSEL_S, fpr(a, at + 2), fpr(a, at), fpr(a, at + 1), f.cc());
    });
  }
}
