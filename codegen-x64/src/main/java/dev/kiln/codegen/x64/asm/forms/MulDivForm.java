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
 * Multiplication, division, negation and complement (SDM Vol. 2A DIV, IDIV, IMUL, MUL, CWD/CDQ/CQO;
 * Vol. 2B NEG, NOT). The one-operand forms use rdx:rax implicitly; CDQ/CQO prepare rdx for signed
 * division.
 */
public enum MulDivForm implements Form {
  // @formatter:off  one row per form, as the SDM opcode column reads
  // F6/F7 /digit: one-operand group 3 (SDM Vol. 2A DIV, IDIV, IMUL, MUL; Vol. 2B NEG, NOT)
  NOTB_M(of("notb", M, NONE, NO_W, 0xF6, 2, RM8)),
  NOTW_M(of("notw", M, P66, NO_W, 0xF7, 2, RM16)),
  NOTL_M(of("notl", M, NONE, NO_W, 0xF7, 2, RM32)),
  NOTQ_M(of("notq", M, NONE, REX_W, 0xF7, 2, RM64)),
  NEGB_M(of("negb", M, NONE, NO_W, 0xF6, 3, RM8)),
  NEGW_M(of("negw", M, P66, NO_W, 0xF7, 3, RM16)),
  NEGL_M(of("negl", M, NONE, NO_W, 0xF7, 3, RM32)),
  NEGQ_M(of("negq", M, NONE, REX_W, 0xF7, 3, RM64)),
  MULB_M(of("mulb", M, NONE, NO_W, 0xF6, 4, RM8)),
  MULW_M(of("mulw", M, P66, NO_W, 0xF7, 4, RM16)),
  MULL_M(of("mull", M, NONE, NO_W, 0xF7, 4, RM32)),
  MULQ_M(of("mulq", M, NONE, REX_W, 0xF7, 4, RM64)),
  IMULB_M(of("imulb", M, NONE, NO_W, 0xF6, 5, RM8)),
  IMULW_M(of("imulw", M, P66, NO_W, 0xF7, 5, RM16)),
  IMULL_M(of("imull", M, NONE, NO_W, 0xF7, 5, RM32)),
  IMULQ_M(of("imulq", M, NONE, REX_W, 0xF7, 5, RM64)),
  DIVB_M(of("divb", M, NONE, NO_W, 0xF6, 6, RM8)),
  DIVW_M(of("divw", M, P66, NO_W, 0xF7, 6, RM16)),
  DIVL_M(of("divl", M, NONE, NO_W, 0xF7, 6, RM32)),
  DIVQ_M(of("divq", M, NONE, REX_W, 0xF7, 6, RM64)),
  IDIVB_M(of("idivb", M, NONE, NO_W, 0xF6, 7, RM8)),
  IDIVW_M(of("idivw", M, P66, NO_W, 0xF7, 7, RM16)),
  IDIVL_M(of("idivl", M, NONE, NO_W, 0xF7, 7, RM32)),
  IDIVQ_M(of("idivq", M, NONE, REX_W, 0xF7, 7, RM64)),
  // IMUL r, r/m: 0F AF /r; IMUL r, r/m, imm: 6B /r ib, 69 /r iw/id
  IMULW_RM(of("imulw", RM, P66, NO_W, 0x0FAF, NO_DIGIT, R16, RM16)),
  IMULL_RM(of("imull", RM, NONE, NO_W, 0x0FAF, NO_DIGIT, R32, RM32)),
  IMULQ_RM(of("imulq", RM, NONE, REX_W, 0x0FAF, NO_DIGIT, R64, RM64)),
  IMULW_RMI8(of("imulw", RMI, P66, NO_W, 0x6B, NO_DIGIT, R16, RM16, SIMM8)),
  IMULW_RMI(of("imulw", RMI, P66, NO_W, 0x69, NO_DIGIT, R16, RM16, IMM16)),
  IMULL_RMI8(of("imull", RMI, NONE, NO_W, 0x6B, NO_DIGIT, R32, RM32, SIMM8)),
  IMULL_RMI(of("imull", RMI, NONE, NO_W, 0x69, NO_DIGIT, R32, RM32, IMM32)),
  IMULQ_RMI8(of("imulq", RMI, NONE, REX_W, 0x6B, NO_DIGIT, R64, RM64, SIMM8)),
  IMULQ_RMI(of("imulq", RMI, NONE, REX_W, 0x69, NO_DIGIT, R64, RM64, SIMM32)),
  // CDQ / CQO: sign-extend eax into edx, rax into rdx, before idiv (SDM Vol. 2A, CWD/CDQ/CQO)
  CLTD(of("cltd", ZO, NONE, NO_W, 0x99, NO_DIGIT)),
  CQTO(of("cqto", ZO, NONE, REX_W, 0x99, NO_DIGIT));
  // @formatter:on

  private final FormSpec spec;

  MulDivForm(FormSpec spec) {
    this.spec = spec;
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
