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
 * Integer ALU operations with two operands (SDM Vol. 2A, ADD, ADC, AND, CMP, OR, SBB, SUB, XOR; Vol. 2B,
 * TEST). The eight classic operations share one layout, opcode {@code 8*op + 0..3} for the register
 * forms and {@code 80/81/83 /op} for immediates, so their rows differ only in the base opcode and
 * /digit. {@code and}, {@code or} and {@code xor} print their immediates unsigned, as Capstone does.
 */
public enum AluForm implements Form {
  // @formatter:off  one row per form, as the SDM opcode column reads
  // ADD: 00/01 /r (MR), 02/03 /r (RM), 80/81 /0 ib/iw/id (MI), 83 /0 ib (MI8)
  ADDB_MR(of("addb", MR, NONE, NO_W, 0x00, NO_DIGIT, RM8, R8)),
  ADDB_RM(of("addb", RM, NONE, NO_W, 0x02, NO_DIGIT, R8, RM8)),
  ADDB_MI(of("addb", MI, NONE, NO_W, 0x80, 0, RM8, IMM8)),
  ADDW_MR(of("addw", MR, P66, NO_W, 0x01, NO_DIGIT, RM16, R16)),
  ADDW_RM(of("addw", RM, P66, NO_W, 0x03, NO_DIGIT, R16, RM16)),
  ADDW_MI(of("addw", MI, P66, NO_W, 0x81, 0, RM16, IMM16)),
  ADDW_MI8(of("addw", MI8, P66, NO_W, 0x83, 0, RM16, SIMM8)),
  ADDL_MR(of("addl", MR, NONE, NO_W, 0x01, NO_DIGIT, RM32, R32)),
  ADDL_RM(of("addl", RM, NONE, NO_W, 0x03, NO_DIGIT, R32, RM32)),
  ADDL_MI(of("addl", MI, NONE, NO_W, 0x81, 0, RM32, IMM32)),
  ADDL_MI8(of("addl", MI8, NONE, NO_W, 0x83, 0, RM32, SIMM8)),
  ADDQ_MR(of("addq", MR, NONE, REX_W, 0x01, NO_DIGIT, RM64, R64)),
  ADDQ_RM(of("addq", RM, NONE, REX_W, 0x03, NO_DIGIT, R64, RM64)),
  ADDQ_MI(of("addq", MI, NONE, REX_W, 0x81, 0, RM64, SIMM32)),
  ADDQ_MI8(of("addq", MI8, NONE, REX_W, 0x83, 0, RM64, SIMM8)),
  // OR: 08/09 /r (MR), 0A/0B /r (RM), 80/81 /1 ib/iw/id (MI), 83 /1 ib (MI8)
  ORB_MR(of("orb", MR, NONE, NO_W, 0x08, NO_DIGIT, RM8, R8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORB_RM(of("orb", RM, NONE, NO_W, 0x0A, NO_DIGIT, R8, RM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORB_MI(of("orb", MI, NONE, NO_W, 0x80, 1, RM8, IMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORW_MR(of("orw", MR, P66, NO_W, 0x09, NO_DIGIT, RM16, R16).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORW_RM(of("orw", RM, P66, NO_W, 0x0B, NO_DIGIT, R16, RM16).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORW_MI(of("orw", MI, P66, NO_W, 0x81, 1, RM16, IMM16).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORW_MI8(of("orw", MI8, P66, NO_W, 0x83, 1, RM16, SIMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORL_MR(of("orl", MR, NONE, NO_W, 0x09, NO_DIGIT, RM32, R32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORL_RM(of("orl", RM, NONE, NO_W, 0x0B, NO_DIGIT, R32, RM32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORL_MI(of("orl", MI, NONE, NO_W, 0x81, 1, RM32, IMM32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORL_MI8(of("orl", MI8, NONE, NO_W, 0x83, 1, RM32, SIMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORQ_MR(of("orq", MR, NONE, REX_W, 0x09, NO_DIGIT, RM64, R64).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORQ_RM(of("orq", RM, NONE, REX_W, 0x0B, NO_DIGIT, R64, RM64).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORQ_MI(of("orq", MI, NONE, REX_W, 0x81, 1, RM64, SIMM32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ORQ_MI8(of("orq", MI8, NONE, REX_W, 0x83, 1, RM64, SIMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  // ADC: 10/11 /r (MR), 12/13 /r (RM), 80/81 /2 ib/iw/id (MI), 83 /2 ib (MI8)
  ADCB_MR(of("adcb", MR, NONE, NO_W, 0x10, NO_DIGIT, RM8, R8)),
  ADCB_RM(of("adcb", RM, NONE, NO_W, 0x12, NO_DIGIT, R8, RM8)),
  ADCB_MI(of("adcb", MI, NONE, NO_W, 0x80, 2, RM8, IMM8)),
  ADCW_MR(of("adcw", MR, P66, NO_W, 0x11, NO_DIGIT, RM16, R16)),
  ADCW_RM(of("adcw", RM, P66, NO_W, 0x13, NO_DIGIT, R16, RM16)),
  ADCW_MI(of("adcw", MI, P66, NO_W, 0x81, 2, RM16, IMM16)),
  ADCW_MI8(of("adcw", MI8, P66, NO_W, 0x83, 2, RM16, SIMM8)),
  ADCL_MR(of("adcl", MR, NONE, NO_W, 0x11, NO_DIGIT, RM32, R32)),
  ADCL_RM(of("adcl", RM, NONE, NO_W, 0x13, NO_DIGIT, R32, RM32)),
  ADCL_MI(of("adcl", MI, NONE, NO_W, 0x81, 2, RM32, IMM32)),
  ADCL_MI8(of("adcl", MI8, NONE, NO_W, 0x83, 2, RM32, SIMM8)),
  ADCQ_MR(of("adcq", MR, NONE, REX_W, 0x11, NO_DIGIT, RM64, R64)),
  ADCQ_RM(of("adcq", RM, NONE, REX_W, 0x13, NO_DIGIT, R64, RM64)),
  ADCQ_MI(of("adcq", MI, NONE, REX_W, 0x81, 2, RM64, SIMM32)),
  ADCQ_MI8(of("adcq", MI8, NONE, REX_W, 0x83, 2, RM64, SIMM8)),
  // SBB: 18/19 /r (MR), 1A/1B /r (RM), 80/81 /3 ib/iw/id (MI), 83 /3 ib (MI8)
  SBBB_MR(of("sbbb", MR, NONE, NO_W, 0x18, NO_DIGIT, RM8, R8)),
  SBBB_RM(of("sbbb", RM, NONE, NO_W, 0x1A, NO_DIGIT, R8, RM8)),
  SBBB_MI(of("sbbb", MI, NONE, NO_W, 0x80, 3, RM8, IMM8)),
  SBBW_MR(of("sbbw", MR, P66, NO_W, 0x19, NO_DIGIT, RM16, R16)),
  SBBW_RM(of("sbbw", RM, P66, NO_W, 0x1B, NO_DIGIT, R16, RM16)),
  SBBW_MI(of("sbbw", MI, P66, NO_W, 0x81, 3, RM16, IMM16)),
  SBBW_MI8(of("sbbw", MI8, P66, NO_W, 0x83, 3, RM16, SIMM8)),
  SBBL_MR(of("sbbl", MR, NONE, NO_W, 0x19, NO_DIGIT, RM32, R32)),
  SBBL_RM(of("sbbl", RM, NONE, NO_W, 0x1B, NO_DIGIT, R32, RM32)),
  SBBL_MI(of("sbbl", MI, NONE, NO_W, 0x81, 3, RM32, IMM32)),
  SBBL_MI8(of("sbbl", MI8, NONE, NO_W, 0x83, 3, RM32, SIMM8)),
  SBBQ_MR(of("sbbq", MR, NONE, REX_W, 0x19, NO_DIGIT, RM64, R64)),
  SBBQ_RM(of("sbbq", RM, NONE, REX_W, 0x1B, NO_DIGIT, R64, RM64)),
  SBBQ_MI(of("sbbq", MI, NONE, REX_W, 0x81, 3, RM64, SIMM32)),
  SBBQ_MI8(of("sbbq", MI8, NONE, REX_W, 0x83, 3, RM64, SIMM8)),
  // AND: 20/21 /r (MR), 22/23 /r (RM), 80/81 /4 ib/iw/id (MI), 83 /4 ib (MI8)
  ANDB_MR(of("andb", MR, NONE, NO_W, 0x20, NO_DIGIT, RM8, R8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDB_RM(of("andb", RM, NONE, NO_W, 0x22, NO_DIGIT, R8, RM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDB_MI(of("andb", MI, NONE, NO_W, 0x80, 4, RM8, IMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDW_MR(of("andw", MR, P66, NO_W, 0x21, NO_DIGIT, RM16, R16).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDW_RM(of("andw", RM, P66, NO_W, 0x23, NO_DIGIT, R16, RM16).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDW_MI(of("andw", MI, P66, NO_W, 0x81, 4, RM16, IMM16).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDW_MI8(of("andw", MI8, P66, NO_W, 0x83, 4, RM16, SIMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDL_MR(of("andl", MR, NONE, NO_W, 0x21, NO_DIGIT, RM32, R32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDL_RM(of("andl", RM, NONE, NO_W, 0x23, NO_DIGIT, R32, RM32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDL_MI(of("andl", MI, NONE, NO_W, 0x81, 4, RM32, IMM32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDL_MI8(of("andl", MI8, NONE, NO_W, 0x83, 4, RM32, SIMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDQ_MR(of("andq", MR, NONE, REX_W, 0x21, NO_DIGIT, RM64, R64).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDQ_RM(of("andq", RM, NONE, REX_W, 0x23, NO_DIGIT, R64, RM64).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDQ_MI(of("andq", MI, NONE, REX_W, 0x81, 4, RM64, SIMM32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  ANDQ_MI8(of("andq", MI8, NONE, REX_W, 0x83, 4, RM64, SIMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  // ANDN (BMI1): VEX.LZ.0F38.W0/W1 F2 /r, dst = ~src1 & src2, src1 in VEX.vvvv (SDM Vol. 2A "ANDN")
  ANDNL_RVM(of("andnl", RVM, NONE, NO_W, 0x0F38F2, NO_DIGIT, R32, R32, RM32)),
  ANDNQ_RVM(of("andnq", RVM, NONE, REX_W, 0x0F38F2, NO_DIGIT, R64, R64, RM64)),
  // SUB: 28/29 /r (MR), 2A/2B /r (RM), 80/81 /5 ib/iw/id (MI), 83 /5 ib (MI8)
  SUBB_MR(of("subb", MR, NONE, NO_W, 0x28, NO_DIGIT, RM8, R8)),
  SUBB_RM(of("subb", RM, NONE, NO_W, 0x2A, NO_DIGIT, R8, RM8)),
  SUBB_MI(of("subb", MI, NONE, NO_W, 0x80, 5, RM8, IMM8)),
  SUBW_MR(of("subw", MR, P66, NO_W, 0x29, NO_DIGIT, RM16, R16)),
  SUBW_RM(of("subw", RM, P66, NO_W, 0x2B, NO_DIGIT, R16, RM16)),
  SUBW_MI(of("subw", MI, P66, NO_W, 0x81, 5, RM16, IMM16)),
  SUBW_MI8(of("subw", MI8, P66, NO_W, 0x83, 5, RM16, SIMM8)),
  SUBL_MR(of("subl", MR, NONE, NO_W, 0x29, NO_DIGIT, RM32, R32)),
  SUBL_RM(of("subl", RM, NONE, NO_W, 0x2B, NO_DIGIT, R32, RM32)),
  SUBL_MI(of("subl", MI, NONE, NO_W, 0x81, 5, RM32, IMM32)),
  SUBL_MI8(of("subl", MI8, NONE, NO_W, 0x83, 5, RM32, SIMM8)),
  SUBQ_MR(of("subq", MR, NONE, REX_W, 0x29, NO_DIGIT, RM64, R64)),
  SUBQ_RM(of("subq", RM, NONE, REX_W, 0x2B, NO_DIGIT, R64, RM64)),
  SUBQ_MI(of("subq", MI, NONE, REX_W, 0x81, 5, RM64, SIMM32)),
  SUBQ_MI8(of("subq", MI8, NONE, REX_W, 0x83, 5, RM64, SIMM8)),
  // XOR: 30/31 /r (MR), 32/33 /r (RM), 80/81 /6 ib/iw/id (MI), 83 /6 ib (MI8)
  XORB_MR(of("xorb", MR, NONE, NO_W, 0x30, NO_DIGIT, RM8, R8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORB_RM(of("xorb", RM, NONE, NO_W, 0x32, NO_DIGIT, R8, RM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORB_MI(of("xorb", MI, NONE, NO_W, 0x80, 6, RM8, IMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORW_MR(of("xorw", MR, P66, NO_W, 0x31, NO_DIGIT, RM16, R16).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORW_RM(of("xorw", RM, P66, NO_W, 0x33, NO_DIGIT, R16, RM16).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORW_MI(of("xorw", MI, P66, NO_W, 0x81, 6, RM16, IMM16).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORW_MI8(of("xorw", MI8, P66, NO_W, 0x83, 6, RM16, SIMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORL_MR(of("xorl", MR, NONE, NO_W, 0x31, NO_DIGIT, RM32, R32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORL_RM(of("xorl", RM, NONE, NO_W, 0x33, NO_DIGIT, R32, RM32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORL_MI(of("xorl", MI, NONE, NO_W, 0x81, 6, RM32, IMM32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORL_MI8(of("xorl", MI8, NONE, NO_W, 0x83, 6, RM32, SIMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORQ_MR(of("xorq", MR, NONE, REX_W, 0x31, NO_DIGIT, RM64, R64).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORQ_RM(of("xorq", RM, NONE, REX_W, 0x33, NO_DIGIT, R64, RM64).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORQ_MI(of("xorq", MI, NONE, REX_W, 0x81, 6, RM64, SIMM32).with(FormFlag.UNSIGNED_IMMEDIATE)),
  XORQ_MI8(of("xorq", MI8, NONE, REX_W, 0x83, 6, RM64, SIMM8).with(FormFlag.UNSIGNED_IMMEDIATE)),
  // CMP: 38/39 /r (MR), 3A/3B /r (RM), 80/81 /7 ib/iw/id (MI), 83 /7 ib (MI8)
  CMPB_MR(of("cmpb", MR, NONE, NO_W, 0x38, NO_DIGIT, RM8, R8)),
  CMPB_RM(of("cmpb", RM, NONE, NO_W, 0x3A, NO_DIGIT, R8, RM8)),
  CMPB_MI(of("cmpb", MI, NONE, NO_W, 0x80, 7, RM8, IMM8)),
  CMPW_MR(of("cmpw", MR, P66, NO_W, 0x39, NO_DIGIT, RM16, R16)),
  CMPW_RM(of("cmpw", RM, P66, NO_W, 0x3B, NO_DIGIT, R16, RM16)),
  CMPW_MI(of("cmpw", MI, P66, NO_W, 0x81, 7, RM16, IMM16)),
  CMPW_MI8(of("cmpw", MI8, P66, NO_W, 0x83, 7, RM16, SIMM8)),
  CMPL_MR(of("cmpl", MR, NONE, NO_W, 0x39, NO_DIGIT, RM32, R32)),
  CMPL_RM(of("cmpl", RM, NONE, NO_W, 0x3B, NO_DIGIT, R32, RM32)),
  CMPL_MI(of("cmpl", MI, NONE, NO_W, 0x81, 7, RM32, IMM32)),
  CMPL_MI8(of("cmpl", MI8, NONE, NO_W, 0x83, 7, RM32, SIMM8)),
  CMPQ_MR(of("cmpq", MR, NONE, REX_W, 0x39, NO_DIGIT, RM64, R64)),
  CMPQ_RM(of("cmpq", RM, NONE, REX_W, 0x3B, NO_DIGIT, R64, RM64)),
  CMPQ_MI(of("cmpq", MI, NONE, REX_W, 0x81, 7, RM64, SIMM32)),
  CMPQ_MI8(of("cmpq", MI8, NONE, REX_W, 0x83, 7, RM64, SIMM8)),
  // TEST: 84 /r, 85 /r, F6 /0 ib, F7 /0 id (SDM Vol. 2B, TEST)
  TESTB_MR(of("testb", MR, NONE, NO_W, 0x84, NO_DIGIT, RM8, R8)),
  TESTW_MR(of("testw", MR, P66, NO_W, 0x85, NO_DIGIT, RM16, R16)),
  TESTL_MR(of("testl", MR, NONE, NO_W, 0x85, NO_DIGIT, RM32, R32)),
  TESTQ_MR(of("testq", MR, NONE, REX_W, 0x85, NO_DIGIT, RM64, R64)),
  TESTB_MI(of("testb", MI, NONE, NO_W, 0xF6, 0, RM8, IMM8)),
  TESTW_MI(of("testw", MI, P66, NO_W, 0xF7, 0, RM16, IMM16)),
  TESTL_MI(of("testl", MI, NONE, NO_W, 0xF7, 0, RM32, IMM32)),
  TESTQ_MI(of("testq", MI, NONE, REX_W, 0xF7, 0, RM64, SIMM32));
  // @formatter:on

  private final FormSpec spec;

  AluForm(FormSpec spec) {
    this.spec = spec;
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
