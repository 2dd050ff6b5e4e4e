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
 * Control flow, condition codes and the stack: SETcc, CMOVcc, Jcc, JMP, CALL, RET, PUSH, POP, and the
 * trap and padding instructions UD2, INT3 and NOP. The condition of SETcc/CMOVcc/Jcc is an operand
 * ({@link dev.kiln.codegen.x64.asm.Cond}) added to the opcode, so each is one row.
 */
public enum ControlForm implements Form {
  // @formatter:off  one row per form, as the SDM opcode column reads
  // SETcc 0F 90+cc, CMOVcc 0F 40+cc, Jcc 70+cc cb / 0F 80+cc cd (SDM Vol. 2A Jcc, CMOVcc; Vol. 2B SETcc)
  SETCC_M(of("set{cc}", M, NONE, NO_W, 0x0F90, 0, CC, RM8)),
  CMOVW_RM(of("cmov{cc}w", RM, P66, NO_W, 0x0F40, NO_DIGIT, CC, R16, RM16)),
  CMOVL_RM(of("cmov{cc}l", RM, NONE, NO_W, 0x0F40, NO_DIGIT, CC, R32, RM32)),
  CMOVQ_RM(of("cmov{cc}q", RM, NONE, REX_W, 0x0F40, NO_DIGIT, CC, R64, RM64)),
  JCC_REL8(of("j{cc}", D, NONE, NO_W, 0x70, NO_DIGIT, CC, REL8)),
  JCC_REL32(of("j{cc}", D, NONE, NO_W, 0x0F80, NO_DIGIT, CC, REL32)),
  // JMP EB cb, E9 cd, FF /4; CALL E8 cd, FF /2; RET C3, C2 iw (SDM Vol. 2A CALL, JMP; Vol. 2B RET). Near branches default to 64-bit operands, no REX.W
  JMP_REL8(of("jmp", D, NONE, NO_W, 0xEB, NO_DIGIT, REL8)),
  JMP_REL32(of("jmp", D, NONE, NO_W, 0xE9, NO_DIGIT, REL32)),
  JMPQ_M(of("jmpq", M, NONE, NO_W, 0xFF, 4, RM64).with(FormFlag.INDIRECT)),
  CALLQ_REL32(of("callq", D, NONE, NO_W, 0xE8, NO_DIGIT, REL32)),
  CALLQ_M(of("callq", M, NONE, NO_W, 0xFF, 2, RM64).with(FormFlag.INDIRECT)),
  RETQ(of("retq", ZO, NONE, NO_W, 0xC3, NO_DIGIT)),
  RETQ_I16(of("retq", I, NONE, NO_W, 0xC2, NO_DIGIT, IMM16)),
  // PUSH 50+rd, FF /6, 6A ib, 68 id; POP 58+rd, 8F /0 (SDM Vol. 2B, POP, PUSH)
  PUSHQ_O(of("pushq", O, NONE, NO_W, 0x50, NO_DIGIT, R64)),
  PUSHQ_M(of("pushq", M, NONE, NO_W, 0xFF, 6, RM64)),
  PUSHQ_I8(of("pushq", I, NONE, NO_W, 0x6A, NO_DIGIT, SIMM8)),
  PUSHQ_I32(of("pushq", I, NONE, NO_W, 0x68, NO_DIGIT, SIMM32)),
  POPQ_O(of("popq", O, NONE, NO_W, 0x58, NO_DIGIT, R64)),
  POPQ_M(of("popq", M, NONE, NO_W, 0x8F, 0, RM64)),
  // UD2 0F 0B, INT3 CC, NOP 90 and 0F 1F /0 (SDM Vol. 2A INT n/INTO/INT3; Vol. 2B NOP, UD)
  UD2(of("ud2", ZO, NONE, NO_W, 0x0F0B, NO_DIGIT)),
  INT3(of("int3", ZO, NONE, NO_W, 0xCC, NO_DIGIT)),
  NOP(of("nop", ZO, NONE, NO_W, 0x90, NO_DIGIT)),
  NOP_N(of("nop", NOP_SEQUENCE, NONE, NO_W, 0x90, NO_DIGIT, NOP_LENGTH));
  // @formatter:on

  private final FormSpec spec;

  ControlForm(FormSpec spec) {
    this.spec = spec;
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
