package dev.kiln.codegen.x64.asm.forms;

import static dev.kiln.codegen.x64.asm.Encoding.*;
import static dev.kiln.codegen.x64.asm.FormSpec.NO_DIGIT;
import static dev.kiln.codegen.x64.asm.FormSpec.NO_W;
import static dev.kiln.codegen.x64.asm.FormSpec.REX_W;
import static dev.kiln.codegen.x64.asm.FormSpec.of;
import static dev.kiln.codegen.x64.asm.OperandKind.*;
import static dev.kiln.codegen.x64.asm.Prefix.*;

import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.FormFlag;
import dev.kiln.codegen.x64.asm.FormSpec;

/**
 * The SSE scalar and bitwise instructions wasm's f32/f64 operations need (SDM Vol. 2A/2B, each
 * instruction's page; ROUNDSS/ROUNDSD are SSE4.1). A mandatory prefix (66, F2, F3) selects the
 * instruction and precedes REX.
 */
public enum SseForm implements Form {
  // @formatter:off  one row per form, as the SDM opcode column reads
  // MOVSS F3 0F 10/11, MOVSD F2 0F 10/11 (SDM Vol. 2B)
  MOVSS_RM(of("movss", RM, PF3, NO_W, 0x0F10, NO_DIGIT, X, XM32)),
  MOVSS_MR(of("movss", MR, PF3, NO_W, 0x0F11, NO_DIGIT, XM32, X)),
  MOVSD_RM(of("movsd", RM, PF2, NO_W, 0x0F10, NO_DIGIT, X, XM64)),
  MOVSD_MR(of("movsd", MR, PF2, NO_W, 0x0F11, NO_DIGIT, XM64, X)),
  // MOVD/MOVQ 66 0F 6E/7E, REX.W for 64 bits (SDM Vol. 2B, MOVD/MOVQ)
  MOVD_TO_XMM(of("movd", RM, P66, NO_W, 0x0F6E, NO_DIGIT, X, RM32)),
  MOVD_FROM_XMM(of("movd", MR, P66, NO_W, 0x0F7E, NO_DIGIT, RM32, X)),
  MOVQ_TO_XMM(of("movq", RM, P66, REX_W, 0x0F6E, NO_DIGIT, X, RM64)),
  MOVQ_FROM_XMM(of("movq", MR, P66, REX_W, 0x0F7E, NO_DIGIT, RM64, X)),
  // scalar arithmetic F3 (single) / F2 (double) 0F 51/58/59/5C/5D/5E/5F (SDM Vol. 2A/2B, ADDSS ... SQRTSD)
  SQRTSS_RM(of("sqrtss", RM, PF3, NO_W, 0x0F51, NO_DIGIT, X, XM32)),
  SQRTSD_RM(of("sqrtsd", RM, PF2, NO_W, 0x0F51, NO_DIGIT, X, XM64)),
  ADDSS_RM(of("addss", RM, PF3, NO_W, 0x0F58, NO_DIGIT, X, XM32)),
  ADDSD_RM(of("addsd", RM, PF2, NO_W, 0x0F58, NO_DIGIT, X, XM64)),
  MULSS_RM(of("mulss", RM, PF3, NO_W, 0x0F59, NO_DIGIT, X, XM32)),
  MULSD_RM(of("mulsd", RM, PF2, NO_W, 0x0F59, NO_DIGIT, X, XM64)),
  SUBSS_RM(of("subss", RM, PF3, NO_W, 0x0F5C, NO_DIGIT, X, XM32)),
  SUBSD_RM(of("subsd", RM, PF2, NO_W, 0x0F5C, NO_DIGIT, X, XM64)),
  MINSS_RM(of("minss", RM, PF3, NO_W, 0x0F5D, NO_DIGIT, X, XM32)),
  MINSD_RM(of("minsd", RM, PF2, NO_W, 0x0F5D, NO_DIGIT, X, XM64)),
  DIVSS_RM(of("divss", RM, PF3, NO_W, 0x0F5E, NO_DIGIT, X, XM32)),
  DIVSD_RM(of("divsd", RM, PF2, NO_W, 0x0F5E, NO_DIGIT, X, XM64)),
  MAXSS_RM(of("maxss", RM, PF3, NO_W, 0x0F5F, NO_DIGIT, X, XM32)),
  MAXSD_RM(of("maxsd", RM, PF2, NO_W, 0x0F5F, NO_DIGIT, X, XM64)),
  // UCOMISS 0F 2E, UCOMISD 66 0F 2E (SDM Vol. 2B)
  UCOMISS_RM(of("ucomiss", RM, NONE, NO_W, 0x0F2E, NO_DIGIT, X, XM32)),
  UCOMISD_RM(of("ucomisd", RM, P66, NO_W, 0x0F2E, NO_DIGIT, X, XM64)),
  // CVTSI2SS F3 0F 2A, CVTSI2SD F2 0F 2A, CVTTSS2SI F3 0F 2C, CVTTSD2SI F2 0F 2C, REX.W for 64-bit integers
  CVTSI2SSL_RM(of("cvtsi2ssl", RM, PF3, NO_W, 0x0F2A, NO_DIGIT, X, RM32)),
  CVTSI2SSQ_RM(of("cvtsi2ssq", RM, PF3, REX_W, 0x0F2A, NO_DIGIT, X, RM64)),
  CVTSI2SDL_RM(of("cvtsi2sdl", RM, PF2, NO_W, 0x0F2A, NO_DIGIT, X, RM32)),
  CVTSI2SDQ_RM(of("cvtsi2sdq", RM, PF2, REX_W, 0x0F2A, NO_DIGIT, X, RM64)),
  CVTTSS2SIL_RM(of("cvttss2si", RM, PF3, NO_W, 0x0F2C, NO_DIGIT, R32, XM32)),
  CVTTSS2SIQ_RM(of("cvttss2si", RM, PF3, REX_W, 0x0F2C, NO_DIGIT, R64, XM32)),
  CVTTSD2SIL_RM(of("cvttsd2si", RM, PF2, NO_W, 0x0F2C, NO_DIGIT, R32, XM64)),
  CVTTSD2SIQ_RM(of("cvttsd2si", RM, PF2, REX_W, 0x0F2C, NO_DIGIT, R64, XM64)),
  // CVTSS2SD F3 0F 5A, CVTSD2SS F2 0F 5A
  CVTSS2SD_RM(of("cvtss2sd", RM, PF3, NO_W, 0x0F5A, NO_DIGIT, X, XM32)),
  CVTSD2SS_RM(of("cvtsd2ss", RM, PF2, NO_W, 0x0F5A, NO_DIGIT, X, XM64)),
  // ROUNDSS 66 0F 3A 0A ib, ROUNDSD 66 0F 3A 0B ib (SSE4.1; SDM Vol. 2B)
  ROUNDSS_RMI(of("roundss", RMI, P66, NO_W, 0x0F3A0A, NO_DIGIT, X, XM32, IMM8)),
  ROUNDSD_RMI(of("roundsd", RMI, P66, NO_W, 0x0F3A0B, NO_DIGIT, X, XM64, IMM8)),
  // packed bitwise: 0F 54-57 (66 for pd), PXOR 66 0F EF; used for float abs/neg/copysign masks
  ANDPS_RM(of("andps", RM, NONE, NO_W, 0x0F54, NO_DIGIT, X, XM128)),
  ANDPD_RM(of("andpd", RM, P66, NO_W, 0x0F54, NO_DIGIT, X, XM128)),
  ANDNPS_RM(of("andnps", RM, NONE, NO_W, 0x0F55, NO_DIGIT, X, XM128)),
  ANDNPD_RM(of("andnpd", RM, P66, NO_W, 0x0F55, NO_DIGIT, X, XM128)),
  ORPS_RM(of("orps", RM, NONE, NO_W, 0x0F56, NO_DIGIT, X, XM128)),
  ORPD_RM(of("orpd", RM, P66, NO_W, 0x0F56, NO_DIGIT, X, XM128)),
  XORPS_RM(of("xorps", RM, NONE, NO_W, 0x0F57, NO_DIGIT, X, XM128)),
  XORPD_RM(of("xorpd", RM, P66, NO_W, 0x0F57, NO_DIGIT, X, XM128)),
  PXOR_RM(of("pxor", RM, P66, NO_W, 0x0FEF, NO_DIGIT, X, XM128)),
  // MOVAPS 0F 28/29, MOVAPD 66 0F 28/29: register moves and aligned 16-byte loads/stores
  MOVAPS_RM(of("movaps", RM, NONE, NO_W, 0x0F28, NO_DIGIT, X, XM128)),
  MOVAPS_MR(of("movaps", MR, NONE, NO_W, 0x0F29, NO_DIGIT, XM128, X)),
  MOVAPD_RM(of("movapd", RM, P66, NO_W, 0x0F28, NO_DIGIT, X, XM128)),
  MOVAPD_MR(of("movapd", MR, P66, NO_W, 0x0F29, NO_DIGIT, XM128, X));
  // @formatter:on

  private final FormSpec spec;

  SseForm(FormSpec spec) {
    this.spec = spec;
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
