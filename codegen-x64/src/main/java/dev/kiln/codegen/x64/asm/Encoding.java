package dev.kiln.codegen.x64.asm;

/**
 * Operand encodings, the "Op/En" column of the SDM's instruction pages (Vol. 2A section 3.1.1.6). The
 * operand list of a form is in Intel order (destination first); the encoding says where each goes.
 */
public enum Encoding {
  /** op1 in ModRM.reg, op2 in ModRM.r/m. */
  RM,
  /** op1 in ModRM.reg, op2 in ModRM.r/m, op3 an immediate (imul r, r/m, imm; roundss). */
  RMI,
  /** op1 in ModRM.r/m, op2 in ModRM.reg. */
  MR,
  /** op1 in ModRM.r/m, op2 in ModRM.reg, op3 an immediate (pextrb r/m32, xmm, imm8). */
  MRI,
  /** op1 in ModRM.r/m, ModRM.reg = /digit, op2 an immediate of the operand size. */
  MI,
  /** As MI with a sign-extended imm8 (the 83 /digit ib group). */
  MI8,
  /** op1 in ModRM.r/m, ModRM.reg = /digit, op2 the implicit %cl (shifts by cl). */
  MC,
  /** op1 in ModRM.r/m, ModRM.reg = /digit. */
  M,
  /** op1 a register in the opcode's low three bits (+rd), REX.B for r8-r15. */
  O,
  /** As O, op2 an immediate. */
  OI,
  /** op1 a relative branch target (rel8 or rel32). */
  D,
  /** op1 an immediate. */
  I,
  /** No explicit operands. */
  ZO,
  /** A recommended multi-byte NOP of the requested length (SDM Vol. 2B, NOP, table 4-12). */
  NOP_SEQUENCE,
  // The VEX encodings (SDM Vol. 2A section 2.3): a second source in VEX.vvvv makes the AVX forms
  // three-address. Forms of these encodings are VEX-encoded, 128 bits (VEX.L = 0).
  /** op1 in ModRM.reg, op2 in VEX.vvvv, op3 in ModRM.r/m. */
  RVM,
  /** As RVM, op4 an immediate (vshufps, vpalignr). */
  RVMI,
  /** op1 in VEX.vvvv, op2 in ModRM.r/m, ModRM.reg = /digit, op3 an immediate (vpsllw by imm). */
  VMI,
  /** As RVM, op4 a register in bits 7:4 of a trailing byte, "/is4" (vpblendvb, SDM section 2.3.5.6). */
  RVMR,
  /** op1 in ModRM.reg, op2 in ModRM.r/m, VEX.vvvv unused (1111): vpbroadcastb. */
  VRM,
  /** As VRM, op3 an immediate: BMI2's rorx. */
  VRMI,
  /** op1 in ModRM.reg, op2 in ModRM.r/m, op3 in VEX.vvvv: BMI2's shifts by a register (shlx). */
  RMV;

  /** Whether forms of this encoding take a VEX prefix instead of legacy prefixes and REX. */
  public boolean isVex() {
    return this == RVM || this == RVMI || this == VMI || this == RVMR || this == VRM || this == VRMI
        || this == RMV;
  }
}
