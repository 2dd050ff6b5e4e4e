package dev.kiln.codegen.lower;

import dev.kiln.ir.Opcode;

/**
 * The v128 opcodes the backends lower. One list for every ISA: what a wasm SIMD operator means is
 * decided once, in the translator, and each ISA's VectorLowering only chooses instructions for
 * exactly these opcodes, so a Lowering routes an instruction to its vector family by this test.
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
}
