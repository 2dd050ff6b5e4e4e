package dev.kiln.codegen.x64.lower;

import static dev.kiln.codegen.regalloc.Operand.defReg;
import static dev.kiln.codegen.regalloc.Operand.defReuse;
import static dev.kiln.codegen.regalloc.Operand.useReg;
import static dev.kiln.codegen.x64.lower.Lowering.gpr;
import static dev.kiln.codegen.x64.lower.Lowering.xmm;

import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.lower.FamilyLowering;
import dev.kiln.codegen.lower.Flags;
import dev.kiln.codegen.lower.LowerBackend;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.OperandConstraint;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.x64.abi.WasmCallConv;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.ShiftForm;
import dev.kiln.codegen.x64.asm.forms.SseForm;
import dev.kiln.ir.FloatCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowering of f32/f64 arithmetic, comparisons, selects, conversions and reinterpretations to scalar
 * SSE2 (SSE4.1 ROUNDSS/ROUNDSD when {@link dev.kiln.artifact.compat.X64Feature#SSE4_1} is present), with wasm's
 * semantics (spec 4.3.3, 4.3.4) wherever the hardware's differ:
 * <ul>
 *   <li>MINSS/MAXSS return the second operand when either is NaN or both are zeros (SDM Vol. 2B
 *       "MINSS"); wasm wants NaN and -0 &lt; +0. A compare routes the equal case to OR (min) or AND
 *       (max) of the bits and the unordered case to an ADD, which propagates a quieted NaN.</li>
 *   <li>CVTTSS2SI returns the "integer indefinite" value 1 &lt;&lt; (n-1) for NaN and out-of-range
 *       inputs (SDM Vol. 2A "CVTTSS2SI"); that value is checked and the input classified for the
 *       trap (NaN: invalid conversion, else overflow) or the saturated result. Unsigned results use
 *       the 64-bit signed conversion (i32) or a subtract-2^63 path (i64).</li>
 *   <li>Integer-to-float conversions of unsigned 64-bit values halve the value with a sticky bit.</li>
 *   <li>abs, neg and copysign are bit operations, so NaN payloads are kept: abs and f32 neg on a
 *       general-purpose copy in r11 (which the allocator never hands out), f64 neg and copysign
 *       with pool masks in the xmm registers (the f64 sign bit is no imm32).</li>
 * </ul>
 * Arithmetic NaN results come from the hardware: SSE propagates a quieted input NaN or produces
 * the default NaN, both arithmetic NaNs as wasm requires (spec 4.3.3 "NaN propagation").
 *
 * <p>Float constants are moved through r11 ({@code mov $bits, %r11; movq %r11, %xmm}), or made with
 * {@code xorps} for +0. That keeps code free of data and relocations (no constant pool to place,
 * align and reach RIP-relatively) at the price of one more instruction than a pool load; constants
 * are rematerialized at each use, like integer ones, so they hold no register across a loop.
 */
final class FloatLowering extends FamilyLowering<Lowering> implements LowerBackend.FloatFamily<EmitContext, Cond> {
  /** The forms of one float width (SDM Vol. 2A/2B, each instruction's page). */
  enum Width {
    F32(SseForm.ADDSS_RM, SseForm.SUBSS_RM, SseForm.MULSS_RM, SseForm.DIVSS_RM, SseForm.MINSS_RM,
        SseForm.MAXSS_RM, SseForm.SQRTSS_RM, SseForm.UCOMISS_RM, SseForm.ROUNDSS_RMI,
        SseForm.CVTSI2SSL_RM, SseForm.CVTSI2SSQ_RM, SseForm.CVTTSS2SIL_RM, SseForm.CVTTSS2SIQ_RM,
        SseForm.MOVD_FROM_XMM, SseForm.MOVD_TO_XMM, SseForm.ANDPS_RM, SseForm.ORPS_RM, 32),
    F64(SseForm.ADDSD_RM, SseForm.SUBSD_RM, SseForm.MULSD_RM, SseForm.DIVSD_RM, SseForm.MINSD_RM,
        SseForm.MAXSD_RM, SseForm.SQRTSD_RM, SseForm.UCOMISD_RM, SseForm.ROUNDSD_RMI,
        SseForm.CVTSI2SDL_RM, SseForm.CVTSI2SDQ_RM, SseForm.CVTTSD2SIL_RM, SseForm.CVTTSD2SIQ_RM,
        SseForm.MOVQ_FROM_XMM, SseForm.MOVQ_TO_XMM, SseForm.ANDPD_RM, SseForm.ORPD_RM, 64);

    final Form add;
    final Form sub;
    final Form mul;
    final Form div;
    final Form min;
    final Form max;
    final Form sqrt;
    final Form ucomis;
    final Form round;
    final Form fromI32;
    final Form fromI64;
    final Form toI32;
    final Form toI64;
    final Form toBits;
    final Form fromBits;
    final Form and;
    final Form or;
    final int bits;

    Width(Form add, Form sub, Form mul, Form div, Form min, Form max, Form sqrt, Form ucomis,
        Form round, Form fromI32, Form fromI64, Form toI32, Form toI64, Form toBits,
        Form fromBits, Form and, Form or, int bits) {
      this.add = add;
      this.sub = sub;
      this.mul = mul;
      this.div = div;
      this.min = min;
      this.max = max;
      this.sqrt = sqrt;
      this.ucomis = ucomis;
      this.round = round;
      this.fromI32 = fromI32;
      this.fromI64 = fromI64;
      this.toI32 = toI32;
      this.toI64 = toI64;
      this.toBits = toBits;
      this.fromBits = fromBits;
      this.and = and;
      this.or = or;
      this.bits = bits;
    }

    static Width of(Type t) {
      return switch (t) {
        case F32 -> F32;
        case F64 -> F64;
        default -> throw new IllegalArgumentException("not a float type: " + t);
      };
    }

    /** The bits of {@code value} in this width (f32: the float's bits, zero-extended). */
    long bitsOf(double value) {
      return this == F32 ? Integer.toUnsignedLong(Float.floatToRawIntBits((float) value))
          : Double.doubleToRawLongBits(value);
    }

    Type intType() {
      return this == F32 ? Type.I32 : Type.I64;
    }
  }

  /** ROUNDSS/ROUNDSD immediate: bits 1:0 the mode, bit 3 suppresses the precision exception. */
  private enum Rounding {
    NEAREST(0), FLOOR(1), CEIL(2), TRUNC(3);

    final int imm;

    Rounding(int mode) {
      this.imm = 8 | mode;
    }
  }

  private static final Gpr T0 = WasmCallConv.SCRATCH0;
  /** The FLOAT class's scratch register: free inside one instruction. */
  private static final Xmm TMP = WasmCallConv.FLOAT_SCRATCH;

  FloatLowering(Lowering l) {
    super(l);
  }

  /**
   * Whether an fcmp with {@code cc} can hand one condition code to its consumer. UCOMISS sets
   * ZF, PF, CF to 1,1,1 for unordered (SDM Vol. 2B "UCOMISS"), so eq needs ZF=1 and PF=0 and ne
   * either; those two are materialized instead.
   */
  static boolean fusible(FloatCC cc) {
    return cc != FloatCC.EQ && cc != FloatCC.NE;
  }

  @Override
  public void lower(int inst) {
    Opcode op = dfg.opcode(inst);
    switch (op) {
      case FADD -> twoAddress(inst, width(inst).add);
      case FSUB -> twoAddress(inst, width(inst).sub);
      case FMUL -> twoAddress(inst, width(inst).mul);
      case FDIV -> twoAddress(inst, width(inst).div);
      case FMIN, FMAX -> minMax(inst, op == Opcode.FMIN);
      case FCOPYSIGN -> copysign(inst);
      case FABS, FNEG -> signBit(inst, op == Opcode.FNEG);
      case SQRT -> {
        Form f = width(inst).sqrt;
        unary(inst, (c, d, x) -> c.asm(f, d, x));
      }
      case CEIL -> round(inst, Rounding.CEIL);
      case FLOOR -> round(inst, Rounding.FLOOR);
      case TRUNC -> round(inst, Rounding.TRUNC);
      case NEAREST -> round(inst, Rounding.NEAREST);
      case FCMP -> compare(inst);
      case SELECT -> select(inst);
      case FPROMOTE -> unary(inst, (c, d, x) -> c.asm(SseForm.CVTSS2SD_RM, d, x));
      case FDEMOTE -> unary(inst, (c, d, x) -> c.asm(SseForm.CVTSD2SS_RM, d, x));
      case BITCAST -> bitcast(inst);
      case FCVT_FROM_SINT, FCVT_FROM_UINT -> fromInt(inst, op == Opcode.FCVT_FROM_SINT);
      case FCVT_TO_SINT -> toSigned(inst);
      case FCVT_TO_UINT -> toUnsigned(inst);
      case FCVT_TO_SINT_SAT -> toSignedSaturating(inst);
      case FCVT_TO_UINT_SAT -> toUnsignedSaturating(inst);
      default -> throw unsupported(inst);
    }
  }

  private Width width(int inst) {
    return Width.of(dfg.ctrlType(inst));
  }

  private Width operandWidth(int inst) {
    return Width.of(dfg.valueType(dfg.resolveAliases(dfg.arg(inst, 0))));
  }

  private VReg floatTemp() {
    return l.vcode().newVReg(RegClass.FLOAT);
  }

  private static Operand early(VReg v) {
    return Operand.earlyDef(v, OperandConstraint.REG);
  }

  private static LabelTarget to(Label label) {
    return new LabelTarget(label);
  }

  // ------------------------------------------------------------------ constants

  /** Puts the float with bits {@code bits} of type {@code type} into {@code t}. */
  @Override
  public void materialize(VReg t, Type type, long bits) {
    Width w = Width.of(type);
    l.add("fconst", List.of(defReg(t)), (c, a) -> loadConst(c, xmm(a, 0), w, bits));
  }

  /** xorps for +0 (SDM: the zeroing idiom breaks the dependency), else through r11. */
  static void loadConst(EmitContext c, Xmm dst, Width w, long bits) {
    if (bits == 0) {
      c.asm(SseForm.XORPS_RM, dst, dst);
      return;
    }
    IntLowering.emitConst(c, T0, w.intType(), bits);
    c.asm(w.fromBits, dst, T0);
  }

  // ------------------------------------------------------------------ arithmetic

  /** d = x op y as d := x; op d, y (SSE scalar arithmetic is two-address). */
  private void twoAddress(int inst, Form form) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg d = l.result(inst);
    l.add(dfg.opcode(inst).text(), List.of(useReg(x), useReg(y), defReuse(d, 0)),
        (c, a) -> c.asm(form, xmm(a, 2), xmm(a, 1)));
  }

  @FunctionalInterface
  private interface UnaryEmitter {
    void emit(EmitContext c, Xmm d, Xmm x);
  }

  private void unary(int inst, UnaryEmitter e) {
    l.unary(inst, (c, a) -> e.emit(c, xmm(a, 1), xmm(a, 0)));
  }

  /**
   * wasm fmin/fmax: d := x; ucomis y, d; ordered and unequal: MINSS/MAXSS is right; equal (only
   * ±0 can differ): OR of the bits gives -0 for min, AND gives +0 for max; unordered: ADD returns
   * a quieted NaN operand.
   */
  private void minMax(int inst, boolean min) {
    Width w = width(inst);
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg d = l.result(inst);
    l.add(min ? "fmin" : "fmax", List.of(useReg(x), useReg(y), defReuse(d, 0)), (c, a) -> {
      Xmm dst = xmm(a, 2);
      Xmm src = xmm(a, 1);
      Label unequal = c.newLabel();
      Label nan = c.newLabel();
      Label done = c.newLabel();
      c.asm(w.ucomis, dst, src);
      c.asm(ControlForm.JCC_REL32, Cond.NE, to(unequal));
      c.asm(ControlForm.JCC_REL32, Cond.P, to(nan));
      c.asm(min ? w.or : w.and, dst, src);
      c.asm(ControlForm.JMP_REL32, to(done));
      c.bind(nan);
      c.asm(w.add, dst, src);
      c.asm(ControlForm.JMP_REL32, to(done));
      c.bind(unequal);
      c.asm(min ? w.min : w.max, dst, src);
      c.bind(done);
    });
  }

  /** Shifts in the general-purpose registers of width {@code w}. */
  private static Form shl(Width w) {
    return w == Width.F32 ? ShiftForm.SHLL_MI
        : ShiftForm.SHLQ_MI;
  }

  private static Form shr(Width w) {
    return w == Width.F32 ? ShiftForm.SHRL_MI
        : ShiftForm.SHRQ_MI;
  }

  /** T0 := the bits of {@code x} with the sign bit cleared. */
  private static void magnitudeBits(EmitContext c, Width w, Xmm x) {
    c.asm(w.toBits, T0, x);
    c.asm(shl(w), T0, Imm.of(1));
    c.asm(shr(w), T0, Imm.of(1));
  }

  /**
   * dst := magnitude with the sign of {@code signSource}, bit by bit (spec 4.3.3 "fcopysign"):
   * {@code (m & ~sign) | (s & sign)} with pool masks, the sign taken into xmm15 first so that
   * {@code dst} may be either source.
   */
  private static void copySign(EmitContext c, Width w, Xmm dst, Xmm magnitude, Xmm signSource) {
    long sign = w == Width.F32 ? 0x8000_0000L : Long.MIN_VALUE;
    long rest = w == Width.F32 ? 0x7FFF_FFFFL : Long.MAX_VALUE;
    c.asm(SseForm.MOVAPS_RM, TMP, signSource);
    c.asm(SseForm.ANDPS_RM, TMP, c.constant(sign, 0));
    if (dst != magnitude) {
      c.asm(SseForm.MOVAPS_RM, dst, magnitude);
    }
    c.asm(SseForm.ANDPS_RM, dst, c.constant(rest, 0));
    c.asm(SseForm.ORPS_RM, dst, TMP);
  }

  private void copysign(int inst) {
    Width w = width(inst);
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg d = l.result(inst);
    l.add("fcopysign", List.of(useReg(x), useReg(y), defReg(d)),
        (c, a) -> copySign(c, w, xmm(a, 2), xmm(a, 0), xmm(a, 1)));
  }

  /** abs clears the sign bit, neg flips it (spec 4.3.3 fabs/fneg: bit operations, NaNs too). */
  private void signBit(int inst, boolean negate) {
    Width w = width(inst);
    unary(inst, (c, d, x) -> {
      if (!negate) {
        magnitudeBits(c, w, x);
      } else if (w == Width.F32) {
        c.asm(w.toBits, T0, x);
        c.asm(AluForm.XORL_MI, T0, Imm.of(0x8000_0000L));
      } else {
        // The f64 sign bit is no imm32: flip it in the xmm register with a pool mask.
        if (d != x) {
          c.asm(SseForm.MOVAPS_RM, d, x);
        }
        c.asm(SseForm.XORPS_RM, d, c.constant(Long.MIN_VALUE, 0));
        return;
      }
      c.asm(w.fromBits, d, T0);
    });
  }

  // ------------------------------------------------------------------ rounding

  private void round(int inst, Rounding mode) {
    Width w = width(inst);
    if (l.cpu.has(X64Feature.SSE4_1)) {
      unary(inst, (c, d, x) -> c.asm(w.round, d, x, Imm.of(mode.imm)));
      return;
    }
    roundWithoutSse41(inst, w, mode);
  }

  /**
   * SSE2 rounding. Every float with |x| &gt;= 2^(p-1) (p = 24 or 53 bits of precision) is an
   * integer already, as are infinities; NaN becomes a quiet NaN (x + x). Below that, (|x| + 2^(p-1))
   * - 2^(p-1) rounds |x| to an integer in the default round-to-nearest-even mode (MXCSR.RC = 00,
   * which wasm code never changes): that is nearest; trunc steps down when the rounding went up;
   * the sign of x is put back (so -0.3 gives -0), floor and ceil then step by one toward their
   * direction when the rounded value lies on the wrong side of x, and take x's sign again
   * (ceil(-0.7) = -0).
   */
  private void roundWithoutSse41(int inst, Width w, Rounding mode) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg d = l.result(inst);
    VReg abs = floatTemp();
    VReg k = floatTemp();
    long magic = w.bitsOf(w == Width.F32 ? 0x1p23 : 0x1p52);
    long one = w.bitsOf(1.0);
    l.add(mode.name().toLowerCase(java.util.Locale.ROOT) + "_sse2",
        List.of(useReg(x), early(abs), early(k), early(d)), (c, a) -> {
          Xmm src = xmm(a, 0);
          Xmm t = xmm(a, 1);
          Xmm m = xmm(a, 2);
          Xmm dst = xmm(a, 3);
          Label special = c.newLabel();
          Label done = c.newLabel();
          magnitudeBits(c, w, src);
          c.asm(w.fromBits, t, T0);
          loadConst(c, m, w, magic);
          c.asm(w.ucomis, t, m);
          c.asm(ControlForm.JCC_REL32, Cond.P, to(special));
          c.asm(ControlForm.JCC_REL32, Cond.AE, to(special));
          c.asm(SseForm.MOVAPS_RM, dst, t);
          c.asm(w.add, dst, m);
          c.asm(w.sub, dst, m);
          if (mode == Rounding.TRUNC) {
            Label kept = c.newLabel();
            c.asm(w.ucomis, dst, t);
            c.asm(ControlForm.JCC_REL32, Cond.BE, to(kept));
            loadConst(c, m, w, one);
            c.asm(w.sub, dst, m);
            c.bind(kept);
          }
          copySign(c, w, dst, dst, src);
          if (mode == Rounding.FLOOR || mode == Rounding.CEIL) {
            Label kept = c.newLabel();
            c.asm(w.ucomis, dst, src);
            c.asm(ControlForm.JCC_REL32, mode == Rounding.FLOOR ? Cond.BE : Cond.AE, to(kept));
            loadConst(c, m, w, one);
            c.asm(mode == Rounding.FLOOR ? w.sub : w.add, dst, m);
            copySign(c, w, dst, dst, src);
            c.bind(kept);
          }
          c.asm(ControlForm.JMP_REL32, to(done));
          c.bind(special);
          c.asm(SseForm.MOVAPS_RM, dst, src);
          c.asm(w.ucomis, src, src);
          c.asm(ControlForm.JCC_REL32, Cond.NP, to(done));
          c.asm(w.add, dst, dst);
          c.bind(done);
        });
  }

  // ------------------------------------------------------------------ compares and selects

  /**
   * The flags of a fusible fcmp and the condition true when it holds. gt/ge compare x with y
   * (A: CF=0 and ZF=0, AE: CF=0, both false when unordered); lt/le compare y with x.
   */
  @Override
  public Flags<EmitContext, Cond> compareFlags(FloatCC cc, int x, int y) {
    Width w = Width.of(dfg.valueType(dfg.resolveAliases(x)));
    boolean swap = cc == FloatCC.LT || cc == FloatCC.LE;
    VReg first = l.use(swap ? y : x);
    VReg second = l.use(swap ? x : y);
    Cond cond = switch (cc) {
      case GT, LT -> Cond.A;
      case GE, LE -> Cond.AE;
      case ORD -> Cond.NP;
      case UNO -> Cond.P;
      case EQ, NE -> throw new IllegalArgumentException(cc + " needs two flags");
    };
    return new Flags<>(List.of(first, second),
        (c, a, at) -> c.asm(w.ucomis, xmm(a, at), xmm(a, at + 1)), cond);
  }

  /** A 0/1 fcmp result; eq and ne combine ZF with PF through r11's low byte. */
  private void compare(int inst) {
    FloatCC cc = dfg.floatCC(inst);
    VReg d = l.result(inst);
    if (fusible(cc)) {
      Flags<EmitContext, Cond> f = compareFlags(cc, dfg.arg(inst, 0), dfg.arg(inst, 1));
      List<Operand> ops = f.inputUses(defReg(d));
      l.add("fcmp", ops, (c, a) -> {
        f.setter().emit(c, a, 0);
        Gpr dst = gpr(a, 2);
        c.asm(ControlForm.SETCC_M, f.cc(), dst);
        c.asm(MovForm.MOVZBL_RM, dst, dst);
      });
      return;
    }
    Width w = operandWidth(inst);
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    boolean eq = cc == FloatCC.EQ;
    l.add("fcmp", List.of(useReg(x), useReg(y), defReg(d)), (c, a) -> {
      Gpr dst = gpr(a, 2);
      c.asm(w.ucomis, xmm(a, 0), xmm(a, 1));
      c.asm(ControlForm.SETCC_M, eq ? Cond.E : Cond.NE, dst);
      c.asm(ControlForm.SETCC_M, eq ? Cond.NP : Cond.P, T0);
      c.asm(eq ? AluForm.ANDB_RM : AluForm.ORB_RM, dst, T0);
      c.asm(MovForm.MOVZBL_RM, dst, dst);
    });
  }

  /** d = cond ? x : y as d := y; j!cond skip; movaps d, x (SSE2 has no conditional move). */
  private void select(int inst) {
    Flags<EmitContext, Cond> f = l.flagsOf(dfg.arg(inst, 0));
    List<Operand> ops = l.selectOperands(inst, f.inputs(), (result, first) -> defReuse(result, first + 1));
    int at = f.inputs().size();
    l.add("select", ops, (c, a) -> {
      Label skip = c.newLabel();
      f.setter().emit(c, a, 0);
      c.asm(ControlForm.JCC_REL32, f.cc().invert(), to(skip));
      c.asm(SseForm.MOVAPS_RM, xmm(a, at + 2), xmm(a, at));
      c.bind(skip);
    });
  }

  // ------------------------------------------------------------------ conversions

  /** Reinterprets bits between a general-purpose and an xmm register (MOVD/MOVQ). */
  private void bitcast(int inst) {
    Type to = dfg.ctrlType(inst);
    VReg x = l.use(dfg.arg(inst, 0));
    VReg d = l.result(inst);
    Form form = switch (to) {
      case F32 -> SseForm.MOVD_TO_XMM;
      case F64 -> SseForm.MOVQ_TO_XMM;
      case I32 -> SseForm.MOVD_FROM_XMM;
      case I64 -> SseForm.MOVQ_FROM_XMM;
      case V128 -> throw new IllegalStateException("bitcast takes no v128 (the verifier's rule)");
    };
    boolean toFloat = Lowering.isFloat(to);
    l.add("bitcast", List.of(useReg(x), defReg(d)), (c, a) -> {
      if (toFloat) {
        c.asm(form, xmm(a, 1), gpr(a, 0));
      } else {
        c.asm(form, gpr(a, 1), xmm(a, 0));
      }
    });
  }

  /**
   * Integer to float. The destination is zeroed first: CVTSI2SS writes only the low lane and would
   * otherwise wait for the register's previous writer. A u32 is zero-extended and converted as a
   * signed i64 (exact). A u64 with the top bit set is halved with its low bit or-ed back in (a
   * sticky bit, so the one rounding is still correct), converted, and doubled.
   */
  private void fromInt(int inst, boolean signed) {
    Width w = width(inst);
    boolean wideSource = dfg.valueType(dfg.resolveAliases(dfg.arg(inst, 0))) == Type.I64;
    VReg x = l.use(dfg.arg(inst, 0));
    VReg d = l.result(inst);
    l.add(dfg.opcode(inst).text(), List.of(useReg(x), defReg(d)), (c, a) -> {
      Gpr src = gpr(a, 0);
      Xmm dst = xmm(a, 1);
      c.asm(SseForm.XORPS_RM, dst, dst);
      if (signed) {
        c.asm(wideSource ? w.fromI64 : w.fromI32, dst, src);
      } else if (!wideSource) {
        c.asm(MovForm.MOVL_RM, T0, src);
        c.asm(w.fromI64, dst, T0);
      } else {
        Label big = c.newLabel();
        Label done = c.newLabel();
        c.asm(AluForm.TESTQ_MR, src, src);
        c.asm(ControlForm.JCC_REL32, Cond.S, to(big));
        c.asm(w.fromI64, dst, src);
        c.asm(ControlForm.JMP_REL32, to(done));
        c.bind(big);
        c.asm(MovForm.MOVQ_RM, T0, src);
        c.asm(ShiftForm.SHRQ_MI, T0, Imm.of(1)); // CF: the bit shifted out (SDM Vol. 2B "SHR")
        Label even = c.newLabel();
        c.asm(ControlForm.JCC_REL8, Cond.AE, to(even));
        c.asm(AluForm.ORQ_MI8, T0, Imm.of(1));
        c.bind(even);
        c.asm(w.fromI64, dst, T0);
        c.asm(w.add, dst, dst);
        c.bind(done);
      }
    });
  }

  /**
   * The operands of a conversion to an integer: x, the vmctx when it traps (for the trap blocks),
   * {@code temps} xmm temporaries, d.
   */
  private record ToInt(Width w, boolean wide, List<Operand> ops) {}

  private ToInt toIntOperands(int inst, boolean traps, int temps) {
    Width w = operandWidth(inst);
    boolean wide = dfg.ctrlType(inst) == Type.I64;
    List<Operand> ops = new ArrayList<>();
    ops.add(useReg(l.use(dfg.arg(inst, 0))));
    if (traps) {
      // The trap blocks need the vmctx after d is written: a late use keeps its register apart.
      ops.add(Operand.lateUse(l.vmctx(), OperandConstraint.REG));
    }
    for (int i = 0; i < temps; i++) {
      ops.add(early(floatTemp()));
    }
    ops.add(defReg(l.result(inst)));
    return new ToInt(w, wide, ops);
  }

  /**
   * {@code d = CVTT(x)} (to i64 when {@code wide}), then on to {@code done} unless the result is
   * the integer indefinite value INT_MIN, the one result for which {@code d - 1} overflows (SDM
   * Vol. 2A "CVTTSD2SI": NaN and out-of-range inputs give it): the signed truncations' fast path.
   */
  private static void convertUnlessIndefinite(EmitContext c, Width w, boolean wide, Gpr d, Xmm x, Label done) {
    c.asm(wide ? w.toI64 : w.toI32, d, x);
    c.asm(wide ? AluForm.CMPQ_MI8 : AluForm.CMPL_MI8, d, Imm.of(1));
    c.asm(ControlForm.JCC_REL32, Cond.NO, to(done));
  }

  /**
   * The first half of an unsigned truncation to i64: {@code tmp = 2^63}; from 2^63 on to {@code
   * big}, else {@code d} = the signed conversion, exact below 2^63 (a NaN would land here too: the
   * callers rule it out first).
   */
  private static void convertBelowTwoTo63(EmitContext c, Width w, Xmm x, Xmm tmp, Gpr d, long twoTo63, Label big) {
    loadConst(c, tmp, w, twoTo63);
    c.asm(w.ucomis, x, tmp);
    c.asm(ControlForm.JCC_REL32, Cond.AE, to(big));
    c.asm(w.toI64, d, x);
  }

  /**
   * The second half, for {@code x >= 2^63} with {@code twoTo63} holding 2^63: {@code d} = the signed
   * conversion of {@code x - 2^63} with the top bit set; a negative conversion (the indefinite
   * value: {@code x >= 2^64}) goes to {@code tooLarge}.
   */
  private static void convertFromTwoTo63(EmitContext c, Width w, Xmm x, Xmm twoTo63, Xmm shifted, Gpr d,
      Label tooLarge) {
    c.asm(SseForm.MOVAPS_RM, shifted, x);
    c.asm(w.sub, shifted, twoTo63);
    c.asm(w.toI64, d, shifted);
    c.asm(AluForm.TESTQ_MR, d, d);
    c.asm(ControlForm.JCC_REL32, Cond.S, to(tooLarge));
    c.asm(MovForm.MOVABSQ_OI, T0, Imm.of(Long.MIN_VALUE));
    c.asm(AluForm.ORQ_RM, d, T0);
  }

  /**
   * Trapping signed truncation (spec 4.3.4 trunc_s). CVTT's result is right unless it is the
   * integer indefinite value INT_MIN (d - 1 overflows exactly then); that value is also right for
   * inputs in (INT_MIN - 1, INT_MIN]. Otherwise NaN traps as an invalid conversion and anything
   * else as an overflow.
   */
  private void toSigned(int inst) {
    ToInt t = toIntOperands(inst, true, 1);
    Width w = t.w();
    boolean wide = t.wide();
    // The smallest valid input: -2^31 or -2^63 for f32 (nothing representable lies between it
    // and the next integer below); f64 -> i32 accepts down to just above -2^31 - 1.
    boolean exclusive = w == Width.F64 && !wide;
    long bound = w.bitsOf(exclusive ? -2147483649.0 : wide ? -0x1p63 : -0x1p31);
    l.add(dfg.opcode(inst).text(), t.ops(), (c, a) -> {
      Xmm x = xmm(a, 0);
      Gpr vm = gpr(a, 1);
      Xmm tmp = xmm(a, 2);
      Gpr d = gpr(a, 3);
      Label done = c.newLabel();
      Label overflow = c.trapLabel(TrapCode.INTEGER_OVERFLOW, vm);
      convertUnlessIndefinite(c, w, wide, d, x, done);
      c.asm(w.ucomis, x, x);
      c.asm(ControlForm.JCC_REL32, Cond.P,
          to(c.trapLabel(TrapCode.BAD_CONVERSION_TO_INTEGER, vm)));
      loadConst(c, tmp, w, bound);
      c.asm(w.ucomis, x, tmp);
      c.asm(ControlForm.JCC_REL32, exclusive ? Cond.BE : Cond.B, to(overflow));
      c.asm(SseForm.XORPS_RM, tmp, tmp);
      c.asm(w.ucomis, x, tmp);
      c.asm(ControlForm.JCC_REL32, Cond.AE, to(overflow));
      c.bind(done);
    });
  }

  /**
   * Trapping unsigned truncation (spec 4.3.4 trunc_u). To i32: the 64-bit signed conversion is
   * exact for every valid input, and any result with high bits set (negative, too large, or the
   * indefinite value) is an overflow. To i64: below 2^63 the signed conversion, whose negative
   * results (x &lt;= -1) overflow; from 2^63 on, convert x - 2^63 (negative result: x &gt;= 2^64)
   * and set the top bit.
   */
  private void toUnsigned(int inst) {
    ToInt t = toIntOperands(inst, true, 2);
    Width w = t.w();
    boolean wide = t.wide();
    long twoTo63 = w.bitsOf(0x1p63);
    l.add(dfg.opcode(inst).text(), t.ops(), (c, a) -> {
      Xmm x = xmm(a, 0);
      Gpr vm = gpr(a, 1);
      Xmm tmp = xmm(a, 2);
      Xmm shifted = xmm(a, 3);
      Gpr d = gpr(a, 4);
      Label overflow = c.trapLabel(TrapCode.INTEGER_OVERFLOW, vm);
      c.asm(w.ucomis, x, x);
      c.asm(ControlForm.JCC_REL32, Cond.P,
          to(c.trapLabel(TrapCode.BAD_CONVERSION_TO_INTEGER, vm)));
      if (!wide) {
        c.asm(w.toI64, d, x);
        c.asm(MovForm.MOVQ_RM, T0, d);
        c.asm(ShiftForm.SHRQ_MI, T0, Imm.of(32));
        c.asm(ControlForm.JCC_REL32, Cond.NE, to(overflow));
        return;
      }
      Label big = c.newLabel();
      Label done = c.newLabel();
      convertBelowTwoTo63(c, w, x, tmp, d, twoTo63, big);
      c.asm(AluForm.TESTQ_MR, d, d);
      c.asm(ControlForm.JCC_REL32, Cond.S, to(overflow));
      c.asm(ControlForm.JMP_REL32, to(done));
      c.bind(big);
      convertFromTwoTo63(c, w, x, tmp, shifted, d, overflow);
      c.bind(done);
    });
  }

  /**
   * Saturating signed truncation (spec 4.3.4 trunc_sat_s): when CVTT gives the indefinite value,
   * NaN becomes 0, a positive input the maximum, and a negative one keeps INT_MIN.
   */
  private void toSignedSaturating(int inst) {
    ToInt t = toIntOperands(inst, false, 1);
    Width w = t.w();
    boolean wide = t.wide();
    l.add(dfg.opcode(inst).text(), t.ops(), (c, a) -> {
      Xmm x = xmm(a, 0);
      Xmm tmp = xmm(a, 1);
      Gpr d = gpr(a, 2);
      Label nan = c.newLabel();
      Label done = c.newLabel();
      convertUnlessIndefinite(c, w, wide, d, x, done);
      c.asm(w.ucomis, x, x);
      c.asm(ControlForm.JCC_REL32, Cond.P, to(nan));
      c.asm(SseForm.XORPS_RM, tmp, tmp);
      c.asm(w.ucomis, x, tmp);
      c.asm(ControlForm.JCC_REL32, Cond.B, to(done));
      IntLowering.emitConst(c, d, wide ? Type.I64 : Type.I32,
          wide ? Long.MAX_VALUE : Integer.MAX_VALUE);
      c.asm(ControlForm.JMP_REL32, to(done));
      c.bind(nan);
      c.asm(AluForm.XORL_RM, d, d);
      c.bind(done);
    });
  }

  /**
   * Saturating unsigned truncation (spec 4.3.4 trunc_sat_u): x &lt;= 0 or NaN (UCOMIS sets CF and
   * ZF for unordered, so one jbe catches both) gives 0; to i32, the 64-bit conversion clamped
   * unsigned to 2^32-1 (the indefinite value is above it too); to i64, the 2^63 split of {@link
   * #toUnsigned} with a negative result (x &gt;= 2^64) saturating to 2^64-1.
   */
  private void toUnsignedSaturating(int inst) {
    ToInt t = toIntOperands(inst, false, 2);
    Width w = t.w();
    boolean wide = t.wide();
    long twoTo63 = w.bitsOf(0x1p63);
    l.add(dfg.opcode(inst).text(), t.ops(), (c, a) -> {
      Xmm x = xmm(a, 0);
      Xmm tmp = xmm(a, 1);
      Xmm shifted = xmm(a, 2);
      Gpr d = gpr(a, 3);
      Label zero = c.newLabel();
      Label done = c.newLabel();
      c.asm(SseForm.XORPS_RM, tmp, tmp);
      c.asm(w.ucomis, x, tmp);
      c.asm(ControlForm.JCC_REL32, Cond.BE, to(zero));
      if (!wide) {
        c.asm(w.toI64, d, x);
        c.asm(MovForm.MOVL_OI, T0, Imm.of(0xFFFF_FFFFL));
        c.asm(AluForm.CMPQ_RM, d, T0);
        c.asm(ControlForm.JCC_REL32, Cond.BE, to(done));
        c.asm(MovForm.MOVL_RM, d, T0);
        c.asm(ControlForm.JMP_REL32, to(done));
      } else {
        Label big = c.newLabel();
        Label max = c.newLabel();
        convertBelowTwoTo63(c, w, x, tmp, d, twoTo63, big);
        c.asm(ControlForm.JMP_REL32, to(done));
        c.bind(big);
        convertFromTwoTo63(c, w, x, tmp, shifted, d, max);
        c.asm(ControlForm.JMP_REL32, to(done));
        c.bind(max);
        c.asm(MovForm.MOVQ_MI, d, Imm.of(-1));
        c.asm(ControlForm.JMP_REL32, to(done));
      }
      c.bind(zero);
      c.asm(AluForm.XORL_RM, d, d);
      c.bind(done);
    });
  }
}
