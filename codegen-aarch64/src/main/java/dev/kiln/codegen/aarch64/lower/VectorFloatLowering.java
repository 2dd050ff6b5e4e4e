package dev.kiln.codegen.aarch64.lower;

import static dev.kiln.codegen.aarch64.lower.Lowering.earlyDef;
import static dev.kiln.codegen.aarch64.lower.Lowering.fpr;
import static dev.kiln.codegen.regalloc.Operand.defReg;
import static dev.kiln.codegen.regalloc.Operand.defReuse;
import static dev.kiln.codegen.regalloc.Operand.useReg;

import dev.kiln.codegen.aarch64.abi.WasmCallConv;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.aarch64.asm.UImm;
import dev.kiln.codegen.aarch64.asm.VArr;
import dev.kiln.codegen.lower.VectorFloatFamilyLowering;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.ir.Opcode;
import java.util.List;

/**
 * Lowering of the IR's f32x4 and f64x2 operations to Advanced SIMD, which has wasm's semantics
 * for nearly all of them in one instruction: FMIN/FMAX propagate NaN and order -0 below +0,
 * FRINTN rounds ties to even, FCVTZS/FCVTZU saturate and give 0 for NaN (Arm ARM C7.2, each
 * instruction's page). pmin and pmax are a compare and a select; the f64x2 side of the i32
 * conversions widens or narrows through v31 around the instruction.
 */
final class VectorFloatLowering extends VectorFloatFamilyLowering<Lowering, VectorLowering> {
  private static final FpReg TMP = WasmCallConv.FLOAT_SCRATCH;

  VectorFloatLowering(Lowering l, VectorLowering v) {
    super(l, v);
  }

  @Override
  public void lower(int inst) {
    Opcode op = dfg.opcode(inst);
    boolean f64 = f64Lanes(inst);
    VArr arr = f64 ? VArr.D2 : VArr.S4;
    switch (op) {
      case VFADD -> v.binary(inst, Form.FADD_V, arr);
      case VFSUB -> v.binary(inst, Form.FSUB_V, arr);
      case VFMUL -> v.binary(inst, Form.FMUL_V, arr);
      case VFDIV -> v.binary(inst, Form.FDIV_V, arr);
      case VFMIN -> v.binary(inst, Form.FMIN_V, arr);
      case VFMAX -> v.binary(inst, Form.FMAX_V, arr);
      case VFPMIN -> pseudoMinMax(inst, arr, true);
      case VFPMAX -> pseudoMinMax(inst, arr, false);
      case VFSQRT -> v.unary(inst, Form.FSQRT_V, arr);
      case VFCEIL -> v.unary(inst, Form.FRINTP_V, arr);
      case VFFLOOR -> v.unary(inst, Form.FRINTM_V, arr);
      case VFTRUNC -> v.unary(inst, Form.FRINTZ_V, arr);
      case VFNEAREST -> v.unary(inst, Form.FRINTN_V, arr);
      case VFABS -> v.unary(inst, Form.FABS_V, arr);
      case VFNEG -> v.unary(inst, Form.FNEG_V, arr);
      case VFCVT_FROM_SINT -> fromInt(inst, f64, Form.SSHLL_V, Form.SCVTF_V);
      case VFCVT_FROM_UINT -> fromInt(inst, f64, Form.USHLL_V, Form.UCVTF_V);
      case VFCVT_TO_SINT_SAT -> toInt(inst, f64, Form.FCVTZS_V, Form.SQXTN_V);
      case VFCVT_TO_UINT_SAT -> toInt(inst, f64, Form.FCVTZU_V, Form.UQXTN_V);
      case VFDEMOTE -> v.unary(inst, Form.FCVTN_V, VArr.S2);
      case VFPROMOTE -> v.unary(inst, Form.FCVTL_V, VArr.S2);
      // Relaxed SIMD (spec 4.3 "frelaxed_*", "irelaxed_trunc"): FMIN/FMAX and the saturating
      // FCVTZS/FCVTZU are the deterministic results, in the same instructions; madd is FMLA and
      // nmadd FMLS, fused (one rounding, Arm ARM C7.2 "FMLA (vector)", "FMLS (vector)"), the
      // other result the spec allows and one instruction instead of two
      case VRELAXED_FMIN -> v.binary(inst, Form.FMIN_V, arr);
      case VRELAXED_FMAX -> v.binary(inst, Form.FMAX_V, arr);
      case VRELAXED_FCVT_TO_SINT -> toInt(inst, f64, Form.FCVTZS_V, Form.SQXTN_V);
      case VRELAXED_FCVT_TO_UINT -> toInt(inst, f64, Form.FCVTZU_V, Form.UQXTN_V);
      case VRELAXED_FMA -> multiplyAdd(inst, arr, Form.FMLA_V);
      case VRELAXED_FNMA -> multiplyAdd(inst, arr, Form.FMLS_V);
      default -> throw unsupported(inst);
    }
  }

  /**
   * pmin {@code y < x ? y : x} and pmax {@code x < y ? y : x}: FCMGT makes the mask of the lanes
   * taking y (false on NaN, as {@code <} is) and BSL selects; the mask is written into the result
   * before x and y are read, so it is an early def.
   */
  private void pseudoMinMax(int inst, VArr arr, boolean min) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    l.add(dfg.opcode(inst).text() + "." + arr.text(), List.of(useReg(x), useReg(y),
        earlyDef(v.result(inst))), (c, a) -> {
          FpReg d = fpr(a, 2);
          if (min) {
            c.asm(Form.FCMGT_V, d, fpr(a, 0), fpr(a, 1), arr); // x > y
          } else {
            c.asm(Form.FCMGT_V, d, fpr(a, 1), fpr(a, 0), arr); // y > x
          }
          c.asm(Form.BSL_V, d, fpr(a, 1), fpr(a, 0), VArr.B16);
        });
  }

  /**
   * {@code z + x*y} (FMLA) or {@code z - x*y} (FMLS) into the result, which starts as z: both
   * accumulate into their destination.
   */
  private void multiplyAdd(int inst, VArr arr, Form form) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg z = l.use(dfg.arg(inst, 2));
    l.add(dfg.opcode(inst).text() + "." + arr.text(), List.of(useReg(x), useReg(y), useReg(z),
        defReuse(v.result(inst), 2)), (c, a) -> c.asm(form, fpr(a, 3), fpr(a, 0), fpr(a, 1), arr));
  }

  /** i32 lanes to floats; for f64x2 the low two, widened first (SXTL/UXTL into v31). */
  private void fromInt(int inst, boolean f64, Form widen, Form convert) {
    if (!f64) {
      v.unary(inst, convert, VArr.S4);
      return;
    }
    VReg x = l.use(dfg.arg(inst, 0));
    l.add(dfg.opcode(inst).text() + ".f64x2", List.of(useReg(x), defReg(v.result(inst))),
        (c, a) -> {
          c.asm(widen, TMP, fpr(a, 0), VArr.S2, UImm.of(0));
          c.asm(convert, fpr(a, 1), TMP, VArr.D2);
        });
  }

  /**
   * Floats to i32 lanes, saturating with NaN to 0; for f64x2 converted to i64 lanes in v31 first
   * and narrowed with saturation into the low two lanes (SQXTN/UQXTN zero the high half).
   */
  private void toInt(int inst, boolean f64, Form convert, Form narrow) {
    if (!f64) {
      v.unary(inst, convert, VArr.S4);
      return;
    }
    VReg x = l.use(dfg.arg(inst, 0));
    l.add(dfg.opcode(inst).text() + ".f64x2", List.of(useReg(x), defReg(v.result(inst))),
        (c, a) -> {
          c.asm(convert, TMP, fpr(a, 0), VArr.D2);
          c.asm(narrow, fpr(a, 1), TMP, VArr.S2);
        });
  }
}
