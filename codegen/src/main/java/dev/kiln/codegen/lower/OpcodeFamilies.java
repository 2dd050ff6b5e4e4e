package dev.kiln.codegen.lower;

import dev.kiln.ir.Opcode;

/**
 * Which family of an ISA's lowering each arithmetic opcode belongs to: scalar float, v128 integer
 * and bitwise, v128 float. One list for every ISA: what a wasm operator means is decided once, in
 * the translator, and each ISA's FloatLowering, VectorLowering and VectorFloatLowering only choose
 * instructions for exactly these opcodes, and {@link LowerBackend#lowerOperator} routes an
 * operator by these tests (everything else to the integer family).
 */
public final class OpcodeFamilies {
  private OpcodeFamilies() {}

  /**
   * Whether {@code op} is a scalar float operation or conversion, FloatLowering's (a float compare
   * is not listed: like every compare, it is fused into its consumers or lowered by {@link
   * LowerBackend#lowerConditionValue}).
   */
  public static boolean scalarFloat(Opcode op) {
    return switch (op) {
      case FADD, FSUB, FMUL, FDIV, FMIN, FMAX, FCOPYSIGN, SQRT, CEIL, FLOOR, TRUNC, NEAREST, FABS,
          FNEG, FCVT_TO_SINT, FCVT_TO_UINT, FCVT_TO_SINT_SAT, FCVT_TO_UINT_SAT, FCVT_FROM_SINT,
          FCVT_FROM_UINT, FPROMOTE, FDEMOTE, BITCAST -> true;
      default -> false;
    };
  }

  /** Whether {@code op} is one of the vector opcodes a backend's VectorLowering handles. */
  public static boolean vector(Opcode op) {
    return switch (op) {
      case VAND, VOR, VXOR, VAND_NOT, VNOT, VBITSELECT, VIADD, VISUB, VIMUL, VINEG, VIABS, VSMIN,
          VUMIN, VSMAX, VUMAX, VAVGR_U, VSADD_SAT, VUADD_SAT, VSSUB_SAT, VUSUB_SAT, VICMP,
          VFCMP, VSPLAT, VEXTRACTLANE, VSEXTRACTLANE, VINSERTLANE, VISHL, VSSHR, VUSHR, VSWIDEN_LOW,
          VSWIDEN_HIGH, VUWIDEN_LOW, VUWIDEN_HIGH, VSEXTMUL_LOW, VSEXTMUL_HIGH, VUEXTMUL_LOW, VUEXTMUL_HIGH,
          VSEXTADD_PAIRWISE, VUEXTADD_PAIRWISE, VSDOT, VQ15MULR_SAT, VPOPCNT, VSNARROW, VUNARROW,
          VSHUFFLE, VSWIZZLE, VBITMASK, VRELAXED_SWIZZLE, VRELAXED_LANESELECT, VRELAXED_Q15MULR,
          VRELAXED_DOT_I8, VRELAXED_DOT_I8_ADD -> true;
      default -> false;
    };
  }

  /** Whether {@code op} is one of the float and conversion opcodes a backend's VectorFloatLowering handles. */
  public static boolean vectorFloat(Opcode op) {
    return switch (op) {
      case VFADD, VFSUB, VFMUL, VFDIV, VFMIN, VFMAX, VFPMIN, VFPMAX, VFSQRT, VFCEIL, VFFLOOR,
          VFTRUNC, VFNEAREST, VFABS, VFNEG, VFCVT_FROM_SINT, VFCVT_FROM_UINT, VFCVT_TO_SINT_SAT,
          VFCVT_TO_UINT_SAT, VFDEMOTE, VFPROMOTE, VRELAXED_FCVT_TO_SINT, VRELAXED_FCVT_TO_UINT,
          VRELAXED_FMA, VRELAXED_FNMA, VRELAXED_FMIN, VRELAXED_FMAX -> true;
      default -> false;
    };
  }
}
