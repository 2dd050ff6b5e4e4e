package dev.kiln.codegen.x64.asm;

import static dev.kiln.codegen.x64.asm.EncodingRow.L;
import static dev.kiln.codegen.x64.asm.EncodingRow.mem;
import static dev.kiln.codegen.x64.asm.EncodingRow.rip;
import static dev.kiln.codegen.x64.asm.EncodingRow.row;
import static dev.kiln.codegen.x64.asm.Gpr.*;
import static dev.kiln.codegen.x64.asm.Xmm.*;

import dev.kiln.codegen.x64.asm.forms.VecMoveForm;
import java.util.List;

/**
 * Golden rows for the vector families ({@link VecMoveForm}): (expected bytes in memory order, from
 * {@code llvm-mc -show-encoding}; expected AT&amp;T text, as Capstone prints it; instruction).
 */
final class VecRows {
  private VecRows() {}

  static final List<EncodingRow> ROWS = List.of(
      row("f30f6f08", "movdqu (%rax), %xmm1", VecMoveForm.MOVDQU_RM, XMM1, mem(RAX)),
      row("f3440f6fcb", "movdqu %xmm3, %xmm9", VecMoveForm.MOVDQU_RM, XMM9, XMM3),
      row("f3440f6f0df7ffffff", "movdqu -9(%rip), %xmm9", VecMoveForm.MOVDQU_RM, XMM9, rip(L)),
      row("f3470f7f742cf8", "movdqu %xmm14, -8(%r12, %r13)", VecMoveForm.MOVDQU_MR, mem(R12, R13, 1, -8), XMM14)
  );
}
