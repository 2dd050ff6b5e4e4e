package dev.kiln.codegen.aarch64.asm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every instruction form the backend emits: its mnemonic as Capstone prints it, its {@link Shape},
 * the fixed bits of the encoding (every operand field zero), the register view of each register
 * operand and the Arm ARM page it implements (DDI 0487, section C6.2 for the base instructions and
 * C7.2 for floating point; pages are alphabetical by title).
 *
 * <p>Views, one letter per register operand in order: {@code w}/{@code x} a W/X register where
 * number 31 is the zero register, {@code W}/{@code X} the same where 31 is the stack pointer,
 * {@code s}/{@code d}/{@code q} an FP register's 32-, 64- or 128-bit view; for vector forms {@code V}
 * a V register with the instruction's arrangement ({@code v0.4s}), {@code L} with the arrangement
 * of lanes twice as wide ({@code v0.2d} beside {@code 4s}: widening results, narrowing sources) and
 * {@code E} the scalar register of one lane ({@code s0}: across-lanes results).
 *
 * <p>Aliases are separate forms (MOV = ORR with Rn = ZR, CMP = SUBS with Rd = ZR, LSL = UBFM with
 * derived immr/imms...) because they are what Capstone prints, so each form has exactly one text.
 */
public enum Form {
  // ---- add/sub (immediate): C6.2 "ADD (immediate)", "SUB (immediate)", "CMP (immediate)"
  ADD_W_IMM("add", Shape.ADDSUB_IMM, 0x1100_0000, "WW", "C6.2 ADD (immediate)"),
  ADD_X_IMM("add", Shape.ADDSUB_IMM, 0x9100_0000, "XX", "C6.2 ADD (immediate)"),
  SUB_W_IMM("sub", Shape.ADDSUB_IMM, 0x5100_0000, "WW", "C6.2 SUB (immediate)"),
  SUB_X_IMM("sub", Shape.ADDSUB_IMM, 0xD100_0000, "XX", "C6.2 SUB (immediate)"),
  CMP_W_IMM("cmp", Shape.CMP_IMM, 0x7100_001F, "W", "C6.2 CMP (immediate), alias of SUBS"),
  CMP_X_IMM("cmp", Shape.CMP_IMM, 0xF100_001F, "X", "C6.2 CMP (immediate), alias of SUBS"),
  CMN_W_IMM("cmn", Shape.CMP_IMM, 0x3100_001F, "W", "C6.2 CMN (immediate), alias of ADDS"),
  CMN_X_IMM("cmn", Shape.CMP_IMM, 0xB100_001F, "X", "C6.2 CMN (immediate), alias of ADDS"),
  MOV_X_SP("mov", Shape.MOV_SP, 0x9100_0000, "XX", "C6.2 MOV (to/from SP), alias of ADD (immediate)"),

  // ---- shifted register (shift 0) and data processing (2 source)
  ADD_W("add", Shape.RRR, 0x0B00_0000, "www", "C6.2 ADD (shifted register)"),
  ADD_X("add", Shape.RRR, 0x8B00_0000, "xxx", "C6.2 ADD (shifted register)"),
  ADD_W_LSL("add", Shape.RRR_SHIFTED, 0x0B00_0000, "www", "C6.2 ADD (shifted register), shift LSL"),
  ADD_X_LSL("add", Shape.RRR_SHIFTED, 0x8B00_0000, "xxx", "C6.2 ADD (shifted register), shift LSL"),
  ADDS_X("adds", Shape.RRR, 0xAB00_0000, "xxx", "C6.2 ADDS (shifted register)"),
  SUB_W("sub", Shape.RRR, 0x4B00_0000, "www", "C6.2 SUB (shifted register)"),
  SUB_X("sub", Shape.RRR, 0xCB00_0000, "xxx", "C6.2 SUB (shifted register)"),
  AND_W("and", Shape.RRR, 0x0A00_0000, "www", "C6.2 AND (shifted register)"),
  AND_X("and", Shape.RRR, 0x8A00_0000, "xxx", "C6.2 AND (shifted register)"),
  ORR_W("orr", Shape.RRR, 0x2A00_0000, "www", "C6.2 ORR (shifted register)"),
  ORR_X("orr", Shape.RRR, 0xAA00_0000, "xxx", "C6.2 ORR (shifted register)"),
  EOR_W("eor", Shape.RRR, 0x4A00_0000, "www", "C6.2 EOR (shifted register)"),
  EOR_X("eor", Shape.RRR, 0xCA00_0000, "xxx", "C6.2 EOR (shifted register)"),
  AND_W_LSL("and", Shape.RRR_SHIFTED, 0x0A00_0000, "www", "C6.2 AND (shifted register), shift LSL"),
  AND_X_LSL("and", Shape.RRR_SHIFTED, 0x8A00_0000, "xxx", "C6.2 AND (shifted register), shift LSL"),
  AND_W_LSR("and", Shape.RRR_SHIFTED, 0x0A40_0000, "www", "C6.2 AND (shifted register), shift LSR"),
  AND_X_LSR("and", Shape.RRR_SHIFTED, 0x8A40_0000, "xxx", "C6.2 AND (shifted register), shift LSR"),
  AND_W_ASR("and", Shape.RRR_SHIFTED, 0x0A80_0000, "www", "C6.2 AND (shifted register), shift ASR"),
  AND_X_ASR("and", Shape.RRR_SHIFTED, 0x8A80_0000, "xxx", "C6.2 AND (shifted register), shift ASR"),
  AND_W_ROR("and", Shape.RRR_SHIFTED, 0x0AC0_0000, "www", "C6.2 AND (shifted register), shift ROR"),
  AND_X_ROR("and", Shape.RRR_SHIFTED, 0x8AC0_0000, "xxx", "C6.2 AND (shifted register), shift ROR"),
  ORR_W_LSL("orr", Shape.RRR_SHIFTED, 0x2A00_0000, "www", "C6.2 ORR (shifted register), shift LSL"),
  ORR_X_LSL("orr", Shape.RRR_SHIFTED, 0xAA00_0000, "xxx", "C6.2 ORR (shifted register), shift LSL"),
  ORR_W_LSR("orr", Shape.RRR_SHIFTED, 0x2A40_0000, "www", "C6.2 ORR (shifted register), shift LSR"),
  ORR_X_LSR("orr", Shape.RRR_SHIFTED, 0xAA40_0000, "xxx", "C6.2 ORR (shifted register), shift LSR"),
  ORR_W_ASR("orr", Shape.RRR_SHIFTED, 0x2A80_0000, "www", "C6.2 ORR (shifted register), shift ASR"),
  ORR_X_ASR("orr", Shape.RRR_SHIFTED, 0xAA80_0000, "xxx", "C6.2 ORR (shifted register), shift ASR"),
  ORR_W_ROR("orr", Shape.RRR_SHIFTED, 0x2AC0_0000, "www", "C6.2 ORR (shifted register), shift ROR"),
  ORR_X_ROR("orr", Shape.RRR_SHIFTED, 0xAAC0_0000, "xxx", "C6.2 ORR (shifted register), shift ROR"),
  EOR_W_LSL("eor", Shape.RRR_SHIFTED, 0x4A00_0000, "www", "C6.2 EOR (shifted register), shift LSL"),
  EOR_X_LSL("eor", Shape.RRR_SHIFTED, 0xCA00_0000, "xxx", "C6.2 EOR (shifted register), shift LSL"),
  EOR_W_LSR("eor", Shape.RRR_SHIFTED, 0x4A40_0000, "www", "C6.2 EOR (shifted register), shift LSR"),
  EOR_X_LSR("eor", Shape.RRR_SHIFTED, 0xCA40_0000, "xxx", "C6.2 EOR (shifted register), shift LSR"),
  EOR_W_ASR("eor", Shape.RRR_SHIFTED, 0x4A80_0000, "www", "C6.2 EOR (shifted register), shift ASR"),
  EOR_X_ASR("eor", Shape.RRR_SHIFTED, 0xCA80_0000, "xxx", "C6.2 EOR (shifted register), shift ASR"),
  EOR_W_ROR("eor", Shape.RRR_SHIFTED, 0x4AC0_0000, "www", "C6.2 EOR (shifted register), shift ROR"),
  EOR_X_ROR("eor", Shape.RRR_SHIFTED, 0xCAC0_0000, "xxx", "C6.2 EOR (shifted register), shift ROR"),
  BIC_W("bic", Shape.RRR, 0x0A20_0000, "www", "C6.2 BIC (shifted register): Rn AND NOT Rm"),
  BIC_X("bic", Shape.RRR, 0x8A20_0000, "xxx", "C6.2 BIC (shifted register): Rn AND NOT Rm"),
  MUL_W("mul", Shape.RRR, 0x1B00_7C00, "www", "C6.2 MUL, alias of MADD with Ra = ZR"),
  MUL_X("mul", Shape.RRR, 0x9B00_7C00, "xxx", "C6.2 MUL, alias of MADD with Ra = ZR"),
  UMULH_X("umulh", Shape.RRR, 0x9BC0_7C00, "xxx", "C6.2 UMULH"),
  SDIV_W("sdiv", Shape.RRR, 0x1AC0_0C00, "www", "C6.2 SDIV"),
  SDIV_X("sdiv", Shape.RRR, 0x9AC0_0C00, "xxx", "C6.2 SDIV"),
  UDIV_W("udiv", Shape.RRR, 0x1AC0_0800, "www", "C6.2 UDIV"),
  UDIV_X("udiv", Shape.RRR, 0x9AC0_0800, "xxx", "C6.2 UDIV"),
  LSL_W("lsl", Shape.RRR, 0x1AC0_2000, "www", "C6.2 LSL (register), alias of LSLV"),
  LSL_X("lsl", Shape.RRR, 0x9AC0_2000, "xxx", "C6.2 LSL (register), alias of LSLV"),
  LSR_W("lsr", Shape.RRR, 0x1AC0_2400, "www", "C6.2 LSR (register), alias of LSRV"),
  LSR_X("lsr", Shape.RRR, 0x9AC0_2400, "xxx", "C6.2 LSR (register), alias of LSRV"),
  ASR_W("asr", Shape.RRR, 0x1AC0_2800, "www", "C6.2 ASR (register), alias of ASRV"),
  ASR_X("asr", Shape.RRR, 0x9AC0_2800, "xxx", "C6.2 ASR (register), alias of ASRV"),
  ROR_W("ror", Shape.RRR, 0x1AC0_2C00, "www", "C6.2 ROR (register), alias of RORV"),
  ROR_X("ror", Shape.RRR, 0x9AC0_2C00, "xxx", "C6.2 ROR (register), alias of RORV"),
  MOV_W("mov", Shape.RD_RM, 0x2A00_03E0, "ww", "C6.2 MOV (register), alias of ORR with Rn = ZR"),
  MOV_X("mov", Shape.RD_RM, 0xAA00_03E0, "xx", "C6.2 MOV (register), alias of ORR with Rn = ZR"),
  NEG_W("neg", Shape.RD_RM, 0x4B00_03E0, "ww", "C6.2 NEG (shifted register), alias of SUB"),
  NEG_X("neg", Shape.RD_RM, 0xCB00_03E0, "xx", "C6.2 NEG (shifted register), alias of SUB"),
  MVN_W("mvn", Shape.RD_RM, 0x2A20_03E0, "ww", "C6.2 MVN, alias of ORN (shifted register) with Rn = ZR"),
  MVN_X("mvn", Shape.RD_RM, 0xAA20_03E0, "xx", "C6.2 MVN, alias of ORN (shifted register) with Rn = ZR"),
  CMP_W("cmp", Shape.RN_RM, 0x6B00_001F, "ww", "C6.2 CMP (shifted register), alias of SUBS"),
  CMP_X("cmp", Shape.RN_RM, 0xEB00_001F, "xx", "C6.2 CMP (shifted register), alias of SUBS"),
  TST_W("tst", Shape.RN_RM, 0x6A00_001F, "ww", "C6.2 TST (shifted register), alias of ANDS"),
  TST_X("tst", Shape.RN_RM, 0xEA00_001F, "xx", "C6.2 TST (shifted register), alias of ANDS"),

  // ---- logical (immediate)
  AND_W_IMM("and", Shape.LOGIC_IMM, 0x1200_0000, "ww", "C6.2 AND (immediate)"),
  AND_X_IMM("and", Shape.LOGIC_IMM, 0x9200_0000, "xx", "C6.2 AND (immediate)"),
  ORR_W_IMM("orr", Shape.LOGIC_IMM, 0x3200_0000, "ww", "C6.2 ORR (immediate)"),
  ORR_X_IMM("orr", Shape.LOGIC_IMM, 0xB200_0000, "xx", "C6.2 ORR (immediate)"),
  EOR_W_IMM("eor", Shape.LOGIC_IMM, 0x5200_0000, "ww", "C6.2 EOR (immediate)"),
  EOR_X_IMM("eor", Shape.LOGIC_IMM, 0xD200_0000, "xx", "C6.2 EOR (immediate)"),
  TST_W_IMM("tst", Shape.TST_IMM, 0x7200_001F, "w", "C6.2 TST (immediate), alias of ANDS"),
  TST_X_IMM("tst", Shape.TST_IMM, 0xF200_001F, "x", "C6.2 TST (immediate), alias of ANDS"),

  // ---- move wide
  MOVZ_W("movz", Shape.MOVE_WIDE, 0x5280_0000, "w", "C6.2 MOVZ"),
  MOVZ_X("movz", Shape.MOVE_WIDE, 0xD280_0000, "x", "C6.2 MOVZ"),
  MOVN_W("movn", Shape.MOVE_WIDE, 0x1280_0000, "w", "C6.2 MOVN"),
  MOVN_X("movn", Shape.MOVE_WIDE, 0x9280_0000, "x", "C6.2 MOVN"),
  MOVK_W("movk", Shape.MOVE_WIDE, 0x7280_0000, "w", "C6.2 MOVK"),
  MOVK_X("movk", Shape.MOVE_WIDE, 0xF280_0000, "x", "C6.2 MOVK"),

  // ---- data processing (3 source, 1 source), bitfield and extract aliases
  MADD_W("madd", Shape.RRRR, 0x1B00_0000, "wwww", "C6.2 MADD"),
  MADD_X("madd", Shape.RRRR, 0x9B00_0000, "xxxx", "C6.2 MADD"),
  MSUB_W("msub", Shape.RRRR, 0x1B00_8000, "wwww", "C6.2 MSUB"),
  MSUB_X("msub", Shape.RRRR, 0x9B00_8000, "xxxx", "C6.2 MSUB"),
  CLZ_W("clz", Shape.RR, 0x5AC0_1000, "ww", "C6.2 CLZ"),
  CLZ_X("clz", Shape.RR, 0xDAC0_1000, "xx", "C6.2 CLZ"),
  RBIT_W("rbit", Shape.RR, 0x5AC0_0000, "ww", "C6.2 RBIT"),
  RBIT_X("rbit", Shape.RR, 0xDAC0_0000, "xx", "C6.2 RBIT"),
  SXTB_W("sxtb", Shape.RR, 0x1300_1C00, "ww", "C6.2 SXTB, alias of SBFM #0, #7"),
  SXTB_X("sxtb", Shape.RR, 0x9340_1C00, "xw", "C6.2 SXTB, alias of SBFM #0, #7"),
  SXTH_W("sxth", Shape.RR, 0x1300_3C00, "ww", "C6.2 SXTH, alias of SBFM #0, #15"),
  SXTH_X("sxth", Shape.RR, 0x9340_3C00, "xw", "C6.2 SXTH, alias of SBFM #0, #15"),
  SXTW_X("sxtw", Shape.RR, 0x9340_7C00, "xw", "C6.2 SXTW, alias of SBFM #0, #31"),
  LSL_W_IMM("lsl", Shape.LSL_IMM, 0x5300_0000, "ww", "C6.2 LSL (immediate), alias of UBFM"),
  LSL_X_IMM("lsl", Shape.LSL_IMM, 0xD340_0000, "xx", "C6.2 LSL (immediate), alias of UBFM"),
  UBFX_W("ubfx", Shape.BITFIELD_EXTRACT, 0x5300_0000, "ww", "C6.2 UBFX, alias of UBFM"),
  UBFX_X("ubfx", Shape.BITFIELD_EXTRACT, 0xD340_0000, "xx", "C6.2 UBFX, alias of UBFM"),
  LSR_W_IMM("lsr", Shape.SHR_IMM, 0x5300_0000, "ww", "C6.2 LSR (immediate), alias of UBFM"),
  LSR_X_IMM("lsr", Shape.SHR_IMM, 0xD340_0000, "xx", "C6.2 LSR (immediate), alias of UBFM"),
  ASR_W_IMM("asr", Shape.SHR_IMM, 0x1300_0000, "ww", "C6.2 ASR (immediate), alias of SBFM"),
  ASR_X_IMM("asr", Shape.SHR_IMM, 0x9340_0000, "xx", "C6.2 ASR (immediate), alias of SBFM"),
  ROR_W_IMM("ror", Shape.ROR_IMM, 0x1380_0000, "ww", "C6.2 ROR (immediate), alias of EXTR"),
  ROR_X_IMM("ror", Shape.ROR_IMM, 0x93C0_0000, "xx", "C6.2 ROR (immediate), alias of EXTR"),

  // ---- conditional select and compare
  CSEL_W("csel", Shape.CSEL, 0x1A80_0000, "www", "C6.2 CSEL"),
  CSEL_X("csel", Shape.CSEL, 0x9A80_0000, "xxx", "C6.2 CSEL"),
  CSET_W("cset", Shape.CSET, 0x1A9F_07E0, "w", "C6.2 CSET, alias of CSINC"),
  CSET_X("cset", Shape.CSET, 0x9A9F_07E0, "x", "C6.2 CSET, alias of CSINC"),
  CCMP_W_IMM("ccmp", Shape.CCMP_IMM, 0x7A40_0800, "w", "C6.2 CCMP (immediate)"),
  CCMP_X_IMM("ccmp", Shape.CCMP_IMM, 0xFA40_0800, "x", "C6.2 CCMP (immediate)"),

  // ---- loads and stores, unsigned scaled offset: C6.2 "LDR (immediate)" and relatives
  STRB_IMM("strb", Shape.LDST_UIMM, 0x3900_0000, "wX", "C6.2 STRB (immediate)"),
  LDRB_IMM("ldrb", Shape.LDST_UIMM, 0x3940_0000, "wX", "C6.2 LDRB (immediate)"),
  LDRSB_W_IMM("ldrsb", Shape.LDST_UIMM, 0x39C0_0000, "wX", "C6.2 LDRSB (immediate)"),
  LDRSB_X_IMM("ldrsb", Shape.LDST_UIMM, 0x3980_0000, "xX", "C6.2 LDRSB (immediate)"),
  STRH_IMM("strh", Shape.LDST_UIMM, 0x7900_0000, "wX", "C6.2 STRH (immediate)"),
  LDRH_IMM("ldrh", Shape.LDST_UIMM, 0x7940_0000, "wX", "C6.2 LDRH (immediate)"),
  LDRSH_W_IMM("ldrsh", Shape.LDST_UIMM, 0x79C0_0000, "wX", "C6.2 LDRSH (immediate)"),
  LDRSH_X_IMM("ldrsh", Shape.LDST_UIMM, 0x7980_0000, "xX", "C6.2 LDRSH (immediate)"),
  STR_W_IMM("str", Shape.LDST_UIMM, 0xB900_0000, "wX", "C6.2 STR (immediate)"),
  LDR_W_IMM("ldr", Shape.LDST_UIMM, 0xB940_0000, "wX", "C6.2 LDR (immediate)"),
  LDRSW_IMM("ldrsw", Shape.LDST_UIMM, 0xB980_0000, "xX", "C6.2 LDRSW (immediate)"),
  STR_X_IMM("str", Shape.LDST_UIMM, 0xF900_0000, "xX", "C6.2 STR (immediate)"),
  LDR_X_IMM("ldr", Shape.LDST_UIMM, 0xF940_0000, "xX", "C6.2 LDR (immediate)"),
  STR_S_IMM("str", Shape.LDST_UIMM, 0xBD00_0000, "sX", "C7.2 STR (immediate, SIMD&FP)"),
  LDR_S_IMM("ldr", Shape.LDST_UIMM, 0xBD40_0000, "sX", "C7.2 LDR (immediate, SIMD&FP)"),
  STR_D_IMM("str", Shape.LDST_UIMM, 0xFD00_0000, "dX", "C7.2 STR (immediate, SIMD&FP)"),
  LDR_D_IMM("ldr", Shape.LDST_UIMM, 0xFD40_0000, "dX", "C7.2 LDR (immediate, SIMD&FP)"),
  STR_Q_IMM("str", Shape.LDST_UIMM, 0x3D80_0000, "qX", "C7.2 STR (immediate, SIMD&FP), 128-bit"),
  LDR_Q_IMM("ldr", Shape.LDST_UIMM, 0x3DC0_0000, "qX", "C7.2 LDR (immediate, SIMD&FP), 128-bit"),

  // ---- loads and stores, register offset (LSL #0): C6.2 "LDR (register)" and relatives
  STRB_REG("strb", Shape.LDST_REG, 0x3820_6800, "wXx", "C6.2 STRB (register)"),
  LDRB_REG("ldrb", Shape.LDST_REG, 0x3860_6800, "wXx", "C6.2 LDRB (register)"),
  LDRSB_W_REG("ldrsb", Shape.LDST_REG, 0x38E0_6800, "wXx", "C6.2 LDRSB (register)"),
  LDRSB_X_REG("ldrsb", Shape.LDST_REG, 0x38A0_6800, "xXx", "C6.2 LDRSB (register)"),
  STRH_REG("strh", Shape.LDST_REG, 0x7820_6800, "wXx", "C6.2 STRH (register)"),
  LDRH_REG("ldrh", Shape.LDST_REG, 0x7860_6800, "wXx", "C6.2 LDRH (register)"),
  LDRSH_W_REG("ldrsh", Shape.LDST_REG, 0x78E0_6800, "wXx", "C6.2 LDRSH (register)"),
  LDRSH_X_REG("ldrsh", Shape.LDST_REG, 0x78A0_6800, "xXx", "C6.2 LDRSH (register)"),
  STR_W_REG("str", Shape.LDST_REG, 0xB820_6800, "wXx", "C6.2 STR (register)"),
  LDR_W_REG("ldr", Shape.LDST_REG, 0xB860_6800, "wXx", "C6.2 LDR (register)"),
  LDRSW_REG("ldrsw", Shape.LDST_REG, 0xB8A0_6800, "xXx", "C6.2 LDRSW (register)"),
  STR_X_REG("str", Shape.LDST_REG, 0xF820_6800, "xXx", "C6.2 STR (register)"),
  LDR_X_REG("ldr", Shape.LDST_REG, 0xF860_6800, "xXx", "C6.2 LDR (register)"),
  STR_S_REG("str", Shape.LDST_REG, 0xBC20_6800, "sXx", "C7.2 STR (register, SIMD&FP)"),
  LDR_S_REG("ldr", Shape.LDST_REG, 0xBC60_6800, "sXx", "C7.2 LDR (register, SIMD&FP)"),
  STR_D_REG("str", Shape.LDST_REG, 0xFC20_6800, "dXx", "C7.2 STR (register, SIMD&FP)"),
  LDR_D_REG("ldr", Shape.LDST_REG, 0xFC60_6800, "dXx", "C7.2 LDR (register, SIMD&FP)"),
  STR_Q_REG("str", Shape.LDST_REG, 0x3CA0_6800, "qXx", "C7.2 STR (register, SIMD&FP), 128-bit"),
  LDR_Q_REG("ldr", Shape.LDST_REG, 0x3CE0_6800, "qXx", "C7.2 LDR (register, SIMD&FP), 128-bit"),
  LDRSW_REG_LSL2("ldrsw", Shape.LDST_REG_SCALED, 0xB8A0_7800, "xXx", "C6.2 LDRSW (register)"),

  // ---- load/store pair of X registers: C6.2 "STP", "LDP"
  STP_X_PRE("stp", Shape.PAIR_PRE, 0xA980_0000, "xxX", "C6.2 STP, pre-index"),
  LDP_X_POST("ldp", Shape.PAIR_POST, 0xA8C0_0000, "xxX", "C6.2 LDP, post-index"),
  STP_X_OFF("stp", Shape.PAIR_OFF, 0xA900_0000, "xxX", "C6.2 STP, signed offset"),
  LDP_X_OFF("ldp", Shape.PAIR_OFF, 0xA940_0000, "xxX", "C6.2 LDP, signed offset"),

  // ---- branches: C6.2 "B", "BL", "B.cond", "CBZ", "CBNZ", "ADR", "BR", "BLR", "RET", "BRK"; "NOP"
  B("b", Shape.BRANCH26, 0x1400_0000, "", "C6.2 B"),
  BL("bl", Shape.BRANCH26, 0x9400_0000, "", "C6.2 BL"),
  B_COND("b", Shape.BCOND, 0x5400_0000, "", "C6.2 B.cond"),
  CBZ_W("cbz", Shape.CBZ, 0x3400_0000, "w", "C6.2 CBZ"),
  CBZ_X("cbz", Shape.CBZ, 0xB400_0000, "x", "C6.2 CBZ"),
  CBNZ_W("cbnz", Shape.CBZ, 0x3500_0000, "w", "C6.2 CBNZ"),
  CBNZ_X("cbnz", Shape.CBZ, 0xB500_0000, "x", "C6.2 CBNZ"),
  ADR("adr", Shape.ADR, 0x1000_0000, "x", "C6.2 ADR"),
  BR("br", Shape.BR_REG, 0xD61F_0000, "x", "C6.2 BR"),
  BLR("blr", Shape.BR_REG, 0xD63F_0000, "x", "C6.2 BLR"),
  RET("ret", Shape.NONE, 0xD65F_03C0, "", "C6.2 RET (x30)"),
  BRK("brk", Shape.BRK, 0xD420_0000, "", "C6.2 BRK"),
  NOP("nop", Shape.NONE, 0xD503_201F, "", "C6.2 NOP"),

  // ---- floating point: C7.2
  FADD_S("fadd", Shape.FP_RRR, 0x1E20_2800, "sss", "C7.2 FADD (scalar)"),
  FADD_D("fadd", Shape.FP_RRR, 0x1E60_2800, "ddd", "C7.2 FADD (scalar)"),
  FSUB_S("fsub", Shape.FP_RRR, 0x1E20_3800, "sss", "C7.2 FSUB (scalar)"),
  FSUB_D("fsub", Shape.FP_RRR, 0x1E60_3800, "ddd", "C7.2 FSUB (scalar)"),
  FMUL_S("fmul", Shape.FP_RRR, 0x1E20_0800, "sss", "C7.2 FMUL (scalar)"),
  FMUL_D("fmul", Shape.FP_RRR, 0x1E60_0800, "ddd", "C7.2 FMUL (scalar)"),
  FDIV_S("fdiv", Shape.FP_RRR, 0x1E20_1800, "sss", "C7.2 FDIV (scalar)"),
  FDIV_D("fdiv", Shape.FP_RRR, 0x1E60_1800, "ddd", "C7.2 FDIV (scalar)"),
  FMIN_S("fmin", Shape.FP_RRR, 0x1E20_5800, "sss", "C7.2 FMIN (scalar)"),
  FMIN_D("fmin", Shape.FP_RRR, 0x1E60_5800, "ddd", "C7.2 FMIN (scalar)"),
  FMAX_S("fmax", Shape.FP_RRR, 0x1E20_4800, "sss", "C7.2 FMAX (scalar)"),
  FMAX_D("fmax", Shape.FP_RRR, 0x1E60_4800, "ddd", "C7.2 FMAX (scalar)"),
  FABS_S("fabs", Shape.FP_RR, 0x1E20_C000, "ss", "C7.2 FABS (scalar)"),
  FABS_D("fabs", Shape.FP_RR, 0x1E60_C000, "dd", "C7.2 FABS (scalar)"),
  FNEG_S("fneg", Shape.FP_RR, 0x1E21_4000, "ss", "C7.2 FNEG (scalar)"),
  FNEG_D("fneg", Shape.FP_RR, 0x1E61_4000, "dd", "C7.2 FNEG (scalar)"),
  FSQRT_S("fsqrt", Shape.FP_RR, 0x1E21_C000, "ss", "C7.2 FSQRT (scalar)"),
  FSQRT_D("fsqrt", Shape.FP_RR, 0x1E61_C000, "dd", "C7.2 FSQRT (scalar)"),
  FRINTN_S("frintn", Shape.FP_RR, 0x1E24_4000, "ss", "C7.2 FRINTN (scalar)"),
  FRINTN_D("frintn", Shape.FP_RR, 0x1E64_4000, "dd", "C7.2 FRINTN (scalar)"),
  FRINTP_S("frintp", Shape.FP_RR, 0x1E24_C000, "ss", "C7.2 FRINTP (scalar)"),
  FRINTP_D("frintp", Shape.FP_RR, 0x1E64_C000, "dd", "C7.2 FRINTP (scalar)"),
  FRINTM_S("frintm", Shape.FP_RR, 0x1E25_4000, "ss", "C7.2 FRINTM (scalar)"),
  FRINTM_D("frintm", Shape.FP_RR, 0x1E65_4000, "dd", "C7.2 FRINTM (scalar)"),
  FRINTZ_S("frintz", Shape.FP_RR, 0x1E25_C000, "ss", "C7.2 FRINTZ (scalar)"),
  FRINTZ_D("frintz", Shape.FP_RR, 0x1E65_C000, "dd", "C7.2 FRINTZ (scalar)"),
  FMOV_S("fmov", Shape.FP_RR, 0x1E20_4000, "ss", "C7.2 FMOV (register)"),
  FMOV_D("fmov", Shape.FP_RR, 0x1E60_4000, "dd", "C7.2 FMOV (register)"),
  FCVT_D_S("fcvt", Shape.FP_RR, 0x1E22_C000, "ds", "C7.2 FCVT"),
  FCVT_S_D("fcvt", Shape.FP_RR, 0x1E62_4000, "sd", "C7.2 FCVT"),
  FMOV_S_W("fmov", Shape.FP_RR, 0x1E27_0000, "sw", "C7.2 FMOV (general)"),
  FMOV_W_S("fmov", Shape.FP_RR, 0x1E26_0000, "ws", "C7.2 FMOV (general)"),
  FMOV_D_X("fmov", Shape.FP_RR, 0x9E67_0000, "dx", "C7.2 FMOV (general)"),
  FMOV_X_D("fmov", Shape.FP_RR, 0x9E66_0000, "xd", "C7.2 FMOV (general)"),
  SCVTF_S_W("scvtf", Shape.FP_RR, 0x1E22_0000, "sw", "C7.2 SCVTF (scalar, integer)"),
  SCVTF_S_X("scvtf", Shape.FP_RR, 0x9E22_0000, "sx", "C7.2 SCVTF (scalar, integer)"),
  SCVTF_D_W("scvtf", Shape.FP_RR, 0x1E62_0000, "dw", "C7.2 SCVTF (scalar, integer)"),
  SCVTF_D_X("scvtf", Shape.FP_RR, 0x9E62_0000, "dx", "C7.2 SCVTF (scalar, integer)"),
  UCVTF_S_W("ucvtf", Shape.FP_RR, 0x1E23_0000, "sw", "C7.2 UCVTF (scalar, integer)"),
  UCVTF_S_X("ucvtf", Shape.FP_RR, 0x9E23_0000, "sx", "C7.2 UCVTF (scalar, integer)"),
  UCVTF_D_W("ucvtf", Shape.FP_RR, 0x1E63_0000, "dw", "C7.2 UCVTF (scalar, integer)"),
  UCVTF_D_X("ucvtf", Shape.FP_RR, 0x9E63_0000, "dx", "C7.2 UCVTF (scalar, integer)"),
  FCVTZS_W_S("fcvtzs", Shape.FP_RR, 0x1E38_0000, "ws", "C7.2 FCVTZS (scalar, integer)"),
  FCVTZS_X_S("fcvtzs", Shape.FP_RR, 0x9E38_0000, "xs", "C7.2 FCVTZS (scalar, integer)"),
  FCVTZS_W_D("fcvtzs", Shape.FP_RR, 0x1E78_0000, "wd", "C7.2 FCVTZS (scalar, integer)"),
  FCVTZS_X_D("fcvtzs", Shape.FP_RR, 0x9E78_0000, "xd", "C7.2 FCVTZS (scalar, integer)"),
  FCVTZU_W_S("fcvtzu", Shape.FP_RR, 0x1E39_0000, "ws", "C7.2 FCVTZU (scalar, integer)"),
  FCVTZU_X_S("fcvtzu", Shape.FP_RR, 0x9E39_0000, "xs", "C7.2 FCVTZU (scalar, integer)"),
  FCVTZU_W_D("fcvtzu", Shape.FP_RR, 0x1E79_0000, "wd", "C7.2 FCVTZU (scalar, integer)"),
  FCVTZU_X_D("fcvtzu", Shape.FP_RR, 0x9E79_0000, "xd", "C7.2 FCVTZU (scalar, integer)"),
  FCMP_S("fcmp", Shape.FP_CMP, 0x1E20_2000, "ss", "C7.2 FCMP"),
  FCMP_D("fcmp", Shape.FP_CMP, 0x1E60_2000, "dd", "C7.2 FCMP"),
  FCSEL_S("fcsel", Shape.FP_CSEL, 0x1E20_0C00, "sss", "C7.2 FCSEL"),
  FCSEL_D("fcsel", Shape.FP_CSEL, 0x1E60_0C00, "ddd", "C7.2 FCSEL"),
  CSETM_X("csetm", Shape.CSET, 0xDA9F_03E0, "x", "C6.2 CSETM, alias of CSINV"),
  LDR_Q_LIT("ldr", Shape.LDR_LITERAL, 0x9C00_0000, "q", "C7.2 LDR (literal, SIMD&FP), 128-bit"),
  LDRSW_LIT("ldrsw", Shape.LDR_LITERAL, 0x9800_0000, "x", "C6.2 LDRSW (literal)"),

  // ---- Advanced SIMD: C7.2; views V = the arrangement's register, arrangements as listed
  MOV_V("mov", Shape.VEC_MOV, 0x4EA0_1C00, "VV", ArrBits.FIXED, "B16",
      "C7.2 MOV (vector), alias of ORR (vector, register)"),
  BSL_V("bsl", Shape.VEC_RRR, 0x6E60_1C00, "VVV", ArrBits.FIXED, "B16", "C7.2 BSL"),
  BIT_V("bit", Shape.VEC_RRR, 0x6EA0_1C00, "VVV", ArrBits.FIXED, "B16", "C7.2 BIT"),
  AND_V("and", Shape.VEC_RRR, 0x4E20_1C00, "VVV", ArrBits.FIXED, "B16", "C7.2 AND (vector)"),
  ORR_V("orr", Shape.VEC_RRR, 0x4EA0_1C00, "VVV", ArrBits.FIXED, "B16",
      "C7.2 ORR (vector, register)"),
  EOR_V("eor", Shape.VEC_RRR, 0x6E20_1C00, "VVV", ArrBits.FIXED, "B16", "C7.2 EOR (vector)"),
  BIC_V("bic", Shape.VEC_RRR, 0x4E60_1C00, "VVV", ArrBits.FIXED, "B16",
      "C7.2 BIC (vector, register)"),
  NOT_V("mvn", Shape.VEC_RR, 0x6E20_5800, "VV", ArrBits.FIXED, "B16", "C7.2 MVN, alias of NOT"),
  UMAXV("umaxv", Shape.VEC_RR, 0x2E30_A800, "EV", ArrBits.INT, "B16,H8,S4", "C7.2 UMAXV"),
  // integer arithmetic, three same and two-register miscellaneous
  ADD_V("add", Shape.VEC_RRR, 0x0E20_8400, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 ADD (vector)"),
  SUB_V("sub", Shape.VEC_RRR, 0x2E20_8400, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 SUB (vector)"),
  MUL_V("mul", Shape.VEC_RRR, 0x0E20_9C00, "VVV", ArrBits.INT, "B16,H8,S4", "C7.2 MUL (vector)"),
  NEG_V("neg", Shape.VEC_RR, 0x2E20_B800, "VV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 NEG (vector)"),
  ABS_V("abs", Shape.VEC_RR, 0x0E20_B800, "VV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 ABS"),
  SMIN_V("smin", Shape.VEC_RRR, 0x0E20_6C00, "VVV", ArrBits.INT, "B16,H8,S4", "C7.2 SMIN"),
  UMIN_V("umin", Shape.VEC_RRR, 0x2E20_6C00, "VVV", ArrBits.INT, "B16,H8,S4", "C7.2 UMIN"),
  SMAX_V("smax", Shape.VEC_RRR, 0x0E20_6400, "VVV", ArrBits.INT, "B16,H8,S4", "C7.2 SMAX"),
  UMAX_V("umax", Shape.VEC_RRR, 0x2E20_6400, "VVV", ArrBits.INT, "B16,H8,S4", "C7.2 UMAX"),
  CMEQ_V("cmeq", Shape.VEC_RRR, 0x2E20_8C00, "VVV", ArrBits.INT, "B16,H8,S4,D2",
      "C7.2 CMEQ (register)"),
  CMGT_V("cmgt", Shape.VEC_RRR, 0x0E20_3400, "VVV", ArrBits.INT, "B16,H8,S4,D2",
      "C7.2 CMGT (register)"),
  CMGE_V("cmge", Shape.VEC_RRR, 0x0E20_3C00, "VVV", ArrBits.INT, "B16,H8,S4,D2",
      "C7.2 CMGE (register)"),
  CMHI_V("cmhi", Shape.VEC_RRR, 0x2E20_3400, "VVV", ArrBits.INT, "B16,H8,S4,D2",
      "C7.2 CMHI (register)"),
  CMHS_V("cmhs", Shape.VEC_RRR, 0x2E20_3C00, "VVV", ArrBits.INT, "B16,H8,S4,D2",
      "C7.2 CMHS (register)"),
  URHADD_V("urhadd", Shape.VEC_RRR, 0x2E20_1400, "VVV", ArrBits.INT, "B16,H8,S4", "C7.2 URHADD"),
  SQADD_V("sqadd", Shape.VEC_RRR, 0x0E20_0C00, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 SQADD"),
  UQADD_V("uqadd", Shape.VEC_RRR, 0x2E20_0C00, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 UQADD"),
  SQSUB_V("sqsub", Shape.VEC_RRR, 0x0E20_2C00, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 SQSUB"),
  UQSUB_V("uqsub", Shape.VEC_RRR, 0x2E20_2C00, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 UQSUB"),
  UMINV("uminv", Shape.VEC_RR, 0x2E31_A800, "EV", ArrBits.INT, "B16,H8,S4", "C7.2 UMINV"),
  DUP_X("dup", Shape.VEC_DUP_GEN, 0x0E00_0C00, "Vx", ArrBits.FIXED_ELEMENT, "D2",
      "C7.2 DUP (general)"),
  MOVI_2D("movi", Shape.VEC_MOVI, 0x6F00_E400, "V", ArrBits.FIXED, "D2",
      "C7.2 MOVI, 64-bit variant"),
  // shifts: by an immediate (immh selects the lane size), by a register of signed per-lane counts
  SHL_V("shl", Shape.VEC_SHL_IMM, 0x0F00_5400, "VV", ArrBits.FIXED_ELEMENT, "B16,H8,S4,D2",
      "C7.2 SHL"),
  USHR_V("ushr", Shape.VEC_SHR_IMM, 0x2F00_0400, "VV", ArrBits.FIXED_ELEMENT, "B16,H8,S4,D2",
      "C7.2 USHR"),
  SSHR_V("sshr", Shape.VEC_SHR_IMM, 0x0F00_0400, "VV", ArrBits.FIXED_ELEMENT, "B16,H8,S4,D2",
      "C7.2 SSHR"),
  // widening shifts by 0 (SXTL/UXTL, printed as the shifts): the low (64-bit arrangement) or, the
  // "2" forms, the high half of the source's lanes, each extended to twice its width
  SSHLL_V("sshll", Shape.VEC_SHL_IMM, 0x0F00_A400, "LV", ArrBits.FIXED_ELEMENT, "B8,H4,S2",
      "C7.2 SSHLL, SSHLL2"),
  SSHLL2_V("sshll2", Shape.VEC_SHL_IMM, 0x0F00_A400, "LV", ArrBits.FIXED_ELEMENT, "B16,H8,S4",
      "C7.2 SSHLL, SSHLL2"),
  USHLL_V("ushll", Shape.VEC_SHL_IMM, 0x2F00_A400, "LV", ArrBits.FIXED_ELEMENT, "B8,H4,S2",
      "C7.2 USHLL, USHLL2"),
  USHLL2_V("ushll2", Shape.VEC_SHL_IMM, 0x2F00_A400, "LV", ArrBits.FIXED_ELEMENT, "B16,H8,S4",
      "C7.2 USHLL, USHLL2"),
  SSHL_V("sshl", Shape.VEC_RRR, 0x0E20_4400, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 SSHL"),
  USHL_V("ushl", Shape.VEC_RRR, 0x2E20_4400, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 USHL"),
  // floating point, three same: bit 22 selects 64-bit lanes
  FCMEQ_V("fcmeq", Shape.VEC_RRR, 0x0E20_E400, "VVV", ArrBits.FP, "S4,D2", "C7.2 FCMEQ (register)"),
  FCMGE_V("fcmge", Shape.VEC_RRR, 0x2E20_E400, "VVV", ArrBits.FP, "S4,D2", "C7.2 FCMGE (register)"),
  FCMGT_V("fcmgt", Shape.VEC_RRR, 0x2EA0_E400, "VVV", ArrBits.FP, "S4,D2", "C7.2 FCMGT (register)"),
  FADD_V("fadd", Shape.VEC_RRR, 0x0E20_D400, "VVV", ArrBits.FP, "S4,D2", "C7.2 FADD (vector)"),
  FSUB_V("fsub", Shape.VEC_RRR, 0x0EA0_D400, "VVV", ArrBits.FP, "S4,D2", "C7.2 FSUB (vector)"),
  FMUL_V("fmul", Shape.VEC_RRR, 0x2E20_DC00, "VVV", ArrBits.FP, "S4,D2", "C7.2 FMUL (vector)"),
  FDIV_V("fdiv", Shape.VEC_RRR, 0x2E20_FC00, "VVV", ArrBits.FP, "S4,D2", "C7.2 FDIV (vector)"),
  FMIN_V("fmin", Shape.VEC_RRR, 0x0EA0_F400, "VVV", ArrBits.FP, "S4,D2", "C7.2 FMIN (vector)"),
  FMAX_V("fmax", Shape.VEC_RRR, 0x0E20_F400, "VVV", ArrBits.FP, "S4,D2", "C7.2 FMAX (vector)"),
  // fused multiply-add into the destination, one rounding: d + n*m and d - n*m
  FMLA_V("fmla", Shape.VEC_RRR, 0x0E20_CC00, "VVV", ArrBits.FP, "S4,D2", "C7.2 FMLA (vector)"),
  FMLS_V("fmls", Shape.VEC_RRR, 0x0EA0_CC00, "VVV", ArrBits.FP, "S4,D2", "C7.2 FMLS (vector)"),
  // floating point, two-register miscellaneous: bit 22 selects 64-bit lanes
  FSQRT_V("fsqrt", Shape.VEC_RR, 0x2EA1_F800, "VV", ArrBits.FP, "S4,D2", "C7.2 FSQRT (vector)"),
  FNEG_V("fneg", Shape.VEC_RR, 0x2EA0_F800, "VV", ArrBits.FP, "S4,D2", "C7.2 FNEG (vector)"),
  FABS_V("fabs", Shape.VEC_RR, 0x0EA0_F800, "VV", ArrBits.FP, "S4,D2", "C7.2 FABS (vector)"),
  FRINTP_V("frintp", Shape.VEC_RR, 0x0EA1_8800, "VV", ArrBits.FP, "S4,D2", "C7.2 FRINTP (vector)"),
  FRINTM_V("frintm", Shape.VEC_RR, 0x0E21_9800, "VV", ArrBits.FP, "S4,D2", "C7.2 FRINTM (vector)"),
  FRINTZ_V("frintz", Shape.VEC_RR, 0x0EA1_9800, "VV", ArrBits.FP, "S4,D2", "C7.2 FRINTZ (vector)"),
  FRINTN_V("frintn", Shape.VEC_RR, 0x0E21_8800, "VV", ArrBits.FP, "S4,D2", "C7.2 FRINTN (vector)"),
  SCVTF_V("scvtf", Shape.VEC_RR, 0x0E21_D800, "VV", ArrBits.FP, "S4,D2",
      "C7.2 SCVTF (vector, integer)"),
  UCVTF_V("ucvtf", Shape.VEC_RR, 0x2E21_D800, "VV", ArrBits.FP, "S4,D2",
      "C7.2 UCVTF (vector, integer)"),
  // to integer toward zero, saturating, NaN to 0 (Arm ARM C7.2 "FCVTZS (vector, integer)")
  FCVTZS_V("fcvtzs", Shape.VEC_RR, 0x0EA1_B800, "VV", ArrBits.FP, "S4,D2",
      "C7.2 FCVTZS (vector, integer)"),
  FCVTZU_V("fcvtzu", Shape.VEC_RR, 0x2EA1_B800, "VV", ArrBits.FP, "S4,D2",
      "C7.2 FCVTZU (vector, integer)"),
  // f64 lanes to f32 in the low half (the high half zeroed), f32 lanes of the low half to f64
  FCVTN_V("fcvtn", Shape.VEC_RR, 0x0E61_6800, "VL", ArrBits.FIXED, "S2", "C7.2 FCVTN, FCVTN2"),
  FCVTL_V("fcvtl", Shape.VEC_RR, 0x0E61_7800, "LV", ArrBits.FIXED, "S2", "C7.2 FCVTL, FCVTL2"),
  // copy between a lane and a general register: the arrangement names the lane size
  UMOV_W("umov", Shape.VEC_TO_GEN, 0x0E00_3C00, "wV", ArrBits.FIXED_ELEMENT, "B16,H8", "C7.2 UMOV"),
  MOV_W_ELEM("mov", Shape.VEC_TO_GEN, 0x0E00_3C00, "wV", ArrBits.FIXED_ELEMENT, "S4",
      "C7.2 MOV (to general), alias of UMOV"),
  MOV_X_ELEM("mov", Shape.VEC_TO_GEN, 0x4E00_3C00, "xV", ArrBits.FIXED_ELEMENT, "D2",
      "C7.2 MOV (to general), alias of UMOV"),
  SMOV_W("smov", Shape.VEC_TO_GEN, 0x0E00_2C00, "wV", ArrBits.FIXED_ELEMENT, "B16,H8", "C7.2 SMOV"),
  INS_W("ins", Shape.VEC_FROM_GEN, 0x4E00_1C00, "Vw", ArrBits.FIXED_ELEMENT, "B16,H8,S4",
      "C7.2 INS (general)"),
  INS_X("ins", Shape.VEC_FROM_GEN, 0x4E00_1C00, "Vx", ArrBits.FIXED_ELEMENT, "D2",
      "C7.2 INS (general)"),
  INS_ELEM("ins", Shape.VEC_INS_ELEM, 0x6E00_0400, "VV", ArrBits.FIXED_ELEMENT, "B16,H8,S4,D2",
      "C7.2 INS (element)"),
  MOV_SCALAR_ELEM("mov", Shape.VEC_SCALAR_ELEM, 0x5E00_0400, "EV", ArrBits.FIXED_ELEMENT,
      "B16,H8,S4,D2", "C7.2 MOV (scalar), alias of DUP (element)"),
  DUP_W("dup", Shape.VEC_DUP_GEN, 0x0E00_0C00, "Vw", ArrBits.FIXED_ELEMENT, "B16,H8,S4",
      "C7.2 DUP (general)"),
  DUP_ELEM("dup", Shape.VEC_DUP_ELEM, 0x0E00_0400, "VV", ArrBits.FIXED_ELEMENT, "B16,H8,S4,D2",
      "C7.2 DUP (element)"),
  // permutations: table lookups (an index out of range gives 0 for TBL, keeps the byte for TBX),
  // EXT, ZIP1
  TBL_V("tbl", Shape.VEC_TBL, 0x4E00_0000, "VVV", ArrBits.FIXED, "B16", "C7.2 TBL, one register"),
  TBX_V("tbx", Shape.VEC_TBL, 0x4E00_1000, "VVV", ArrBits.FIXED, "B16", "C7.2 TBX, one register"),
  EXT_V("ext", Shape.VEC_EXT, 0x6E00_0000, "VVV", ArrBits.FIXED, "B16", "C7.2 EXT"),
  ZIP1_V("zip1", Shape.VEC_RRR, 0x0E00_3800, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 ZIP1"),
  ZIP2_V("zip2", Shape.VEC_RRR, 0x0E00_7800, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 ZIP2"),
  UZP1_V("uzp1", Shape.VEC_RRR, 0x0E00_1800, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 UZP1"),
  UZP2_V("uzp2", Shape.VEC_RRR, 0x0E00_5800, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 UZP2"),
  TRN1_V("trn1", Shape.VEC_RRR, 0x0E00_2800, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 TRN1"),
  TRN2_V("trn2", Shape.VEC_RRR, 0x0E00_6800, "VVV", ArrBits.INT, "B16,H8,S4,D2", "C7.2 TRN2"),
  // across lanes and pairwise sums
  ADDV("addv", Shape.VEC_RR, 0x0E31_B800, "EV", ArrBits.INT, "B8,B16,H4,H8,S4", "C7.2 ADDV"),
  ADDP_SCALAR("addp", Shape.VEC_RR, 0x5EF1_B800, "EV", ArrBits.FIXED, "D2", "C7.2 ADDP (scalar)"),
  ADDP_V("addp", Shape.VEC_RRR, 0x0E20_BC00, "VVV", ArrBits.INT, "B16,H8,S4,D2",
      "C7.2 ADDP (vector)"),
  SADDLP_V("saddlp", Shape.VEC_RR, 0x0E20_2800, "LV", ArrBits.INT, "B16,H8,S4", "C7.2 SADDLP"),
  UADDLP_V("uaddlp", Shape.VEC_RR, 0x2E20_2800, "LV", ArrBits.INT, "B16,H8,S4", "C7.2 UADDLP"),
  CNT_V("cnt", Shape.VEC_RR, 0x0E20_5800, "VV", ArrBits.INT, "B8,B16", "C7.2 CNT"),
  // narrowing with saturation into the low half (the "2" forms: the high half, the low kept); the
  // arrangement is the result's
  SQXTN_V("sqxtn", Shape.VEC_RR, 0x0E21_4800, "VL", ArrBits.INT, "B8,H4,S2", "C7.2 SQXTN, SQXTN2"),
  SQXTN2_V("sqxtn2", Shape.VEC_RR, 0x0E21_4800, "VL", ArrBits.INT, "B16,H8,S4",
      "C7.2 SQXTN, SQXTN2"),
  UQXTN_V("uqxtn", Shape.VEC_RR, 0x2E21_4800, "VL", ArrBits.INT, "B8,H4,S2", "C7.2 UQXTN, UQXTN2"),
  SQXTUN_V("sqxtun", Shape.VEC_RR, 0x2E21_2800, "VL", ArrBits.INT, "B8,H4,S2",
      "C7.2 SQXTUN, SQXTUN2"),
  SQXTUN2_V("sqxtun2", Shape.VEC_RR, 0x2E21_2800, "VL", ArrBits.INT, "B16,H8,S4",
      "C7.2 SQXTUN, SQXTUN2"),
  // widening multiplies of the low (or, "2", high) halves; the arrangement is the sources'
  SMULL_V("smull", Shape.VEC_RRR, 0x0E20_C000, "LVV", ArrBits.INT, "B8,H4,S2",
      "C7.2 SMULL, SMULL2 (vector)"),
  SMULL2_V("smull2", Shape.VEC_RRR, 0x0E20_C000, "LVV", ArrBits.INT, "B16,H8,S4",
      "C7.2 SMULL, SMULL2 (vector)"),
  UMULL_V("umull", Shape.VEC_RRR, 0x2E20_C000, "LVV", ArrBits.INT, "B8,H4,S2",
      "C7.2 UMULL, UMULL2 (vector)"),
  UMULL2_V("umull2", Shape.VEC_RRR, 0x2E20_C000, "LVV", ArrBits.INT, "B16,H8,S4",
      "C7.2 UMULL, UMULL2 (vector)"),
  SQRDMULH_V("sqrdmulh", Shape.VEC_RRR, 0x2E20_B400, "VVV", ArrBits.INT, "H8,S4",
      "C7.2 SQRDMULH (vector)");

  /** How a vector form encodes its arrangement operand. */
  public enum ArrBits {
    /** Q in bit 30, the lane size in bits 23:22 (integer Advanced SIMD instructions). */
    INT,
    /** Q in bit 30, bit 22 set for 64-bit lanes (floating-point Advanced SIMD instructions). */
    FP,
    /** Already in the form's bits: the form takes exactly one arrangement. */
    FIXED,
    /** The lane size and index go to the copy instructions' imm5 (the shape encodes them). */
    FIXED_ELEMENT
  }

  private final String mnemonic;
  private final Shape shape;
  private final int bits;
  private final String views;
  private final ArrBits arrBits;
  private final Set<VArr> arrangements;
  private final String armArm;

  Form(String mnemonic, Shape shape, int bits, String views, String armArm) {
    this(mnemonic, shape, bits, views, null, "", armArm);
  }

  /**
   * A vector form: {@code arrangements} lists the ones it takes, comma-separated ({@code
   * "B16,H8,S4"}), which {@code arrBits} encodes.
   */
  Form(String mnemonic, Shape shape, int bits, String views, ArrBits arrBits, String arrangements,
      String armArm) {
    if (views.length() != shape.registerCount()) {
      throw new IllegalArgumentException(name() + ": " + views.length() + " views for "
          + shape.registerCount() + " registers");
    }
    boolean vector = shape.operands().contains(Shape.Kind.ARR);
    if (vector == arrangements.isEmpty() || vector == (arrBits == null)) {
      throw new IllegalArgumentException(name() + ": a vector shape needs arrangements, others none");
    }
    EnumSet<VArr> arrs = EnumSet.noneOf(VArr.class);
    for (String a : arrangements.isEmpty() ? new String[0] : arrangements.split(",")) {
      arrs.add(VArr.valueOf(a));
    }
    if (arrBits == ArrBits.FIXED && arrs.size() != 1) {
      throw new IllegalArgumentException(name() + ": a fixed arrangement is exactly one");
    }
    this.mnemonic = mnemonic;
    this.shape = shape;
    this.bits = bits;
    this.views = views;
    this.arrBits = arrBits;
    this.arrangements = Collections.unmodifiableSet(arrs);
    this.armArm = armArm;
  }

  public String mnemonic() {
    return mnemonic;
  }

  public Shape shape() {
    return shape;
  }

  /** The encoding with every operand field zero. */
  public int bits() {
    return bits;
  }

  /** One view letter per register operand (see the class documentation). */
  public String views() {
    return views;
  }

  /** How the arrangement operand is encoded; null for a form without one. */
  public ArrBits arrBits() {
    return arrBits;
  }

  /** The arrangements a vector form takes; empty for other forms. */
  public Set<VArr> arrangements() {
    return arrangements;
  }

  /** The Arm ARM section and page this form implements. */
  public String armArm() {
    return armArm;
  }

  /** Whether the form operates on 64-bit values (bit 31, sf, for the integer forms). */
  public boolean wide() {
    return (bits & 0x8000_0000) != 0;
  }

  /**
   * Access size in bytes of a load/store form: bits 31:30 ({@code size}) as a power of two, except
   * the 128-bit FP forms, which have size 00 with V (bit 26) and opc bit 23 set (Arm ARM C4.1.66,
   * "Load/store register (unsigned immediate)").
   */
  public int accessSize() {
    if (shape != Shape.LDST_UIMM && shape != Shape.LDST_REG && shape != Shape.LDST_REG_SCALED) {
      throw new IllegalStateException(this + " is not a load or store");
    }
    boolean quad = (bits >>> 30) == 0 && (bits & (1 << 26)) != 0 && (bits & (1 << 23)) != 0;
    return quad ? 16 : 1 << (bits >>> 30);
  }
}
