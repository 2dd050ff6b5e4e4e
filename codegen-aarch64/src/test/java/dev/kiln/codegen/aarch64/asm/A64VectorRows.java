package dev.kiln.codegen.aarch64.asm;

import static dev.kiln.codegen.aarch64.asm.EncodingRow.row;
import static dev.kiln.codegen.aarch64.asm.EncodingRow.u;
import static dev.kiln.codegen.aarch64.asm.FpReg.V0;
import static dev.kiln.codegen.aarch64.asm.FpReg.V1;
import static dev.kiln.codegen.aarch64.asm.FpReg.V17;
import static dev.kiln.codegen.aarch64.asm.FpReg.V2;
import static dev.kiln.codegen.aarch64.asm.FpReg.V3;
import static dev.kiln.codegen.aarch64.asm.FpReg.V4;
import static dev.kiln.codegen.aarch64.asm.FpReg.V31;
import static dev.kiln.codegen.aarch64.asm.FpReg.V5;
import static dev.kiln.codegen.aarch64.asm.FpReg.V6;
import static dev.kiln.codegen.aarch64.asm.FpReg.V7;
import static dev.kiln.codegen.aarch64.asm.Gpr.X16;

import java.util.List;

/** Golden rows of the Advanced SIMD forms, grouped as the form table is. */
final class A64VectorRows {
  private A64VectorRows() {}

  static final List<EncodingRow> ROWS = List.of(
      row("f11fbf4e", "mov v17.16b, v31.16b", Form.MOV_V, V17, V31, VArr.B16),
      row("201c7f6e", "bsl v0.16b, v1.16b, v31.16b", Form.BSL_V, V0, V1, V31, VArr.B16),
      row("201ca26e", "bit v0.16b, v1.16b, v2.16b", Form.BIT_V, V0, V1, V2, VArr.B16),
      row("201c3f4e", "and v0.16b, v1.16b, v31.16b", Form.AND_V, V0, V1, V31, VArr.B16),
      row("511ca34e", "orr v17.16b, v2.16b, v3.16b", Form.ORR_V, V17, V2, V3, VArr.B16),
      row("201c226e", "eor v0.16b, v1.16b, v2.16b", Form.EOR_V, V0, V1, V2, VArr.B16),
      row("c51c674e", "bic v5.16b, v6.16b, v7.16b", Form.BIC_V, V5, V6, V7, VArr.B16),
      row("e05b206e", "mvn v0.16b, v31.16b", Form.NOT_V, V0, V31, VArr.B16),
      row("83a8b06e", "umaxv s3, v4.4s", Form.UMAXV, V3, V4, VArr.S4),
      row("83a8306e", "umaxv b3, v4.16b", Form.UMAXV, V3, V4, VArr.B16),
      row("83a8716e", "uminv h3, v4.8h", Form.UMINV, V3, V4, VArr.H8),
      row("020e084e", "dup v2.2d, x16", Form.DUP_X, V2, X16, VArr.D2),
      row("05e4006f", "movi v5.2d, #0000000000000000", Form.MOVI_2D, V5, VArr.D2, u(0)),
      row("45e5056f", "movi v5.2d, #0xff00ff00ff00ff00", Form.MOVI_2D, V5, VArr.D2, u(0xAA)));
}
