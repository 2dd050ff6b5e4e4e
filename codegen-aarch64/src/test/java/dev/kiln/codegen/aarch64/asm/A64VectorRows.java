package dev.kiln.codegen.aarch64.asm;

import static dev.kiln.codegen.aarch64.asm.EncodingRow.row;
import static dev.kiln.codegen.aarch64.asm.EncodingRow.u;
import static dev.kiln.codegen.aarch64.asm.FpReg.V0;
import static dev.kiln.codegen.aarch64.asm.FpReg.V1;
import static dev.kiln.codegen.aarch64.asm.FpReg.V17;
import static dev.kiln.codegen.aarch64.asm.FpReg.V2;
import static dev.kiln.codegen.aarch64.asm.FpReg.V31;
import static dev.kiln.codegen.aarch64.asm.FpReg.V5;
import static dev.kiln.codegen.aarch64.asm.Gpr.X16;

import java.util.List;

/** Golden rows of the Advanced SIMD forms, grouped as the form table is. */
final class A64VectorRows {
  private A64VectorRows() {}

  static final List<EncodingRow> ROWS = List.of(
      row("f11fbf4e", "mov v17.16b, v31.16b", Form.MOV_V, V17, V31, VArr.B16),
      row("201c7f6e", "bsl v0.16b, v1.16b, v31.16b", Form.BSL_V, V0, V1, V31, VArr.B16),
      row("020e084e", "dup v2.2d, x16", Form.DUP_X, V2, X16, VArr.D2),
      row("05e4006f", "movi v5.2d, #0000000000000000", Form.MOVI_2D, V5, VArr.D2, u(0)),
      row("45e5056f", "movi v5.2d, #0xff00ff00ff00ff00", Form.MOVI_2D, V5, VArr.D2, u(0xAA)));
}
