package dev.kiln.codegen.x64.asm;

import static dev.kiln.codegen.x64.asm.EncodingRow.imm;
import static dev.kiln.codegen.x64.asm.EncodingRow.mem;
import static dev.kiln.codegen.x64.asm.EncodingRow.row;
import static dev.kiln.codegen.x64.asm.Gpr.*;
import static dev.kiln.codegen.x64.asm.Xmm.*;

import dev.kiln.codegen.x64.asm.forms.VexForm;
import java.util.List;

/**
 * Golden rows for the AVX forms ({@link VexForm}), every one, with the two-byte (C5) and
 * three-byte (C4) VEX prefixes, extended registers in each field (and the /is4 byte) and memory sources: (expected
 * bytes in memory order, from {@code llvm-mc -show-encoding}; expected AT&amp;T text, as Capstone
 * prints it; instruction).
 */
final class VexRows {
  private VexRows() {}

  static final List<EncodingRow> ROWS = List.of(
      row("c569dbc3", "vpand %xmm3, %xmm2, %xmm8", VexForm.VPAND, XMM8, XMM2, XMM3),
      row("c4c131dfcc", "vpandn %xmm12, %xmm9, %xmm1", VexForm.VPANDN, XMM1, XMM9, XMM12),
      row("c5e9eb4810", "vpor 0x10(%rax), %xmm2, %xmm1", VexForm.VPOR, XMM1, XMM2, mem(RAX, 16)),
      row("c44131efc7", "vpxor %xmm15, %xmm9, %xmm8", VexForm.VPXOR, XMM8, XMM9, XMM15),
      row("c5e9fccb", "vpaddb %xmm3, %xmm2, %xmm1", VexForm.VPADDB, XMM1, XMM2, XMM3),
      row("c4c131fdcc", "vpaddw %xmm12, %xmm9, %xmm1", VexForm.VPADDW, XMM1, XMM9, XMM12),
      row("c569fe4010", "vpaddd 0x10(%rax), %xmm2, %xmm8", VexForm.VPADDD, XMM8, XMM2, mem(RAX, 16)),
      row("c4c131d4cf", "vpaddq %xmm15, %xmm9, %xmm1", VexForm.VPADDQ, XMM1, XMM9, XMM15),
      row("c5e9f8cb", "vpsubb %xmm3, %xmm2, %xmm1", VexForm.VPSUBB, XMM1, XMM2, XMM3),
      row("c44131f9c4", "vpsubw %xmm12, %xmm9, %xmm8", VexForm.VPSUBW, XMM8, XMM9, XMM12),
      row("c5e9fa4810", "vpsubd 0x10(%rax), %xmm2, %xmm1", VexForm.VPSUBD, XMM1, XMM2, mem(RAX, 16)),
      row("c4c131fbcf", "vpsubq %xmm15, %xmm9, %xmm1", VexForm.VPSUBQ, XMM1, XMM9, XMM15),
      row("c569d5c3", "vpmullw %xmm3, %xmm2, %xmm8", VexForm.VPMULLW, XMM8, XMM2, XMM3),
      row("c4c23140cc", "vpmulld %xmm12, %xmm9, %xmm1", VexForm.VPMULLD, XMM1, XMM9, XMM12),
      row("c4e269384810", "vpminsb 0x10(%rax), %xmm2, %xmm1", VexForm.VPMINSB, XMM1, XMM2, mem(RAX, 16)),
      row("c44131eac7", "vpminsw %xmm15, %xmm9, %xmm8", VexForm.VPMINSW, XMM8, XMM9, XMM15),
      row("c4e26939cb", "vpminsd %xmm3, %xmm2, %xmm1", VexForm.VPMINSD, XMM1, XMM2, XMM3),
      row("c4c131dacc", "vpminub %xmm12, %xmm9, %xmm1", VexForm.VPMINUB, XMM1, XMM9, XMM12),
      row("c462693a4010", "vpminuw 0x10(%rax), %xmm2, %xmm8", VexForm.VPMINUW, XMM8, XMM2, mem(RAX, 16)),
      row("c4c2313bcf", "vpminud %xmm15, %xmm9, %xmm1", VexForm.VPMINUD, XMM1, XMM9, XMM15),
      row("c4e2693ccb", "vpmaxsb %xmm3, %xmm2, %xmm1", VexForm.VPMAXSB, XMM1, XMM2, XMM3),
      row("c44131eec4", "vpmaxsw %xmm12, %xmm9, %xmm8", VexForm.VPMAXSW, XMM8, XMM9, XMM12),
      row("c4e2693d4810", "vpmaxsd 0x10(%rax), %xmm2, %xmm1", VexForm.VPMAXSD, XMM1, XMM2, mem(RAX, 16)),
      row("c4c131decf", "vpmaxub %xmm15, %xmm9, %xmm1", VexForm.VPMAXUB, XMM1, XMM9, XMM15),
      row("c462693ec3", "vpmaxuw %xmm3, %xmm2, %xmm8", VexForm.VPMAXUW, XMM8, XMM2, XMM3),
      row("c4c2313fcc", "vpmaxud %xmm12, %xmm9, %xmm1", VexForm.VPMAXUD, XMM1, XMM9, XMM12),
      row("c5e9e04810", "vpavgb 0x10(%rax), %xmm2, %xmm1", VexForm.VPAVGB, XMM1, XMM2, mem(RAX, 16)),
      row("c44131e3c7", "vpavgw %xmm15, %xmm9, %xmm8", VexForm.VPAVGW, XMM8, XMM9, XMM15),
      row("c5e9eccb", "vpaddsb %xmm3, %xmm2, %xmm1", VexForm.VPADDSB, XMM1, XMM2, XMM3),
      row("c4c131edcc", "vpaddsw %xmm12, %xmm9, %xmm1", VexForm.VPADDSW, XMM1, XMM9, XMM12),
      row("c569dc4010", "vpaddusb 0x10(%rax), %xmm2, %xmm8", VexForm.VPADDUSB, XMM8, XMM2, mem(RAX, 16)),
      row("c4c131ddcf", "vpaddusw %xmm15, %xmm9, %xmm1", VexForm.VPADDUSW, XMM1, XMM9, XMM15),
      row("c5e9e8cb", "vpsubsb %xmm3, %xmm2, %xmm1", VexForm.VPSUBSB, XMM1, XMM2, XMM3),
      row("c44131e9c4", "vpsubsw %xmm12, %xmm9, %xmm8", VexForm.VPSUBSW, XMM8, XMM9, XMM12),
      row("c5e9d84810", "vpsubusb 0x10(%rax), %xmm2, %xmm1", VexForm.VPSUBUSB, XMM1, XMM2, mem(RAX, 16)),
      row("c4c131d9cf", "vpsubusw %xmm15, %xmm9, %xmm1", VexForm.VPSUBUSW, XMM1, XMM9, XMM15),
      row("c569f5c3", "vpmaddwd %xmm3, %xmm2, %xmm8", VexForm.VPMADDWD, XMM8, XMM2, XMM3),
      row("c4c13163cc", "vpacksswb %xmm12, %xmm9, %xmm1", VexForm.VPACKSSWB, XMM1, XMM9, XMM12),
      row("c5e96b4810", "vpackssdw 0x10(%rax), %xmm2, %xmm1", VexForm.VPACKSSDW, XMM1, XMM2, mem(RAX, 16)),
      row("c4413167c7", "vpackuswb %xmm15, %xmm9, %xmm8", VexForm.VPACKUSWB, XMM8, XMM9, XMM15),
      row("c4e2692bcb", "vpackusdw %xmm3, %xmm2, %xmm1", VexForm.VPACKUSDW, XMM1, XMM2, XMM3),
      row("c4c13160cc", "vpunpcklbw %xmm12, %xmm9, %xmm1", VexForm.VPUNPCKLBW, XMM1, XMM9, XMM12),
      row("c569684010", "vpunpckhbw 0x10(%rax), %xmm2, %xmm8", VexForm.VPUNPCKHBW, XMM8, XMM2, mem(RAX, 16)),
      row("c4c13161cf", "vpunpcklwd %xmm15, %xmm9, %xmm1", VexForm.VPUNPCKLWD, XMM1, XMM9, XMM15),
      row("c5e969cb", "vpunpckhwd %xmm3, %xmm2, %xmm1", VexForm.VPUNPCKHWD, XMM1, XMM2, XMM3),
      row("c4413162c4", "vpunpckldq %xmm12, %xmm9, %xmm8", VexForm.VPUNPCKLDQ, XMM8, XMM9, XMM12),
      row("c5e96a4810", "vpunpckhdq 0x10(%rax), %xmm2, %xmm1", VexForm.VPUNPCKHDQ, XMM1, XMM2, mem(RAX, 16)),
      row("c4c1316ccf", "vpunpcklqdq %xmm15, %xmm9, %xmm1", VexForm.VPUNPCKLQDQ, XMM1, XMM9, XMM15),
      row("c5696dc3", "vpunpckhqdq %xmm3, %xmm2, %xmm8", VexForm.VPUNPCKHQDQ, XMM8, XMM2, XMM3),
      row("c4c3690fcb04", "vpalignr $4, %xmm11, %xmm2, %xmm1", VexForm.VPALIGNR, XMM1, XMM2, XMM11, imm(4)),
      row("c4c168c6cb04", "vshufps $4, %xmm11, %xmm2, %xmm1", VexForm.VSHUFPS, XMM1, XMM2, XMM11, imm(4)),
      row("c4413058c7", "vaddps %xmm15, %xmm9, %xmm8", VexForm.VADDPS, XMM8, XMM9, XMM15),
      row("c5e958cb", "vaddpd %xmm3, %xmm2, %xmm1", VexForm.VADDPD, XMM1, XMM2, XMM3),
      row("c4c1305ccc", "vsubps %xmm12, %xmm9, %xmm1", VexForm.VSUBPS, XMM1, XMM9, XMM12),
      row("c5695c4010", "vsubpd 0x10(%rax), %xmm2, %xmm8", VexForm.VSUBPD, XMM8, XMM2, mem(RAX, 16)),
      row("c4c13059cf", "vmulps %xmm15, %xmm9, %xmm1", VexForm.VMULPS, XMM1, XMM9, XMM15),
      row("c5e959cb", "vmulpd %xmm3, %xmm2, %xmm1", VexForm.VMULPD, XMM1, XMM2, XMM3),
      row("c441305ec4", "vdivps %xmm12, %xmm9, %xmm8", VexForm.VDIVPS, XMM8, XMM9, XMM12),
      row("c5e95e4810", "vdivpd 0x10(%rax), %xmm2, %xmm1", VexForm.VDIVPD, XMM1, XMM2, mem(RAX, 16)),
      row("c4c1305dcf", "vminps %xmm15, %xmm9, %xmm1", VexForm.VMINPS, XMM1, XMM9, XMM15),
      row("c5695dc3", "vminpd %xmm3, %xmm2, %xmm8", VexForm.VMINPD, XMM8, XMM2, XMM3),
      row("c4c1305fcc", "vmaxps %xmm12, %xmm9, %xmm1", VexForm.VMAXPS, XMM1, XMM9, XMM12),
      row("c5e95f4810", "vmaxpd 0x10(%rax), %xmm2, %xmm1", VexForm.VMAXPD, XMM1, XMM2, mem(RAX, 16)),
      row("c4c17171f203", "vpsllw $3, %xmm10, %xmm1", VexForm.VPSLLW_IMM, XMM1, XMM10, imm(3)),
      row("c4c17172f203", "vpslld $3, %xmm10, %xmm1", VexForm.VPSLLD_IMM, XMM1, XMM10, imm(3)),
      row("c4c17173f203", "vpsllq $3, %xmm10, %xmm1", VexForm.VPSLLQ_IMM, XMM1, XMM10, imm(3)),
      row("c4c17171d203", "vpsrlw $3, %xmm10, %xmm1", VexForm.VPSRLW_IMM, XMM1, XMM10, imm(3)),
      row("c4c17172d203", "vpsrld $3, %xmm10, %xmm1", VexForm.VPSRLD_IMM, XMM1, XMM10, imm(3)),
      row("c4c17173d203", "vpsrlq $3, %xmm10, %xmm1", VexForm.VPSRLQ_IMM, XMM1, XMM10, imm(3)),
      row("c4c17171e203", "vpsraw $3, %xmm10, %xmm1", VexForm.VPSRAW_IMM, XMM1, XMM10, imm(3)),
      row("c4c17172e203", "vpsrad $3, %xmm10, %xmm1", VexForm.VPSRAD_IMM, XMM1, XMM10, imm(3)),
      row("c5e9f1cb", "vpsllw %xmm3, %xmm2, %xmm1", VexForm.VPSLLW, XMM1, XMM2, XMM3),
      row("c4c131f2cc", "vpslld %xmm12, %xmm9, %xmm1", VexForm.VPSLLD, XMM1, XMM9, XMM12),
      row("c569f34010", "vpsllq 0x10(%rax), %xmm2, %xmm8", VexForm.VPSLLQ, XMM8, XMM2, mem(RAX, 16)),
      row("c4c131d1cf", "vpsrlw %xmm15, %xmm9, %xmm1", VexForm.VPSRLW, XMM1, XMM9, XMM15),
      row("c569d2c3", "vpsrld %xmm3, %xmm2, %xmm8", VexForm.VPSRLD, XMM8, XMM2, XMM3),
      row("c5e9d3cb", "vpsrlq %xmm3, %xmm2, %xmm1", VexForm.VPSRLQ, XMM1, XMM2, XMM3),
      row("c4c131e1cc", "vpsraw %xmm12, %xmm9, %xmm1", VexForm.VPSRAW, XMM1, XMM9, XMM12),
      row("c569e24010", "vpsrad 0x10(%rax), %xmm2, %xmm8", VexForm.VPSRAD, XMM8, XMM2, mem(RAX, 16)),
      row("c4c13174cf", "vpcmpeqb %xmm15, %xmm9, %xmm1", VexForm.VPCMPEQB, XMM1, XMM9, XMM15),
      row("c56975c3", "vpcmpeqw %xmm3, %xmm2, %xmm8", VexForm.VPCMPEQW, XMM8, XMM2, XMM3),
      row("c5e976cb", "vpcmpeqd %xmm3, %xmm2, %xmm1", VexForm.VPCMPEQD, XMM1, XMM2, XMM3),
      row("c4c23129cc", "vpcmpeqq %xmm12, %xmm9, %xmm1", VexForm.VPCMPEQQ, XMM1, XMM9, XMM12),
      row("c569644010", "vpcmpgtb 0x10(%rax), %xmm2, %xmm8", VexForm.VPCMPGTB, XMM8, XMM2, mem(RAX, 16)),
      row("c4c13165cf", "vpcmpgtw %xmm15, %xmm9, %xmm1", VexForm.VPCMPGTW, XMM1, XMM9, XMM15),
      row("c56966c3", "vpcmpgtd %xmm3, %xmm2, %xmm8", VexForm.VPCMPGTD, XMM8, XMM2, XMM3),
      row("c4e26937cb", "vpcmpgtq %xmm3, %xmm2, %xmm1", VexForm.VPCMPGTQ, XMM1, XMM2, XMM3),
      row("c4c130c2cc00", "vcmpeqps %xmm12, %xmm9, %xmm1", VexForm.VCMPEQPS, XMM1, XMM9, XMM12),
      row("c568c2401001", "vcmpltps 0x10(%rax), %xmm2, %xmm8", VexForm.VCMPLTPS, XMM8, XMM2, mem(RAX, 16)),
      row("c4c130c2cf02", "vcmpleps %xmm15, %xmm9, %xmm1", VexForm.VCMPLEPS, XMM1, XMM9, XMM15),
      row("c568c2c304", "vcmpneqps %xmm3, %xmm2, %xmm8", VexForm.VCMPNEQPS, XMM8, XMM2, XMM3),
      row("c5e9c2cb00", "vcmpeqpd %xmm3, %xmm2, %xmm1", VexForm.VCMPEQPD, XMM1, XMM2, XMM3),
      row("c4c131c2cc01", "vcmpltpd %xmm12, %xmm9, %xmm1", VexForm.VCMPLTPD, XMM1, XMM9, XMM12),
      row("c569c2401002", "vcmplepd 0x10(%rax), %xmm2, %xmm8", VexForm.VCMPLEPD, XMM8, XMM2, mem(RAX, 16)),
      row("c4c131c2cf04", "vcmpneqpd %xmm15, %xmm9, %xmm1", VexForm.VCMPNEQPD, XMM1, XMM9, XMM15),
      row("c4c3694ccb40", "vpblendvb %xmm4, %xmm11, %xmm2, %xmm1", VexForm.VPBLENDVB, XMM1, XMM2, XMM11, XMM4),
      row("c463314c4010c0", "vpblendvb %xmm12, 0x10(%rax), %xmm9, %xmm8", VexForm.VPBLENDVB, XMM8, XMM9, mem(RAX, 16), XMM12),
      row("c4e27978cb", "vpbroadcastb %xmm3, %xmm1", VexForm.VPBROADCASTB, XMM1, XMM3),
      row("c4c27979cc", "vpbroadcastw %xmm12, %xmm1", VexForm.VPBROADCASTW, XMM1, XMM12),
      row("c4627958c3", "vpbroadcastd %xmm3, %xmm8", VexForm.VPBROADCASTD, XMM8, XMM3),
      row("c4427959cf", "vpbroadcastq %xmm15, %xmm9", VexForm.VPBROADCASTQ, XMM9, XMM15)
  );
}
