package dev.kiln.codegen.x64.asm.forms;

import static dev.kiln.codegen.x64.asm.Encoding.*;
import static dev.kiln.codegen.x64.asm.FormSpec.NO_DIGIT;
import static dev.kiln.codegen.x64.asm.FormSpec.NO_W;
import static dev.kiln.codegen.x64.asm.FormSpec.REX_W;
import static dev.kiln.codegen.x64.asm.FormSpec.of;
import static dev.kiln.codegen.x64.asm.OperandKind.*;
import static dev.kiln.codegen.x64.asm.Prefix.*;

import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.FormSpec;

/**
 * Moves of whole 128-bit vectors and of lanes in and out of them (SDM Vol. 2A/2B, each
 * instruction's page): the data movement of wasm's {@code v128} operators. Unaligned forms
 * ({@code movdqu}) serve linear memory, where wasm fixes no alignment (spec 4.4.7: the alignment
 * immediate is a hint).
 */
public enum VecMoveForm implements Form {
  // @formatter:off  one row per form, as the SDM opcode column reads
  // MOVDQU F3 0F 6F/7F (SDM Vol. 2B "MOVDQU")
  MOVDQU_RM(of("movdqu", RM, PF3, NO_W, 0x0F6F, NO_DIGIT, X, XM128)),
  MOVDQU_MR(of("movdqu", MR, PF3, NO_W, 0x0F7F, NO_DIGIT, XM128, X)),
  // PSHUFD 66 0F 70 /r ib: dword i of dst = dword (imm >> 2i & 3) of src; PSHUFLW F2 0F 70 /r ib
  // the same for the low four words
  PSHUFD_RMI(of("pshufd", RMI, P66, NO_W, 0x0F70, NO_DIGIT, X, XM128, IMM8)),
  PSHUFLW_RMI(of("pshuflw", RMI, PF2, NO_W, 0x0F70, NO_DIGIT, X, XM128, IMM8)),
  // PSHUFHW F3 0F 70 /r ib: the same for the high four words
  PSHUFHW_RMI(of("pshufhw", RMI, PF3, NO_W, 0x0F70, NO_DIGIT, X, XM128, IMM8)),
  // PALIGNR 66 0F 3A 0F /r ib (SSSE3): bytes imm.. of the 32-byte dst:src (src the low half)
  PALIGNR_RMI(of("palignr", RMI, P66, NO_W, 0x0F3A0F, NO_DIGIT, X, XM128, IMM8)),
  // PSHUFB 66 0F 38 00 (SSSE3): byte i of dst = src byte (mask byte i & 15), or 0 when its bit 7 is set
  PSHUFB_RM(of("pshufb", RM, P66, NO_W, 0x0F3800, NO_DIGIT, X, XM128)),
  // interleave and pack: PUNPCKLBW 66 0F 60 / PUNPCKHBW 68 (bytes of the low / high halves of dst
  // and src, alternately), PACKSSWB 63 (words of dst then src to bytes, signed saturation)
  PUNPCKLBW_RM(of("punpcklbw", RM, P66, NO_W, 0x0F60, NO_DIGIT, X, XM128)),
  PUNPCKHBW_RM(of("punpckhbw", RM, P66, NO_W, 0x0F68, NO_DIGIT, X, XM128)),
  PACKSSWB_RM(of("packsswb", RM, P66, NO_W, 0x0F63, NO_DIGIT, X, XM128)),
  // PUNPCKLWD 61 / PUNPCKHWD 69 (words); PACKSSDW 6B (dwords to words, signed saturation),
  // PACKUSWB 67 (words to bytes, unsigned saturation of signed words), PACKUSDW 0F 38 2B (SSE4.1)
  PUNPCKLWD_RM(of("punpcklwd", RM, P66, NO_W, 0x0F61, NO_DIGIT, X, XM128)),
  PUNPCKHWD_RM(of("punpckhwd", RM, P66, NO_W, 0x0F69, NO_DIGIT, X, XM128)),
  // PUNPCKLDQ 62 / PUNPCKHDQ 6A (dwords), PUNPCKLQDQ 6C / PUNPCKHQDQ 6D (qwords)
  PUNPCKLDQ_RM(of("punpckldq", RM, P66, NO_W, 0x0F62, NO_DIGIT, X, XM128)),
  PUNPCKHDQ_RM(of("punpckhdq", RM, P66, NO_W, 0x0F6A, NO_DIGIT, X, XM128)),
  PUNPCKLQDQ_RM(of("punpcklqdq", RM, P66, NO_W, 0x0F6C, NO_DIGIT, X, XM128)),
  PUNPCKHQDQ_RM(of("punpckhqdq", RM, P66, NO_W, 0x0F6D, NO_DIGIT, X, XM128)),
  PACKSSDW_RM(of("packssdw", RM, P66, NO_W, 0x0F6B, NO_DIGIT, X, XM128)),
  PACKUSWB_RM(of("packuswb", RM, P66, NO_W, 0x0F67, NO_DIGIT, X, XM128)),
  PACKUSDW_RM(of("packusdw", RM, P66, NO_W, 0x0F382B, NO_DIGIT, X, XM128)),
  // sign-bit masks into a general register: PMOVMSKB 66 0F D7 (bytes), MOVMSKPS 0F 50 (dwords),
  // MOVMSKPD 66 0F 50 (qwords); bit i is the top bit of lane i, the rest zero
  PMOVMSKB_RM(of("pmovmskb", RM, P66, NO_W, 0x0FD7, NO_DIGIT, R32, X)),
  MOVMSKPS_RM(of("movmskps", RM, NONE, NO_W, 0x0F50, NO_DIGIT, R32, X)),
  MOVMSKPD_RM(of("movmskpd", RM, P66, NO_W, 0x0F50, NO_DIGIT, R32, X)),
  // widening moves (SSE4.1): PMOVSXBW/WD/DQ 66 0F 38 20/23/25 and PMOVZXBW/WD/DQ 30/33/35, the
  // low 8 bytes of src, each lane sign- or zero-extended to twice its width
  PMOVSXBW_RM(of("pmovsxbw", RM, P66, NO_W, 0x0F3820, NO_DIGIT, X, XM64)),
  PMOVSXWD_RM(of("pmovsxwd", RM, P66, NO_W, 0x0F3823, NO_DIGIT, X, XM64)),
  PMOVSXDQ_RM(of("pmovsxdq", RM, P66, NO_W, 0x0F3825, NO_DIGIT, X, XM64)),
  PMOVZXBW_RM(of("pmovzxbw", RM, P66, NO_W, 0x0F3830, NO_DIGIT, X, XM64)),
  PMOVZXWD_RM(of("pmovzxwd", RM, P66, NO_W, 0x0F3833, NO_DIGIT, X, XM64)),
  PMOVZXDQ_RM(of("pmovzxdq", RM, P66, NO_W, 0x0F3835, NO_DIGIT, X, XM64)),
  // MOVLHPS 0F 16: the low qword of src into the high qword of dst
  MOVLHPS_RM(of("movlhps", RM, NONE, NO_W, 0x0F16, NO_DIGIT, X, X)),
  // lane extracts: PEXTRB 66 0F 3A 14 /r ib, PEXTRD/Q 66 (REX.W) 0F 3A 16 /r ib (SSE4.1), PEXTRW
  // 66 0F C5 /r ib (SSE2); the lane is zero-extended into the general register
  PEXTRB_MRI(of("pextrb", MRI, P66, NO_W, 0x0F3A14, NO_DIGIT, RM32, X, IMM8)),
  PEXTRW_RMI(of("pextrw", RMI, P66, NO_W, 0x0FC5, NO_DIGIT, R32, X, IMM8)),
  PEXTRD_MRI(of("pextrd", MRI, P66, NO_W, 0x0F3A16, NO_DIGIT, RM32, X, IMM8)),
  PEXTRQ_MRI(of("pextrq", MRI, P66, REX_W, 0x0F3A16, NO_DIGIT, RM64, X, IMM8)),
  // lane inserts: PINSRB 66 0F 3A 20, PINSRD/Q 66 (REX.W) 0F 3A 22 (SSE4.1), PINSRW 66 0F C4 (SSE2),
  // INSERTPS 66 0F 3A 21 (SSE4.1; imm bits 5:4 the destination lane)
  PINSRB_RMI(of("pinsrb", RMI, P66, NO_W, 0x0F3A20, NO_DIGIT, X, RM32, IMM8)),
  PINSRW_RMI(of("pinsrw", RMI, P66, NO_W, 0x0FC4, NO_DIGIT, X, RM32, IMM8)),
  PINSRD_RMI(of("pinsrd", RMI, P66, NO_W, 0x0F3A22, NO_DIGIT, X, RM32, IMM8)),
  PINSRQ_RMI(of("pinsrq", RMI, P66, REX_W, 0x0F3A22, NO_DIGIT, X, RM64, IMM8)),
  INSERTPS_RMI(of("insertps", RMI, P66, NO_W, 0x0F3A21, NO_DIGIT, X, XM32, IMM8));
  // @formatter:on

  private final FormSpec spec;

  VecMoveForm(FormSpec spec) {
    this.spec = spec;
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
