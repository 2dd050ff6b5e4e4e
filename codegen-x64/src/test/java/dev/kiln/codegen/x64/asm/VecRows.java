package dev.kiln.codegen.x64.asm;

import static dev.kiln.codegen.x64.asm.EncodingRow.L;
import static dev.kiln.codegen.x64.asm.EncodingRow.imm;
import static dev.kiln.codegen.x64.asm.EncodingRow.mem;
import static dev.kiln.codegen.x64.asm.EncodingRow.rip;
import static dev.kiln.codegen.x64.asm.EncodingRow.row;
import static dev.kiln.codegen.x64.asm.Gpr.*;
import static dev.kiln.codegen.x64.asm.Xmm.*;

import dev.kiln.codegen.x64.asm.forms.VecFloatForm;
import dev.kiln.codegen.x64.asm.forms.VecIntForm;
import dev.kiln.codegen.x64.asm.forms.VecMoveForm;
import java.util.List;

/**
 * Golden rows for the vector families ({@link VecMoveForm}, {@link VecIntForm}, {@link
 * VecFloatForm}): (expected bytes in memory order, from
 * {@code llvm-mc -show-encoding}; expected AT&amp;T text, as Capstone prints it; instruction).
 */
final class VecRows {
  private VecRows() {}

  static final List<EncodingRow> ROWS = List.of(
      row("f30f6f08", "movdqu (%rax), %xmm1", VecMoveForm.MOVDQU_RM, XMM1, mem(RAX)),
      row("f3440f6fcb", "movdqu %xmm3, %xmm9", VecMoveForm.MOVDQU_RM, XMM9, XMM3),
      row("f3440f6f0df7ffffff", "movdqu -9(%rip), %xmm9", VecMoveForm.MOVDQU_RM, XMM9, rip(L)),
      row("f3470f7f742cf8", "movdqu %xmm14, -8(%r12, %r13)", VecMoveForm.MOVDQU_MR, mem(R12, R13, 1, -8), XMM14),
      // VecIntForm
      row("660fdbca", "pand %xmm2, %xmm1", VecIntForm.PAND_RM, XMM1, XMM2),
      row("66440fdb4810", "pand 0x10(%rax), %xmm9", VecIntForm.PAND_RM, XMM9, mem(RAX, 16)),
      row("66410fdfdc", "pandn %xmm12, %xmm3", VecIntForm.PANDN_RM, XMM3, XMM12),
      row("66410febc7", "por %xmm15, %xmm0", VecIntForm.POR_RM, XMM0, XMM15),
      row("660feb05f8ffffff", "por -8(%rip), %xmm0", VecIntForm.POR_RM, XMM0, rip(L)),
      row("66450f76ff", "pcmpeqd %xmm15, %xmm15", VecIntForm.PCMPEQD_RM, XMM15, XMM15),
      row("660f3817d2", "ptest %xmm2, %xmm2", VecIntForm.PTEST_RM, XMM2, XMM2),
      row("66450f38175500", "ptest (%r13), %xmm10", VecIntForm.PTEST_RM, XMM10, mem(R13, 0)),
      row("660ffcca", "paddb %xmm2, %xmm1", VecIntForm.PADDB_RM, XMM1, XMM2),
      row("66440ffdca", "paddw %xmm2, %xmm9", VecIntForm.PADDW_RM, XMM9, XMM2),
      row("660ffe4c2408", "paddd 8(%rsp), %xmm1", VecIntForm.PADDD_RM, XMM1, mem(RSP, 8)),
      row("66410fd4cc", "paddq %xmm12, %xmm1", VecIntForm.PADDQ_RM, XMM1, XMM12),
      row("660ff8ca", "psubb %xmm2, %xmm1", VecIntForm.PSUBB_RM, XMM1, XMM2),
      row("660ff9ca", "psubw %xmm2, %xmm1", VecIntForm.PSUBW_RM, XMM1, XMM2),
      row("660ffaca", "psubd %xmm2, %xmm1", VecIntForm.PSUBD_RM, XMM1, XMM2),
      row("66440ffbfa", "psubq %xmm2, %xmm15", VecIntForm.PSUBQ_RM, XMM15, XMM2),
      row("660fd5ca", "pmullw %xmm2, %xmm1", VecIntForm.PMULLW_RM, XMM1, XMM2),
      row("66410f3840ca", "pmulld %xmm10, %xmm1", VecIntForm.PMULLD_RM, XMM1, XMM10),
      row("660ff4ca", "pmuludq %xmm2, %xmm1", VecIntForm.PMULUDQ_RM, XMM1, XMM2),
      row("660f381cca", "pabsb %xmm2, %xmm1", VecIntForm.PABSB_RM, XMM1, XMM2),
      row("660f381dca", "pabsw %xmm2, %xmm1", VecIntForm.PABSW_RM, XMM1, XMM2),
      row("66440f381eda", "pabsd %xmm2, %xmm11", VecIntForm.PABSD_RM, XMM11, XMM2),
      row("660f3838ca", "pminsb %xmm2, %xmm1", VecIntForm.PMINSB_RM, XMM1, XMM2),
      row("660feaca", "pminsw %xmm2, %xmm1", VecIntForm.PMINSW_RM, XMM1, XMM2),
      row("660f3839ca", "pminsd %xmm2, %xmm1", VecIntForm.PMINSD_RM, XMM1, XMM2),
      row("660fdaca", "pminub %xmm2, %xmm1", VecIntForm.PMINUB_RM, XMM1, XMM2),
      row("660f383aca", "pminuw %xmm2, %xmm1", VecIntForm.PMINUW_RM, XMM1, XMM2),
      row("660f383bca", "pminud %xmm2, %xmm1", VecIntForm.PMINUD_RM, XMM1, XMM2),
      row("660f383cca", "pmaxsb %xmm2, %xmm1", VecIntForm.PMAXSB_RM, XMM1, XMM2),
      row("660feeca", "pmaxsw %xmm2, %xmm1", VecIntForm.PMAXSW_RM, XMM1, XMM2),
      row("660f383dca", "pmaxsd %xmm2, %xmm1", VecIntForm.PMAXSD_RM, XMM1, XMM2),
      row("660fdeca", "pmaxub %xmm2, %xmm1", VecIntForm.PMAXUB_RM, XMM1, XMM2),
      row("660f383eca", "pmaxuw %xmm2, %xmm1", VecIntForm.PMAXUW_RM, XMM1, XMM2),
      row("660f383fca", "pmaxud %xmm2, %xmm1", VecIntForm.PMAXUD_RM, XMM1, XMM2),
      row("660fe0ca", "pavgb %xmm2, %xmm1", VecIntForm.PAVGB_RM, XMM1, XMM2),
      row("660fe3ca", "pavgw %xmm2, %xmm1", VecIntForm.PAVGW_RM, XMM1, XMM2),
      row("660fecca", "paddsb %xmm2, %xmm1", VecIntForm.PADDSB_RM, XMM1, XMM2),
      row("660fedca", "paddsw %xmm2, %xmm1", VecIntForm.PADDSW_RM, XMM1, XMM2),
      row("660fdcca", "paddusb %xmm2, %xmm1", VecIntForm.PADDUSB_RM, XMM1, XMM2),
      row("660fddca", "paddusw %xmm2, %xmm1", VecIntForm.PADDUSW_RM, XMM1, XMM2),
      row("660fe8ca", "psubsb %xmm2, %xmm1", VecIntForm.PSUBSB_RM, XMM1, XMM2),
      row("660fe9ca", "psubsw %xmm2, %xmm1", VecIntForm.PSUBSW_RM, XMM1, XMM2),
      row("660fd8ca", "psubusb %xmm2, %xmm1", VecIntForm.PSUBUSB_RM, XMM1, XMM2),
      row("660fd9ca", "psubusw %xmm2, %xmm1", VecIntForm.PSUBUSW_RM, XMM1, XMM2),
      row("660f73d320", "psrlq $0x20, %xmm3", VecIntForm.PSRLQ_MI, XMM3, imm(32)),
      row("66410f73f520", "psllq $0x20, %xmm13", VecIntForm.PSLLQ_MI, XMM13, imm(32)),
      row("660f72e31f", "psrad $0x1f, %xmm3", VecIntForm.PSRAD_MI, XMM3, imm(31)),
      row("660f70dcf5", "pshufd $0xf5, %xmm4, %xmm3", VecMoveForm.PSHUFD_RMI, XMM3, XMM4, imm(0xF5)),
      row("660f701c4800", "pshufd $0, (%rax, %rcx, 2), %xmm3", VecMoveForm.PSHUFD_RMI, XMM3, mem(RAX, RCX, 2, 0), imm(0)),
      row("660f74ca", "pcmpeqb %xmm2, %xmm1", VecIntForm.PCMPEQB_RM, XMM1, XMM2),
      row("660f75ca", "pcmpeqw %xmm2, %xmm1", VecIntForm.PCMPEQW_RM, XMM1, XMM2),
      row("66410f3829cc", "pcmpeqq %xmm12, %xmm1", VecIntForm.PCMPEQQ_RM, XMM1, XMM12),
      row("660f64ca", "pcmpgtb %xmm2, %xmm1", VecIntForm.PCMPGTB_RM, XMM1, XMM2),
      row("660f65ca", "pcmpgtw %xmm2, %xmm1", VecIntForm.PCMPGTW_RM, XMM1, XMM2),
      row("660f66ca", "pcmpgtd %xmm2, %xmm1", VecIntForm.PCMPGTD_RM, XMM1, XMM2),
      row("66440f3837da", "pcmpgtq %xmm2, %xmm11", VecIntForm.PCMPGTQ_RM, XMM11, XMM2),
      row("0fc2ca00", "cmpeqps %xmm2, %xmm1", VecFloatForm.CMPEQPS_RM, XMM1, XMM2),
      row("0fc20df8ffffff00", "cmpeqps -8(%rip), %xmm1", VecFloatForm.CMPEQPS_RM, XMM1, rip(L)),
      row("0fc2ca01", "cmpltps %xmm2, %xmm1", VecFloatForm.CMPLTPS_RM, XMM1, XMM2),
      row("0fc2ca02", "cmpleps %xmm2, %xmm1", VecFloatForm.CMPLEPS_RM, XMM1, XMM2),
      row("0fc2ca04", "cmpneqps %xmm2, %xmm1", VecFloatForm.CMPNEQPS_RM, XMM1, XMM2),
      row("660fc2ca00", "cmpeqpd %xmm2, %xmm1", VecFloatForm.CMPEQPD_RM, XMM1, XMM2),
      row("66410fc2cc01", "cmpltpd %xmm12, %xmm1", VecFloatForm.CMPLTPD_RM, XMM1, XMM12),
      row("660fc2ca02", "cmplepd %xmm2, %xmm1", VecFloatForm.CMPLEPD_RM, XMM1, XMM2),
      row("660fc2ca04", "cmpneqpd %xmm2, %xmm1", VecFloatForm.CMPNEQPD_RM, XMM1, XMM2),
      row("66410f3800cf", "pshufb %xmm15, %xmm1", VecMoveForm.PSHUFB_RM, XMM1, XMM15),
      row("660f38000df7ffffff", "pshufb -9(%rip), %xmm1", VecMoveForm.PSHUFB_RM, XMM1, rip(L)),
      row("f20f70ca00", "pshuflw $0, %xmm2, %xmm1", VecMoveForm.PSHUFLW_RMI, XMM1, XMM2, imm(0)),
      row("410f16ca", "movlhps %xmm10, %xmm1", VecMoveForm.MOVLHPS_RM, XMM1, XMM10),
      row("660f3a14c80f", "pextrb $0xf, %xmm1, %eax", VecMoveForm.PEXTRB_MRI, RAX, XMM1, imm(15)),
      row("66450f3a14d103", "pextrb $3, %xmm10, %r9d", VecMoveForm.PEXTRB_MRI, R9, XMM10, imm(3)),
      row("660fc5c107", "pextrw $7, %xmm1, %eax", VecMoveForm.PEXTRW_RMI, RAX, XMM1, imm(7)),
      row("66450fc5e101", "pextrw $1, %xmm9, %r12d", VecMoveForm.PEXTRW_RMI, R12, XMM9, imm(1)),
      row("660f3a16c903", "pextrd $3, %xmm1, %ecx", VecMoveForm.PEXTRD_MRI, RCX, XMM1, imm(3)),
      row("664c0f3a16d901", "pextrq $1, %xmm11, %rcx", VecMoveForm.PEXTRQ_MRI, RCX, XMM11, imm(1)),
      row("660f3a20c80f", "pinsrb $0xf, %eax, %xmm1", VecMoveForm.PINSRB_RMI, XMM1, RAX, imm(15)),
      row("66410fc4cd07", "pinsrw $7, %r13d, %xmm1", VecMoveForm.PINSRW_RMI, XMM1, R13, imm(7)),
      row("66440f3a22ca02", "pinsrd $2, %edx, %xmm9", VecMoveForm.PINSRD_RMI, XMM9, RDX, imm(2)),
      row("66490f3a22c801", "pinsrq $1, %r8, %xmm1", VecMoveForm.PINSRQ_RMI, XMM1, R8, imm(1)),
      row("660f3a21ca30", "insertps $0x30, %xmm2, %xmm1", VecMoveForm.INSERTPS_RMI, XMM1, XMM2, imm(0x30)),
      row("660f71f307", "psllw $7, %xmm3", VecIntForm.PSLLW_MI, XMM3, imm(7)),
      row("660f72f31f", "pslld $0x1f, %xmm3", VecIntForm.PSLLD_MI, XMM3, imm(31)),
      row("66410f71d50f", "psrlw $0xf, %xmm13", VecIntForm.PSRLW_MI, XMM13, imm(15)),
      row("660f72d301", "psrld $1, %xmm3", VecIntForm.PSRLD_MI, XMM3, imm(1)),
      row("660f71e308", "psraw $8, %xmm3", VecIntForm.PSRAW_MI, XMM3, imm(8)),
      row("66410ff1df", "psllw %xmm15, %xmm3", VecIntForm.PSLLW_RM, XMM3, XMM15),
      row("660ff2d9", "pslld %xmm1, %xmm3", VecIntForm.PSLLD_RM, XMM3, XMM1),
      row("660ff3d9", "psllq %xmm1, %xmm3", VecIntForm.PSLLQ_RM, XMM3, XMM1),
      row("660fd1d9", "psrlw %xmm1, %xmm3", VecIntForm.PSRLW_RM, XMM3, XMM1),
      row("660fd2d9", "psrld %xmm1, %xmm3", VecIntForm.PSRLD_RM, XMM3, XMM1),
      row("660fd3d9", "psrlq %xmm1, %xmm3", VecIntForm.PSRLQ_RM, XMM3, XMM1),
      row("660fe1d9", "psraw %xmm1, %xmm3", VecIntForm.PSRAW_RM, XMM3, XMM1),
      row("66440fe2e1", "psrad %xmm1, %xmm12", VecIntForm.PSRAD_RM, XMM12, XMM1),
      row("660f60d9", "punpcklbw %xmm1, %xmm3", VecMoveForm.PUNPCKLBW_RM, XMM3, XMM1),
      row("660f68d9", "punpckhbw %xmm1, %xmm3", VecMoveForm.PUNPCKHBW_RM, XMM3, XMM1),
      row("660f63d9", "packsswb %xmm1, %xmm3", VecMoveForm.PACKSSWB_RM, XMM3, XMM1),
      row("66410f3820cf", "pmovsxbw %xmm15, %xmm1", VecMoveForm.PMOVSXBW_RM, XMM1, XMM15),
      row("66440f3823ca", "pmovsxwd %xmm2, %xmm9", VecMoveForm.PMOVSXWD_RM, XMM9, XMM2),
      row("660f38254808", "pmovsxdq 8(%rax), %xmm1", VecMoveForm.PMOVSXDQ_RM, XMM1, mem(RAX, 8)),
      row("66410f38305d00", "pmovzxbw (%r13), %xmm3", VecMoveForm.PMOVZXBW_RM, XMM3, mem(R13, 0)),
      row("660f3833d9", "pmovzxwd %xmm1, %xmm3", VecMoveForm.PMOVZXWD_RM, XMM3, XMM1),
      row("66450f3835f7", "pmovzxdq %xmm15, %xmm14", VecMoveForm.PMOVZXDQ_RM, XMM14, XMM15)
  );
}
