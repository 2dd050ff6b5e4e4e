package dev.kiln.codegen.x64.asm;

import static dev.kiln.codegen.x64.asm.EncodingRow.L;
import static dev.kiln.codegen.x64.asm.EncodingRow.mem;
import static dev.kiln.codegen.x64.asm.EncodingRow.rip;
import static dev.kiln.codegen.x64.asm.EncodingRow.row;
import static dev.kiln.codegen.x64.asm.Gpr.*;
import static dev.kiln.codegen.x64.asm.Xmm.*;

import dev.kiln.codegen.x64.asm.forms.VecIntForm;
import dev.kiln.codegen.x64.asm.forms.VecMoveForm;
import java.util.List;

/**
 * Golden rows for the vector families ({@link VecMoveForm}, {@link VecIntForm}): (expected bytes in memory order, from
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
      row("66450f38175500", "ptest (%r13), %xmm10", VecIntForm.PTEST_RM, XMM10, mem(R13, 0))
  );
}
