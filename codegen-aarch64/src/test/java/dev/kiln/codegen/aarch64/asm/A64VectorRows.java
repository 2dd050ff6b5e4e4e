package dev.kiln.codegen.aarch64.asm;

import static dev.kiln.codegen.aarch64.asm.EncodingRow.row;
import static dev.kiln.codegen.aarch64.asm.EncodingRow.u;
import static dev.kiln.codegen.aarch64.asm.FpReg.V0;
import static dev.kiln.codegen.aarch64.asm.FpReg.V1;
import static dev.kiln.codegen.aarch64.asm.FpReg.V17;
import static dev.kiln.codegen.aarch64.asm.FpReg.V2;
import static dev.kiln.codegen.aarch64.asm.FpReg.V27;
import static dev.kiln.codegen.aarch64.asm.FpReg.V3;
import static dev.kiln.codegen.aarch64.asm.FpReg.V30;
import static dev.kiln.codegen.aarch64.asm.FpReg.V4;
import static dev.kiln.codegen.aarch64.asm.FpReg.V31;
import static dev.kiln.codegen.aarch64.asm.FpReg.V5;
import static dev.kiln.codegen.aarch64.asm.FpReg.V6;
import static dev.kiln.codegen.aarch64.asm.FpReg.V7;
import static dev.kiln.codegen.aarch64.asm.Gpr.X0;
import static dev.kiln.codegen.aarch64.asm.Gpr.X1;
import static dev.kiln.codegen.aarch64.asm.Gpr.X17;
import static dev.kiln.codegen.aarch64.asm.Gpr.X16;
import static dev.kiln.codegen.aarch64.asm.Gpr.X2;
import static dev.kiln.codegen.aarch64.asm.Gpr.X5;

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
      row("45e5056f", "movi v5.2d, #0xff00ff00ff00ff00", Form.MOVI_2D, V5, VArr.D2, u(0xAA)),
      row("2084224e", "add v0.16b, v1.16b, v2.16b", Form.ADD_V, V0, V1, V2, VArr.B16),
      row("2084e24e", "add v0.2d, v1.2d, v2.2d", Form.ADD_V, V0, V1, V2, VArr.D2),
      row("8384656e", "sub v3.8h, v4.8h, v5.8h", Form.SUB_V, V3, V4, V5, VArr.H8),
      row("839ca54e", "mul v3.4s, v4.4s, v5.4s", Form.MUL_V, V3, V4, V5, VArr.S4),
      row("83b8e06e", "neg v3.2d, v4.2d", Form.NEG_V, V3, V4, VArr.D2),
      row("83b8204e", "abs v3.16b, v4.16b", Form.ABS_V, V3, V4, VArr.B16),
      row("836ca54e", "smin v3.4s, v4.4s, v5.4s", Form.SMIN_V, V3, V4, V5, VArr.S4),
      row("836ca56e", "umin v3.4s, v4.4s, v5.4s", Form.UMIN_V, V3, V4, V5, VArr.S4),
      row("8364a54e", "smax v3.4s, v4.4s, v5.4s", Form.SMAX_V, V3, V4, V5, VArr.S4),
      row("8364a56e", "umax v3.4s, v4.4s, v5.4s", Form.UMAX_V, V3, V4, V5, VArr.S4),
      row("8314656e", "urhadd v3.8h, v4.8h, v5.8h", Form.URHADD_V, V3, V4, V5, VArr.H8),
      row("830c254e", "sqadd v3.16b, v4.16b, v5.16b", Form.SQADD_V, V3, V4, V5, VArr.B16),
      row("830c256e", "uqadd v3.16b, v4.16b, v5.16b", Form.UQADD_V, V3, V4, V5, VArr.B16),
      row("832c654e", "sqsub v3.8h, v4.8h, v5.8h", Form.SQSUB_V, V3, V4, V5, VArr.H8),
      row("832c656e", "uqsub v3.8h, v4.8h, v5.8h", Form.UQSUB_V, V3, V4, V5, VArr.H8),
      row("203c1f0e", "umov w0, v1.b[0xf]", Form.UMOV_W, X0, V1, VArr.B16, u(15)),
      row("203c0e0e", "umov w0, v1.h[3]", Form.UMOV_W, X0, V1, VArr.H8, u(3)),
      row("253c140e", "mov w5, v1.s[2]", Form.MOV_W_ELEM, X5, V1, VArr.S4, u(2)),
      row("703c184e", "mov x16, v3.d[1]", Form.MOV_X_ELEM, X16, V3, VArr.D2, u(1)),
      row("202c0f0e", "smov w0, v1.b[7]", Form.SMOV_W, X0, V1, VArr.B16, u(7)),
      row("202c1e0e", "smov w0, v1.h[7]", Form.SMOV_W, X0, V1, VArr.H8, u(7)),
      row("031e134e", "ins v3.b[9], w16", Form.INS_W, V3, VArr.B16, u(9), X16),
      row("431c1c4e", "ins v3.s[3], w2", Form.INS_W, V3, VArr.S4, u(3), X2),
      row("031e184e", "ins v3.d[1], x16", Form.INS_X, V3, VArr.D2, u(1), X16),
      row("208c226e", "cmeq v0.16b, v1.16b, v2.16b", Form.CMEQ_V, V0, V1, V2, VArr.B16),
      row("208ce26e", "cmeq v0.2d, v1.2d, v2.2d", Form.CMEQ_V, V0, V1, V2, VArr.D2),
      row("2034624e", "cmgt v0.8h, v1.8h, v2.8h", Form.CMGT_V, V0, V1, V2, VArr.H8),
      row("203ca24e", "cmge v0.4s, v1.4s, v2.4s", Form.CMGE_V, V0, V1, V2, VArr.S4),
      row("2034226e", "cmhi v0.16b, v1.16b, v2.16b", Form.CMHI_V, V0, V1, V2, VArr.B16),
      row("203ca26e", "cmhs v0.4s, v1.4s, v2.4s", Form.CMHS_V, V0, V1, V2, VArr.S4),
      row("20e4224e", "fcmeq v0.4s, v1.4s, v2.4s", Form.FCMEQ_V, V0, V1, V2, VArr.S4),
      row("20e4624e", "fcmeq v0.2d, v1.2d, v2.2d", Form.FCMEQ_V, V0, V1, V2, VArr.D2),
      row("20e4226e", "fcmge v0.4s, v1.4s, v2.4s", Form.FCMGE_V, V0, V1, V2, VArr.S4),
      row("20e4e26e", "fcmgt v0.2d, v1.2d, v2.2d", Form.FCMGT_V, V0, V1, V2, VArr.D2),
      row("200c014e", "dup v0.16b, w1", Form.DUP_W, V0, X1, VArr.B16),
      row("200c024e", "dup v0.8h, w1", Form.DUP_W, V0, X1, VArr.H8),
      row("3f0e044e", "dup v31.4s, w17", Form.DUP_W, V31, X17, VArr.S4),
      row("2004044e", "dup v0.4s, v1.s[0]", Form.DUP_ELEM, V0, V1, VArr.S4, u(0)),
      row("2004184e", "dup v0.2d, v1.d[1]", Form.DUP_ELEM, V0, V1, VArr.D2, u(1)),
      row("20041f4e", "dup v0.16b, v1.b[0xf]", Form.DUP_ELEM, V0, V1, VArr.B16, u(15)),
      row("2004145e", "mov s0, v1.s[2]", Form.MOV_SCALAR_ELEM, V0, V1, VArr.S4, u(2)),
      row("2304185e", "mov d3, v1.d[1]", Form.MOV_SCALAR_ELEM, V3, V1, VArr.D2, u(1)),
      row("20040c6e", "ins v0.s[1], v1.s[0]", Form.INS_ELEM, V0, VArr.S4, u(1), V1, u(0)),
      row("2006186e", "ins v0.d[1], v17.d[0]", Form.INS_ELEM, V0, VArr.D2, u(1), V17, u(0)),
      row("204e076e", "ins v0.b[3], v17.b[9]", Form.INS_ELEM, V0, VArr.B16, u(3), V17, u(9)),
      row("20540f4f", "shl v0.16b, v1.16b, #7", Form.SHL_V, V0, V1, VArr.B16, u(7)),
      row("20547f4f", "shl v0.2d, v1.2d, #0x3f", Form.SHL_V, V0, V1, VArr.D2, u(63)),
      row("2054214f", "shl v0.4s, v1.4s, #1", Form.SHL_V, V0, V1, VArr.S4, u(1)),
      row("2004106f", "ushr v0.8h, v1.8h, #0x10", Form.USHR_V, V0, V1, VArr.H8, u(16)),
      row("20047f6f", "ushr v0.2d, v1.2d, #1", Form.USHR_V, V0, V1, VArr.D2, u(1)),
      row("20040d4f", "sshr v0.16b, v1.16b, #3", Form.SSHR_V, V0, V1, VArr.B16, u(3)),
      row("2004204f", "sshr v0.4s, v1.4s, #0x20", Form.SSHR_V, V0, V1, VArr.S4, u(32)),
      row("2044bf4e", "sshl v0.4s, v1.4s, v31.4s", Form.SSHL_V, V0, V1, V31, VArr.S4),
      row("2044ff6e", "ushl v0.2d, v1.2d, v31.2d", Form.USHL_V, V0, V1, V31, VArr.D2),
      row("20a4080f", "sshll v0.8h, v1.8b, #0", Form.SSHLL_V, V0, V1, VArr.B8, u(0)),
      row("e2a7104f", "sshll2 v2.4s, v31.8h, #0", Form.SSHLL2_V, V2, V31, VArr.H8, u(0)),
      row("20a4202f", "ushll v0.2d, v1.2s, #0", Form.USHLL_V, V0, V1, VArr.S2, u(0)),
      row("31a4086f", "ushll2 v17.8h, v1.16b, #0", Form.USHLL2_V, V17, V1, VArr.B16, u(0)),
      row("20001f4e", "tbl v0.16b, {v1.16b}, v31.16b", Form.TBL_V, V0, V1, V31, VArr.B16),
      row("51101f4e", "tbx v17.16b, {v2.16b}, v31.16b", Form.TBX_V, V17, V2, V31, VArr.B16),
      row("e0431f6e", "ext v0.16b, v31.16b, v31.16b, #8", Form.EXT_V, V0, V31, V31, VArr.B16, u(8)),
      row("ff3b004e", "zip1 v31.16b, v31.16b, v0.16b", Form.ZIP1_V, V31, V31, V0, VArr.B16),
      row("4138834e", "zip1 v1.4s, v2.4s, v3.4s", Form.ZIP1_V, V1, V2, V3, VArr.S4),
      row("ffbb714e", "addv h31, v31.8h", Form.ADDV, V31, V31, VArr.H8),
      row("20b8b14e", "addv s0, v1.4s", Form.ADDV, V0, V1, VArr.S4),
      row("ffbb310e", "addv b31, v31.8b", Form.ADDV, V31, V31, VArr.B8),
      row("ffbbf15e", "addp d31, v31.2d", Form.ADDP_SCALAR, V31, V31, VArr.D2),
      row("e0bfa04e", "addp v0.4s, v31.4s, v0.4s", Form.ADDP_V, V0, V31, V0, VArr.S4),
      row("2028204e", "saddlp v0.8h, v1.16b", Form.SADDLP_V, V0, V1, VArr.B16),
      row("222a606e", "uaddlp v2.4s, v17.8h", Form.UADDLP_V, V2, V17, VArr.H8),
      row("2058204e", "cnt v0.16b, v1.16b", Form.CNT_V, V0, V1, VArr.B16),
      row("ff5b200e", "cnt v31.8b, v31.8b", Form.CNT_V, V31, V31, VArr.B8),
      row("2048210e", "sqxtn v0.8b, v1.8h", Form.SQXTN_V, V0, V1, VArr.B8),
      row("4048614e", "sqxtn2 v0.8h, v2.4s", Form.SQXTN2_V, V0, V2, VArr.H8),
      row("2328612e", "sqxtun v3.4h, v1.4s", Form.SQXTUN_V, V3, V1, VArr.H4),
      row("232a216e", "sqxtun2 v3.16b, v17.8h", Form.SQXTUN2_V, V3, V17, VArr.B16),
      row("1fc0610e", "smull v31.4s, v0.4h, v1.4h", Form.SMULL_V, V31, V0, V1, VArr.H4),
      row("02c0614e", "smull2 v2.4s, v0.8h, v1.8h", Form.SMULL2_V, V2, V0, V1, VArr.H8),
      row("20c0a22e", "umull v0.2d, v1.2s, v2.2s", Form.UMULL_V, V0, V1, V2, VArr.S2),
      row("20c0226e", "umull2 v0.8h, v1.16b, v2.16b", Form.UMULL2_V, V0, V1, V2, VArr.B16),
      row("20c0220e", "smull v0.8h, v1.8b, v2.8b", Form.SMULL_V, V0, V1, V2, VArr.B8),
      row("20b4626e", "sqrdmulh v0.8h, v1.8h, v2.8h", Form.SQRDMULH_V, V0, V1, V2, VArr.H8),
      row("20d4224e", "fadd v0.4s, v1.4s, v2.4s", Form.FADD_V, V0, V1, V2, VArr.S4),
      row("20d4624e", "fadd v0.2d, v1.2d, v2.2d", Form.FADD_V, V0, V1, V2, VArr.D2),
      row("23d4bf4e", "fsub v3.4s, v1.4s, v31.4s", Form.FSUB_V, V3, V1, V31, VArr.S4),
      row("20dc626e", "fmul v0.2d, v1.2d, v2.2d", Form.FMUL_V, V0, V1, V2, VArr.D2),
      row("20fe226e", "fdiv v0.4s, v17.4s, v2.4s", Form.FDIV_V, V0, V17, V2, VArr.S4),
      row("20f4e24e", "fmin v0.2d, v1.2d, v2.2d", Form.FMIN_V, V0, V1, V2, VArr.D2),
      row("20f4224e", "fmax v0.4s, v1.4s, v2.4s", Form.FMAX_V, V0, V1, V2, VArr.S4),
      row("41cc234e", "fmla v1.4s, v2.4s, v3.4s", Form.FMLA_V, V1, V2, V3, VArr.S4),
      row("1ecc7f4e", "fmla v30.2d, v0.2d, v31.2d", Form.FMLA_V, V30, V0, V31, VArr.D2),
      row("41cca34e", "fmls v1.4s, v2.4s, v3.4s", Form.FMLS_V, V1, V2, V3, VArr.S4),
      row("27cefb4e", "fmls v7.2d, v17.2d, v27.2d", Form.FMLS_V, V7, V17, V27, VArr.D2),
      row("20f8e16e", "fsqrt v0.2d, v1.2d", Form.FSQRT_V, V0, V1, VArr.D2),
      row("20f8a06e", "fneg v0.4s, v1.4s", Form.FNEG_V, V0, V1, VArr.S4),
      row("3ff8e04e", "fabs v31.2d, v1.2d", Form.FABS_V, V31, V1, VArr.D2),
      row("2088a14e", "frintp v0.4s, v1.4s", Form.FRINTP_V, V0, V1, VArr.S4),
      row("2098614e", "frintm v0.2d, v1.2d", Form.FRINTM_V, V0, V1, VArr.D2),
      row("4098a14e", "frintz v0.4s, v2.4s", Form.FRINTZ_V, V0, V2, VArr.S4),
      row("2088614e", "frintn v0.2d, v1.2d", Form.FRINTN_V, V0, V1, VArr.D2),
      row("20d8214e", "scvtf v0.4s, v1.4s", Form.SCVTF_V, V0, V1, VArr.S4),
      row("e0db616e", "ucvtf v0.2d, v31.2d", Form.UCVTF_V, V0, V31, VArr.D2),
      row("3fb8e14e", "fcvtzs v31.2d, v1.2d", Form.FCVTZS_V, V31, V1, VArr.D2),
      row("20b8a16e", "fcvtzu v0.4s, v1.4s", Form.FCVTZU_V, V0, V1, VArr.S4),
      row("2068610e", "fcvtn v0.2s, v1.2d", Form.FCVTN_V, V0, V1, VArr.S2),
      row("207a610e", "fcvtl v0.2d, v17.2s", Form.FCVTL_V, V0, V17, VArr.S2),
      row("e04ba12e", "uqxtn v0.2s, v31.2d", Form.UQXTN_V, V0, V31, VArr.S2),
      row("2078824e", "zip2 v0.4s, v1.4s, v2.4s", Form.ZIP2_V, V0, V1, V2, VArr.S4),
      row("2018424e", "uzp1 v0.8h, v1.8h, v2.8h", Form.UZP1_V, V0, V1, V2, VArr.H8),
      row("2058df4e", "uzp2 v0.2d, v1.2d, v31.2d", Form.UZP2_V, V0, V1, V31, VArr.D2),
      row("3128024e", "trn1 v17.16b, v1.16b, v2.16b", Form.TRN1_V, V17, V1, V2, VArr.B16),
      row("2068824e", "trn2 v0.4s, v1.4s, v2.4s", Form.TRN2_V, V0, V1, V2, VArr.S4));
}
