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
 * Data movement: MOV in all operand sizes, MOV with a 32- or 64-bit immediate (movabs), zero and sign
 * extension (MOVZX, MOVSX, MOVSXD) and LEA (SDM Vol. 2A, LEA, MOV; Vol. 2B, MOVSX/MOVSXD, MOVZX).
 */
public enum MovForm implements Form {
  // @formatter:off  one row per form, as the SDM opcode column reads
  // MOV: 88/89 /r, 8A/8B /r, C6/C7 /0 (SDM Vol. 2A, MOV)
  MOVB_MR(of("movb", MR, NONE, NO_W, 0x88, NO_DIGIT, RM8, R8)),
  MOVB_RM(of("movb", RM, NONE, NO_W, 0x8A, NO_DIGIT, R8, RM8)),
  MOVB_MI(of("movb", MI, NONE, NO_W, 0xC6, 0, RM8, IMM8)),
  MOVW_MR(of("movw", MR, P66, NO_W, 0x89, NO_DIGIT, RM16, R16)),
  MOVW_RM(of("movw", RM, P66, NO_W, 0x8B, NO_DIGIT, R16, RM16)),
  MOVW_MI(of("movw", MI, P66, NO_W, 0xC7, 0, RM16, IMM16)),
  MOVL_MR(of("movl", MR, NONE, NO_W, 0x89, NO_DIGIT, RM32, R32)),
  MOVL_RM(of("movl", RM, NONE, NO_W, 0x8B, NO_DIGIT, R32, RM32)),
  MOVL_MI(of("movl", MI, NONE, NO_W, 0xC7, 0, RM32, IMM32)),
  MOVQ_MR(of("movq", MR, NONE, REX_W, 0x89, NO_DIGIT, RM64, R64)),
  MOVQ_RM(of("movq", RM, NONE, REX_W, 0x8B, NO_DIGIT, R64, RM64)),
  MOVQ_MI(of("movq", MI, NONE, REX_W, 0xC7, 0, RM64, SIMM32)),
  // B8+rd id: zero-extends into the full register
  MOVL_OI(of("movl", OI, NONE, NO_W, 0xB8, NO_DIGIT, R32, IMM32)),
  // REX.W B8+rd io: the only 64-bit immediate
  MOVABSQ_OI(of("movabsq", OI, NONE, REX_W, 0xB8, NO_DIGIT, R64, IMM64)),
  // MOVZX 0F B6/B7, MOVSX 0F BE/BF, MOVSXD 63 (SDM Vol. 2B)
  MOVZBL_RM(of("movzbl", RM, NONE, NO_W, 0x0FB6, NO_DIGIT, R32, RM8)),
  MOVZBQ_RM(of("movzbq", RM, NONE, REX_W, 0x0FB6, NO_DIGIT, R64, RM8)),
  MOVZWL_RM(of("movzwl", RM, NONE, NO_W, 0x0FB7, NO_DIGIT, R32, RM16)),
  MOVZWQ_RM(of("movzwq", RM, NONE, REX_W, 0x0FB7, NO_DIGIT, R64, RM16)),
  MOVSBL_RM(of("movsbl", RM, NONE, NO_W, 0x0FBE, NO_DIGIT, R32, RM8)),
  MOVSBQ_RM(of("movsbq", RM, NONE, REX_W, 0x0FBE, NO_DIGIT, R64, RM8)),
  MOVSWL_RM(of("movswl", RM, NONE, NO_W, 0x0FBF, NO_DIGIT, R32, RM16)),
  MOVSWQ_RM(of("movswq", RM, NONE, REX_W, 0x0FBF, NO_DIGIT, R64, RM16)),
  MOVSLQ_RM(of("movslq", RM, NONE, REX_W, 0x63, NO_DIGIT, R64, RM32)),
  // LEA 8D /r (SDM Vol. 2A, LEA)
  LEAL_RM(of("leal", RM, NONE, NO_W, 0x8D, NO_DIGIT, R32, MEM)),
  LEAQ_RM(of("leaq", RM, NONE, REX_W, 0x8D, NO_DIGIT, R64, MEM));
  // @formatter:on

  private final FormSpec spec;

  MovForm(FormSpec spec) {
    this.spec = spec;
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
