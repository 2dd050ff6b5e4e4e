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
  // PSHUFD 66 0F 70 /r ib: dword i of dst = dword (imm >> 2i & 3) of src
  PSHUFD_RMI(of("pshufd", RMI, P66, NO_W, 0x0F70, NO_DIGIT, X, XM128, IMM8));
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
