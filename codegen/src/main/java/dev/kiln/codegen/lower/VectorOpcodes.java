package dev.kiln.codegen.lower;

import dev.kiln.ir.Opcode;

/**
 * The v128 opcodes the backends lower. One list for every ISA: what a wasm SIMD operator means is
 * decided once, in the translator, and each ISA's VectorLowering only chooses instructions for
 * exactly these opcodes, so a Lowering routes an instruction to its vector family by these tests.
 */
public final class VectorOpcodes {
  private VectorOpcodes() {}

  /** Whether {@code op} is one of the vector opcodes a backend's VectorLowering handles. */
  public static boolean lowered(Opcode op) {
    return switch (op) {
      case VAND, VOR, VXOR, VAND_NOT, VNOT, VBITSELECT, VIADD, VISUB, VIMUL, VINEG, VIABS, VSMIN,
          VUMIN, VSMAX, VUMAX, VAVGR_U, VSADD_SAT, VUADD_SAT, VSSUB_SAT, VUSUB_SAT, VICMP,
          VFCMP, VSPLAT, VEXTRACTLANE, VSEXTRACTLANE, VINSERTLANE, VISHL, VSSHR, VUSHR, VSWIDEN_LOW,
          VSWIDEN_HIGH, VUWIDEN_LOW, VUWIDEN_HIGH, VSEXTMUL_LOW, VSEXTMUL_HIGH, VUEXTMUL_LOW, VUEXTMUL_HIGH,
          VSEXTADD_PAIRWISE, VUEXTADD_PAIRWISE, VSDOT, VQ15MULR_SAT, VPOPCNT, VSNARROW, VUNARROW,
          VSHUFFLE, VSWIZZLE, VBITMASK -> true;
      default -> false;
    };
  }

  /** Whether {@code op} is one of the float and conversion opcodes a backend's VectorFloatLowering handles. */
  public static boolean floatLowered(Opcode op) {
    return switch (op) {
      case VFADD, VFSUB, VFMUL, VFDIV, VFMIN, VFMAX, VFPMIN, VFPMAX, VFSQRT, VFCEIL, VFFLOOR,
          VFTRUNC, VFNEAREST, VFABS, VFNEG, VFCVT_FROM_SINT, VFCVT_FROM_UINT, VFCVT_TO_SINT_SAT,
          VFCVT_TO_UINT_SAT, VFDEMOTE, VFPROMOTE -> true;
      default -> false;
    };
  }
}
