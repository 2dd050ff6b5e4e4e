package dev.kiln.codegen.x64.asm.forms;

import static dev.kiln.codegen.x64.asm.Encoding.*;
import static dev.kiln.codegen.x64.asm.FormSpec.NO_DIGIT;
import static dev.kiln.codegen.x64.asm.FormSpec.NO_W;
import static dev.kiln.codegen.x64.asm.FormSpec.of;
import static dev.kiln.codegen.x64.asm.OperandKind.*;
import static dev.kiln.codegen.x64.asm.Prefix.*;

import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.FormSpec;

/**
 * The packed-integer SSE instructions (SDM Vol. 2B, each instruction's page; SSE2 unless marked
 * SSSE3 or SSE4.1): wasm's integer and bitwise {@code v128} operators. All are {@code 66}-prefixed,
 * two-address ({@code op src, dst} in AT&amp;T), with an xmm or 16-byte memory source.
 */
public enum VecIntForm implements Form {
  // @formatter:off  one row per form, as the SDM opcode column reads
  // logical: PAND 66 0F DB, PANDN 66 0F DF (dst = ~dst & src), POR 66 0F EB
  PAND_RM(of("pand", RM, P66, NO_W, 0x0FDB, NO_DIGIT, X, XM128)),
  PANDN_RM(of("pandn", RM, P66, NO_W, 0x0FDF, NO_DIGIT, X, XM128)),
  POR_RM(of("por", RM, P66, NO_W, 0x0FEB, NO_DIGIT, X, XM128)),
  // arithmetic: PADD* 66 0F FC/FD/FE/D4, PSUB* F8/F9/FA/FB, PMULLW D5, PMULLD 0F 38 40 (SSE4.1),
  // PMULUDQ F4 (low dwords of each qword, 64-bit products)
  PADDB_RM(of("paddb", RM, P66, NO_W, 0x0FFC, NO_DIGIT, X, XM128)),
  PADDW_RM(of("paddw", RM, P66, NO_W, 0x0FFD, NO_DIGIT, X, XM128)),
  PADDD_RM(of("paddd", RM, P66, NO_W, 0x0FFE, NO_DIGIT, X, XM128)),
  PADDQ_RM(of("paddq", RM, P66, NO_W, 0x0FD4, NO_DIGIT, X, XM128)),
  PSUBB_RM(of("psubb", RM, P66, NO_W, 0x0FF8, NO_DIGIT, X, XM128)),
  PSUBW_RM(of("psubw", RM, P66, NO_W, 0x0FF9, NO_DIGIT, X, XM128)),
  PSUBD_RM(of("psubd", RM, P66, NO_W, 0x0FFA, NO_DIGIT, X, XM128)),
  PSUBQ_RM(of("psubq", RM, P66, NO_W, 0x0FFB, NO_DIGIT, X, XM128)),
  PMULLW_RM(of("pmullw", RM, P66, NO_W, 0x0FD5, NO_DIGIT, X, XM128)),
  PMULLD_RM(of("pmulld", RM, P66, NO_W, 0x0F3840, NO_DIGIT, X, XM128)),
  PMULUDQ_RM(of("pmuludq", RM, P66, NO_W, 0x0FF4, NO_DIGIT, X, XM128)),
  // widening multiplies: PMULHW E5 / PMULHUW E4 (high words of the signed / unsigned products),
  // PMULDQ 0F 38 28 (SSE4.1: signed PMULUDQ), PMADDWD F5 (signed word products, adjacent pairs
  // summed to dwords), PMADDUBSW 0F 38 04 (SSSE3: unsigned dst bytes times signed src bytes,
  // pairs summed to words with signed saturation), PMULHRSW 0F 38 0B (SSSE3: (a*b + 0x4000) >> 15)
  PMULHW_RM(of("pmulhw", RM, P66, NO_W, 0x0FE5, NO_DIGIT, X, XM128)),
  PMULHUW_RM(of("pmulhuw", RM, P66, NO_W, 0x0FE4, NO_DIGIT, X, XM128)),
  PMULDQ_RM(of("pmuldq", RM, P66, NO_W, 0x0F3828, NO_DIGIT, X, XM128)),
  PMADDWD_RM(of("pmaddwd", RM, P66, NO_W, 0x0FF5, NO_DIGIT, X, XM128)),
  PMADDUBSW_RM(of("pmaddubsw", RM, P66, NO_W, 0x0F3804, NO_DIGIT, X, XM128)),
  PMULHRSW_RM(of("pmulhrsw", RM, P66, NO_W, 0x0F380B, NO_DIGIT, X, XM128)),
  // PABSB/W/D 66 0F 38 1C/1D/1E (SSSE3): dst = |src|
  PABSB_RM(of("pabsb", RM, P66, NO_W, 0x0F381C, NO_DIGIT, X, XM128)),
  PABSW_RM(of("pabsw", RM, P66, NO_W, 0x0F381D, NO_DIGIT, X, XM128)),
  PABSD_RM(of("pabsd", RM, P66, NO_W, 0x0F381E, NO_DIGIT, X, XM128)),
  // min/max: PMINSW EA, PMINUB DA, PMAXSW EE, PMAXUB DE (SSE2); the others 0F 38 38-3F (SSE4.1)
  PMINSB_RM(of("pminsb", RM, P66, NO_W, 0x0F3838, NO_DIGIT, X, XM128)),
  PMINSW_RM(of("pminsw", RM, P66, NO_W, 0x0FEA, NO_DIGIT, X, XM128)),
  PMINSD_RM(of("pminsd", RM, P66, NO_W, 0x0F3839, NO_DIGIT, X, XM128)),
  PMINUB_RM(of("pminub", RM, P66, NO_W, 0x0FDA, NO_DIGIT, X, XM128)),
  PMINUW_RM(of("pminuw", RM, P66, NO_W, 0x0F383A, NO_DIGIT, X, XM128)),
  PMINUD_RM(of("pminud", RM, P66, NO_W, 0x0F383B, NO_DIGIT, X, XM128)),
  PMAXSB_RM(of("pmaxsb", RM, P66, NO_W, 0x0F383C, NO_DIGIT, X, XM128)),
  PMAXSW_RM(of("pmaxsw", RM, P66, NO_W, 0x0FEE, NO_DIGIT, X, XM128)),
  PMAXSD_RM(of("pmaxsd", RM, P66, NO_W, 0x0F383D, NO_DIGIT, X, XM128)),
  PMAXUB_RM(of("pmaxub", RM, P66, NO_W, 0x0FDE, NO_DIGIT, X, XM128)),
  PMAXUW_RM(of("pmaxuw", RM, P66, NO_W, 0x0F383E, NO_DIGIT, X, XM128)),
  PMAXUD_RM(of("pmaxud", RM, P66, NO_W, 0x0F383F, NO_DIGIT, X, XM128)),
  // PAVGB E0, PAVGW E3: (a + b + 1) >> 1 unsigned
  PAVGB_RM(of("pavgb", RM, P66, NO_W, 0x0FE0, NO_DIGIT, X, XM128)),
  PAVGW_RM(of("pavgw", RM, P66, NO_W, 0x0FE3, NO_DIGIT, X, XM128)),
  // saturating: PADDS* EC/ED, PADDUS* DC/DD, PSUBS* E8/E9, PSUBUS* D8/D9
  PADDSB_RM(of("paddsb", RM, P66, NO_W, 0x0FEC, NO_DIGIT, X, XM128)),
  PADDSW_RM(of("paddsw", RM, P66, NO_W, 0x0FED, NO_DIGIT, X, XM128)),
  PADDUSB_RM(of("paddusb", RM, P66, NO_W, 0x0FDC, NO_DIGIT, X, XM128)),
  PADDUSW_RM(of("paddusw", RM, P66, NO_W, 0x0FDD, NO_DIGIT, X, XM128)),
  PSUBSB_RM(of("psubsb", RM, P66, NO_W, 0x0FE8, NO_DIGIT, X, XM128)),
  PSUBSW_RM(of("psubsw", RM, P66, NO_W, 0x0FE9, NO_DIGIT, X, XM128)),
  PSUBUSB_RM(of("psubusb", RM, P66, NO_W, 0x0FD8, NO_DIGIT, X, XM128)),
  PSUBUSW_RM(of("psubusw", RM, P66, NO_W, 0x0FD9, NO_DIGIT, X, XM128)),
  // shifts by an immediate: 66 0F 71 (words) / 72 (dwords) / 73 (qwords) ib, /2 logical right,
  // /4 arithmetic right, /6 left; a count of the lane width or more shifts everything out
  PSLLW_MI(of("psllw", MI, P66, NO_W, 0x0F71, 6, X, IMM8)),
  PSLLD_MI(of("pslld", MI, P66, NO_W, 0x0F72, 6, X, IMM8)),
  PSLLQ_MI(of("psllq", MI, P66, NO_W, 0x0F73, 6, X, IMM8)),
  PSRLW_MI(of("psrlw", MI, P66, NO_W, 0x0F71, 2, X, IMM8)),
  PSRLD_MI(of("psrld", MI, P66, NO_W, 0x0F72, 2, X, IMM8)),
  PSRLQ_MI(of("psrlq", MI, P66, NO_W, 0x0F73, 2, X, IMM8)),
  PSRAW_MI(of("psraw", MI, P66, NO_W, 0x0F71, 4, X, IMM8)),
  PSRAD_MI(of("psrad", MI, P66, NO_W, 0x0F72, 4, X, IMM8)),
  // shifts by the count in an xmm register's low 64 bits: PSLL* 66 0F F1-F3, PSRL* D1-D3, PSRA* E1-E2
  PSLLW_RM(of("psllw", RM, P66, NO_W, 0x0FF1, NO_DIGIT, X, XM128)),
  PSLLD_RM(of("pslld", RM, P66, NO_W, 0x0FF2, NO_DIGIT, X, XM128)),
  PSLLQ_RM(of("psllq", RM, P66, NO_W, 0x0FF3, NO_DIGIT, X, XM128)),
  PSRLW_RM(of("psrlw", RM, P66, NO_W, 0x0FD1, NO_DIGIT, X, XM128)),
  PSRLD_RM(of("psrld", RM, P66, NO_W, 0x0FD2, NO_DIGIT, X, XM128)),
  PSRLQ_RM(of("psrlq", RM, P66, NO_W, 0x0FD3, NO_DIGIT, X, XM128)),
  PSRAW_RM(of("psraw", RM, P66, NO_W, 0x0FE1, NO_DIGIT, X, XM128)),
  PSRAD_RM(of("psrad", RM, P66, NO_W, 0x0FE2, NO_DIGIT, X, XM128)),
  // compares, all ones where true: PCMPEQB/W/D 66 0F 74/75/76 (a register compared with itself is
  // all ones), PCMPEQQ 0F 38 29 (SSE4.1), PCMPGTB/W/D 64/65/66, PCMPGTQ 0F 38 37 (SSE4.2)
  PCMPEQB_RM(of("pcmpeqb", RM, P66, NO_W, 0x0F74, NO_DIGIT, X, XM128)),
  PCMPEQW_RM(of("pcmpeqw", RM, P66, NO_W, 0x0F75, NO_DIGIT, X, XM128)),
  PCMPEQD_RM(of("pcmpeqd", RM, P66, NO_W, 0x0F76, NO_DIGIT, X, XM128)),
  PCMPEQQ_RM(of("pcmpeqq", RM, P66, NO_W, 0x0F3829, NO_DIGIT, X, XM128)),
  PCMPGTB_RM(of("pcmpgtb", RM, P66, NO_W, 0x0F64, NO_DIGIT, X, XM128)),
  PCMPGTW_RM(of("pcmpgtw", RM, P66, NO_W, 0x0F65, NO_DIGIT, X, XM128)),
  PCMPGTD_RM(of("pcmpgtd", RM, P66, NO_W, 0x0F66, NO_DIGIT, X, XM128)),
  PCMPGTQ_RM(of("pcmpgtq", RM, P66, NO_W, 0x0F3837, NO_DIGIT, X, XM128)),
  // PTEST 66 0F 38 17 (SSE4.1): ZF = (src & dst) == 0
  PTEST_RM(of("ptest", RM, P66, NO_W, 0x0F3817, NO_DIGIT, X, XM128));
  // @formatter:on

  private final FormSpec spec;

  VecIntForm(FormSpec spec) {
    this.spec = spec;
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
