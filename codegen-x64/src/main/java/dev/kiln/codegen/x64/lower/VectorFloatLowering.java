package dev.kiln.codegen.x64.lower;

import static dev.kiln.codegen.regalloc.Operand.defReg;
import static dev.kiln.codegen.regalloc.Operand.defReuse;
import static dev.kiln.codegen.regalloc.Operand.useReg;
import static dev.kiln.codegen.x64.lower.Lowering.xmm;

import dev.kiln.codegen.lower.VectorFloatFamilyLowering;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.OperandConstraint;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.x64.abi.WasmCallConv;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.codegen.x64.asm.forms.SseForm;
import dev.kiln.codegen.x64.asm.forms.VecFloatForm;
import dev.kiln.codegen.x64.asm.forms.VecIntForm;
import dev.kiln.codegen.x64.asm.forms.VexForm;
import dev.kiln.ir.Opcode;
import java.util.List;

/**
 * Lowering of the IR's f32x4 and f64x2 operations to SSE (SSE4.1 for rounding): arithmetic, wasm's
 * min and max, pmin and pmax, sign operations, rounding and the lane conversions. Where SSE's
 * results differ from wasm's (min/max on NaN and signed zeros, conversions that saturate, unsigned
 * conversions SSE lacks) the sequences are Cranelift's (cranelift/codegen/src/isa/x64/lower.isle).
 * Sequences use the result register and xmm15 ({@link WasmCallConv#FLOAT_SCRATCH}), plus an
 * early-def temporary where a third register is needed.
 */
final class VectorFloatLowering extends VectorFloatFamilyLowering<Lowering, VectorLowering> {
  private static final Xmm TMP = WasmCallConv.FLOAT_SCRATCH;
  /** The f64 2^52: its low mantissa bits hold an added integer below 2^52 exactly. */
  private static final long F64_TWO_POW_52 = 0x4330_0000_0000_0000L;

  VectorFloatLowering(Lowering l, VectorLowering v) {
    super(l, v);
  }

  @Override
  public void lower(int inst) {
    v.requireBaseline(inst);
    Opcode op = dfg.opcode(inst);
    boolean f64 = f64Lanes(inst);
    switch (op) {
      case VFADD -> v.twoAddress(inst, f64 ? VecFloatForm.ADDPD_RM : VecFloatForm.ADDPS_RM);
      case VFSUB -> v.twoAddress(inst, f64 ? VecFloatForm.SUBPD_RM : VecFloatForm.SUBPS_RM);
      case VFMUL -> v.twoAddress(inst, f64 ? VecFloatForm.MULPD_RM : VecFloatForm.MULPS_RM);
      case VFDIV -> v.twoAddress(inst, f64 ? VecFloatForm.DIVPD_RM : VecFloatForm.DIVPS_RM);
      case VFMIN -> min(inst, f64);
      case VFMAX -> max(inst, f64);
      // pmin is y < x ? y : x, which is MINPS with y as its destination (it returns the source, x,
      // on NaN and equal zeros, as pmin does); pmax likewise with MAXPS
      case VFPMIN -> v.swapped(inst, f64 ? VecFloatForm.MINPD_RM : VecFloatForm.MINPS_RM);
      case VFPMAX -> v.swapped(inst, f64 ? VecFloatForm.MAXPD_RM : VecFloatForm.MAXPS_RM);
      // Relaxed min and max (spec 4.3 "frelaxed_min"): MINPS/MAXPS x, y return y when either lane
      // is NaN or both are zeros (SDM Vol. 2B "MINPS", "MAXPS"), one of the results the spec
      // allows there, in one instruction (as Cranelift's non-deterministic lowering)
      case VRELAXED_FMIN -> v.twoAddress(inst, f64 ? VecFloatForm.MINPD_RM
          : VecFloatForm.MINPS_RM);
      case VRELAXED_FMAX -> v.twoAddress(inst, f64 ? VecFloatForm.MAXPD_RM
          : VecFloatForm.MAXPS_RM);
      // Relaxed signed truncation (spec 4.3 "irelaxed_trunc"): CVTTPS2DQ/CVTTPD2DQ give
      // 0x80000000 (INT32_MIN) for NaN and out-of-range lanes, which the spec allows, and
      // CVTTPD2DQ zeroes the high two lanes (SDM Vol. 2A "CVTTPS2DQ", "CVTTPD2DQ")
      case VRELAXED_FCVT_TO_SINT -> v.unary(inst, f64 ? VecFloatForm.CVTTPD2DQ_RM
          : VecFloatForm.CVTTPS2DQ_RM);
      // Relaxed unsigned truncation: SSE4.1 has no unsigned conversion (AVX-512's VCVTTPS2UDQ
      // is not assumed), so the saturating sequence, one of the allowed results, is the shortest
      case VRELAXED_FCVT_TO_UINT -> {
        if (f64) {
          f64ToUintZero(inst);
        } else {
          f32ToUint(inst);
        }
      }
      case VRELAXED_FMA, VRELAXED_FNMA -> multiplyAdd(inst, f64, op == Opcode.VRELAXED_FNMA);
      case VFSQRT -> v.unary(inst, f64 ? VecFloatForm.SQRTPD_RM : VecFloatForm.SQRTPS_RM);
      case VFNEAREST -> round(inst, f64, 0);
      case VFFLOOR -> round(inst, f64, 1);
      case VFCEIL -> round(inst, f64, 2);
      case VFTRUNC -> round(inst, f64, 3);
      case VFABS -> withMask(inst, SseForm.ANDPS_RM, f64 ? Long.MAX_VALUE : 0x7FFF_FFFF_7FFF_FFFFL);
      case VFNEG -> withMask(inst, SseForm.XORPS_RM, f64 ? Long.MIN_VALUE : 0x8000_0000_8000_0000L);
      case VFCVT_FROM_SINT -> v.unary(inst, f64 ? VecFloatForm.CVTDQ2PD_RM
          : VecFloatForm.CVTDQ2PS_RM);
      case VFCVT_FROM_UINT -> {
        if (f64) {
          uintLowToF64(inst);
        } else {
          uintToF32(inst);
        }
      }
      case VFCVT_TO_SINT_SAT -> {
        if (f64) {
          f64ToSintZero(inst);
        } else {
          f32ToSint(inst);
        }
      }
      case VFCVT_TO_UINT_SAT -> {
        if (f64) {
          f64ToUintZero(inst);
        } else {
          f32ToUint(inst);
        }
      }
      case VFDEMOTE -> v.unary(inst, VecFloatForm.CVTPD2PS_RM);
      case VFPROMOTE -> v.unary(inst, VecFloatForm.CVTPS2PD_RM);
      default -> throw unsupported(inst);
    }
  }

  private String name(int inst) {
    return dfg.opcode(inst).text() + (dfg.opcode(inst).hasLanes() ? "." + dfg.lanes(inst).text()
        : "");
  }

  /**
   * Relaxed madd {@code x*y + z} and nmadd {@code z - x*y} (spec 4.3 "frelaxed_madd"): the spec
   * allows the fused or the unfused result. FMA3 (VFMADD213PS, SDM Vol. 2C) is not among the
   * x86-64 features Kiln compiles for ({@code X64Feature}), so x86-64 always computes the product
   * rounded, then the sum rounded again: the same result on every x86-64 machine, with or without
   * FMA. The product goes to xmm15 first, so the result may share a register with any operand.
   */
  private void multiplyAdd(int inst, boolean f64, boolean negate) {
    Form mul = f64 ? VecFloatForm.MULPD_RM : VecFloatForm.MULPS_RM;
    Form sum = negate ? (f64 ? VecFloatForm.SUBPD_RM : VecFloatForm.SUBPS_RM)
        : (f64 ? VecFloatForm.ADDPD_RM : VecFloatForm.ADDPS_RM);
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg z = l.use(dfg.arg(inst, 2));
    boolean avx = v.hasAvx();
    l.add(name(inst), List.of(useReg(x), useReg(y), useReg(z),
        avx ? defReg(v.result(inst)) : defReuse(v.result(inst), 2)), (c, a) -> {
          if (avx) {
            c.asm(VexForm.of(mul), TMP, xmm(a, 0), xmm(a, 1));
            c.asm(VexForm.of(sum), xmm(a, 3), xmm(a, 2), TMP);
          } else {
            c.asm(SseForm.MOVAPS_RM, TMP, xmm(a, 0));
            c.asm(mul, TMP, xmm(a, 1));
            c.asm(sum, xmm(a, 3), TMP); // d is z here
          }
        });
  }

  /** {@code x op mask} with a pool constant repeated in both halves (abs clears, neg flips the sign). */
  private void withMask(int inst, Form form, long mask) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add(name(inst), List.of(useReg(x), defReuse(v.result(inst), 0)),
        (c, a) -> c.asm(form, xmm(a, 1), c.constant(mask, mask)));
  }

  /** ROUNDPS/ROUNDPD with rounding mode {@code mode} (SDM Vol. 2B "ROUNDPS", imm bits 1:0). */
  private void round(int inst, boolean f64, int mode) {
    VReg x = l.use(dfg.arg(inst, 0));
    Form form = f64 ? VecFloatForm.ROUNDPD_RMI : VecFloatForm.ROUNDPS_RMI;
    l.add(name(inst), List.of(useReg(x), defReg(v.result(inst))),
        (c, a) -> c.asm(form, xmm(a, 1), xmm(a, 0), Imm.of(mode)));
  }

  // ------------------------------------------------------------------ min and max

  /**
   * Wasm min (NaN if either lane is, -0 below +0): MINPS gives its second operand on NaN or equal
   * zeros, so both orders are computed and ORed, which keeps a NaN and a -0 from either; lanes
   * where either is NaN (an unordered compare) are set to all ones and then XORed with that mask
   * shifted right by 10 (13 for f64), leaving the canonical NaN's bits (Cranelift's sequence, with
   * the final ANDNPS of an all-ones lane written as an XOR so the result stays in place).
   */
  private void min(int inst, boolean f64) {
    Form min = f64 ? VecFloatForm.MINPD_RM : VecFloatForm.MINPS_RM;
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    l.add(name(inst), List.of(useReg(x), useReg(y), defReuse(v.result(inst), 0)), (c, a) -> {
      Xmm d = xmm(a, 2);
      c.asm(SseForm.MOVAPS_RM, TMP, xmm(a, 1));
      c.asm(min, TMP, d); // min(y, x)
      c.asm(min, d, xmm(a, 1)); // min(x, y)
      c.asm(SseForm.ORPS_RM, d, TMP);
      c.asm(f64 ? VecFloatForm.CMPUNORDPD_RM : VecFloatForm.CMPUNORDPS_RM, TMP, d);
      c.asm(SseForm.ORPS_RM, d, TMP);
      canonicalizeNaNs(c, d, f64);
    });
  }

  /**
   * Wasm max (NaN if either lane is, +0 above -0): both orders of MAXPS, their XOR (nonzero only
   * where they differ: a NaN, or the sign of equal zeros), ORed into the first and subtracted
   * from it, which keeps a NaN and turns -0 into +0; NaN lanes are then made canonical as in
   * {@link #min}.
   */
  private void max(int inst, boolean f64) {
    Form max = f64 ? VecFloatForm.MAXPD_RM : VecFloatForm.MAXPS_RM;
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    l.add(name(inst), List.of(useReg(x), useReg(y), defReuse(v.result(inst), 0)), (c, a) -> {
      Xmm d = xmm(a, 2);
      c.asm(SseForm.MOVAPS_RM, TMP, xmm(a, 1));
      c.asm(max, TMP, d); // max(y, x)
      c.asm(max, d, xmm(a, 1)); // max(x, y)
      c.asm(SseForm.XORPS_RM, TMP, d);
      c.asm(SseForm.ORPS_RM, d, TMP);
      c.asm(f64 ? VecFloatForm.SUBPD_RM : VecFloatForm.SUBPS_RM, d, TMP);
      c.asm(SseForm.MOVAPS_RM, TMP, d);
      c.asm(f64 ? VecFloatForm.CMPUNORDPD_RM : VecFloatForm.CMPUNORDPS_RM, TMP, TMP);
      c.asm(SseForm.ORPS_RM, d, TMP);
      canonicalizeNaNs(c, d, f64);
    });
  }

  /**
   * With xmm15 all ones in the NaN lanes of d, which are all ones too: XOR with the mask's
   * fraction bits below the quiet bit leaves sign, exponent and quiet bit, a canonical NaN.
   */
  private static void canonicalizeNaNs(EmitContext c, Xmm d, boolean f64) {
    c.asm(f64 ? VecIntForm.PSRLQ_MI : VecIntForm.PSRLD_MI, TMP, Imm.of(f64 ? 13 : 10));
    c.asm(SseForm.XORPS_RM, d, TMP);
  }

  // ------------------------------------------------------------------ conversions

  /**
   * u32 to f32, which SSE lacks: the low 16 bits and the rest converted apart, both exactly (the
   * rest halved first so it is a positive i32), the rest doubled back and the two added, one
   * rounding (Cranelift's sequence).
   */
  private void uintToF32(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add(name(inst), List.of(useReg(x), defReuse(v.result(inst), 0)), (c, a) -> {
      Xmm d = xmm(a, 1);
      c.asm(SseForm.MOVAPS_RM, TMP, d);
      c.asm(VecIntForm.PSLLD_MI, TMP, Imm.of(16));
      c.asm(VecIntForm.PSRLD_MI, TMP, Imm.of(16)); // low 16 bits
      c.asm(VecIntForm.PSUBD_RM, d, TMP); // the rest
      c.asm(VecFloatForm.CVTDQ2PS_RM, TMP, TMP);
      c.asm(VecIntForm.PSRLD_MI, d, Imm.of(1));
      c.asm(VecFloatForm.CVTDQ2PS_RM, d, d);
      c.asm(VecFloatForm.ADDPS_RM, d, d);
      c.asm(VecFloatForm.ADDPS_RM, d, TMP);
    });
  }

  /**
   * The low two u32 lanes to f64: each interleaved below the high dword 0x43300000 is the double
   * 2^52 + u exactly, and subtracting 2^52 leaves u.
   */
  private void uintLowToF64(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    long high = 0x4330_0000_4330_0000L;
    l.add(name(inst), List.of(useReg(x), defReuse(v.result(inst), 0)), (c, a) -> {
      c.asm(VecFloatForm.UNPCKLPS_RM, xmm(a, 1), c.constant(high, high));
      c.asm(VecFloatForm.SUBPD_RM, xmm(a, 1), c.constant(F64_TWO_POW_52, F64_TWO_POW_52));
    });
  }

  /**
   * f32 to i32, saturating, NaN to 0: NaN lanes are zeroed first (ANDPS with an ordered
   * self-compare); CVTTPS2DQ gives 0x80000000 for every out-of-range lane, right for negative
   * ones; a positive one (its input's sign clear, kept in xmm15 by XOR with the mask) is flipped
   * to 0x7fffffff by XOR with the sign spread over the lane (Cranelift's sequence).
   */
  private void f32ToSint(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add(name(inst), List.of(useReg(x), defReuse(v.result(inst), 0)), (c, a) -> {
      Xmm d = xmm(a, 1);
      c.asm(SseForm.MOVAPS_RM, TMP, d);
      c.asm(VecFloatForm.CMPEQPS_RM, TMP, TMP);
      c.asm(SseForm.ANDPS_RM, d, TMP);
      c.asm(SseForm.PXOR_RM, TMP, d); // sign bit set where the input is not negative
      c.asm(VecFloatForm.CVTTPS2DQ_RM, d, d);
      c.asm(VecIntForm.PAND_RM, TMP, d); // and the conversion overflowed
      c.asm(VecIntForm.PSRAD_MI, TMP, Imm.of(31));
      c.asm(SseForm.PXOR_RM, d, TMP);
    });
  }

  /**
   * f32 to u32, saturating, NaN to 0 (Cranelift's sequence): MAXPS with 0 clears NaN and negative
   * lanes; CVTTPS2DQ converts those below 2^31 and gives 0x80000000 for the rest; x - 2^31 is
   * converted too, made 0x7fffffff where x is 2^32 or more and clamped at 0 below 2^31, and added.
   */
  private void f32ToUint(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg t = l.vcode().newVReg(RegClass.FLOAT);
    l.add(name(inst), List.of(useReg(x), defReuse(v.result(inst), 0),
        Operand.earlyDef(t, OperandConstraint.REG)), (c, a) -> {
          Xmm d = xmm(a, 1);
          Xmm bound = xmm(a, 2);
          c.asm(SseForm.XORPS_RM, bound, bound);
          c.asm(VecFloatForm.MAXPS_RM, d, bound);
          c.asm(VecIntForm.PCMPEQD_RM, bound, bound);
          c.asm(VecIntForm.PSRLD_MI, bound, Imm.of(1));
          c.asm(VecFloatForm.CVTDQ2PS_RM, bound, bound); // 2^31 (0x7fffffff rounded)
          c.asm(SseForm.MOVAPS_RM, TMP, d);
          c.asm(VecFloatForm.CVTTPS2DQ_RM, d, d);
          c.asm(VecFloatForm.SUBPS_RM, TMP, bound);
          c.asm(VecFloatForm.CMPLEPS_RM, bound, TMP); // 2^31 <= x - 2^31: x >= 2^32
          c.asm(VecFloatForm.CVTTPS2DQ_RM, TMP, TMP);
          c.asm(SseForm.PXOR_RM, TMP, bound);
          c.asm(SseForm.PXOR_RM, bound, bound);
          c.asm(VecIntForm.PMAXSD_RM, TMP, bound);
          c.asm(VecIntForm.PADDD_RM, d, TMP);
        });
  }

  /**
   * f64 to i32 into the low lanes, saturating, NaN to 0: the bound 2147483647.0 masked to 0 in NaN
   * lanes, MINPD with it (which gives that 0 for a NaN lane), then CVTTPD2DQ, whose 0x80000000 for
   * the remaining out-of-range lanes is right (they are negative), and which zeroes the high lanes.
   */
  private void f64ToSintZero(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    long bound = Double.doubleToRawLongBits(2147483647.0);
    l.add(name(inst), List.of(useReg(x), defReuse(v.result(inst), 0)), (c, a) -> {
      Xmm d = xmm(a, 1);
      c.asm(SseForm.MOVAPS_RM, TMP, d);
      c.asm(VecFloatForm.CMPEQPD_RM, TMP, TMP);
      c.asm(SseForm.ANDPS_RM, TMP, c.constant(bound, bound));
      c.asm(VecFloatForm.MINPD_RM, d, TMP);
      c.asm(VecFloatForm.CVTTPD2DQ_RM, d, d);
    });
  }

  /**
   * f64 to u32 into the low lanes, saturating, NaN to 0 (Cranelift's sequence): MAXPD with 0 clears
   * NaN and negative lanes, MINPD clamps at 4294967295.0, ROUNDPD truncates, adding 2^52 puts the
   * integer in the low dword of each lane, and SHUFPS gathers those two dwords above two zeros.
   */
  private void f64ToUintZero(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    long bound = Double.doubleToRawLongBits(4294967295.0);
    l.add(name(inst), List.of(useReg(x), defReuse(v.result(inst), 0)), (c, a) -> {
      Xmm d = xmm(a, 1);
      c.asm(SseForm.XORPS_RM, TMP, TMP);
      c.asm(VecFloatForm.MAXPD_RM, d, TMP);
      c.asm(VecFloatForm.MINPD_RM, d, c.constant(bound, bound));
      c.asm(VecFloatForm.ROUNDPD_RMI, d, d, Imm.of(3));
      c.asm(VecFloatForm.ADDPD_RM, d, c.constant(F64_TWO_POW_52, F64_TWO_POW_52));
      c.asm(VecFloatForm.SHUFPS_RMI, d, TMP, Imm.of(0x88));
    });
  }
}
