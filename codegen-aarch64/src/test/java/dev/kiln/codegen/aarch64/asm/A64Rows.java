package dev.kiln.codegen.aarch64.asm;

import static dev.kiln.codegen.aarch64.asm.EncodingRow.addImm;
import static dev.kiln.codegen.aarch64.asm.EncodingRow.logW;
import static dev.kiln.codegen.aarch64.asm.EncodingRow.logX;
import static dev.kiln.codegen.aarch64.asm.EncodingRow.mw;
import static dev.kiln.codegen.aarch64.asm.EncodingRow.off;
import static dev.kiln.codegen.aarch64.asm.EncodingRow.pair;
import static dev.kiln.codegen.aarch64.asm.EncodingRow.pc;
import static dev.kiln.codegen.aarch64.asm.EncodingRow.row;
import static dev.kiln.codegen.aarch64.asm.EncodingRow.u;
import static dev.kiln.codegen.aarch64.asm.FpReg.V0;
import static dev.kiln.codegen.aarch64.asm.FpReg.V1;
import static dev.kiln.codegen.aarch64.asm.FpReg.V17;
import static dev.kiln.codegen.aarch64.asm.FpReg.V31;
import static dev.kiln.codegen.aarch64.asm.Gpr.SP;
import static dev.kiln.codegen.aarch64.asm.Gpr.X0;
import static dev.kiln.codegen.aarch64.asm.Gpr.X1;
import static dev.kiln.codegen.aarch64.asm.Gpr.X16;
import static dev.kiln.codegen.aarch64.asm.Gpr.X17;
import static dev.kiln.codegen.aarch64.asm.Gpr.X2;
import static dev.kiln.codegen.aarch64.asm.Gpr.X28;
import static dev.kiln.codegen.aarch64.asm.Gpr.X29;
import static dev.kiln.codegen.aarch64.asm.Gpr.X3;
import static dev.kiln.codegen.aarch64.asm.Gpr.X30;
import static dev.kiln.codegen.aarch64.asm.Gpr.X9;
import static dev.kiln.codegen.aarch64.asm.Gpr.ZR;

import java.util.List;

/** Golden rows, at least one per {@link Form}, grouped as the form table is. */
final class A64Rows {
  private A64Rows() {}

  static final List<EncodingRow> ROWS = List.of(
      // add/sub immediate
      row("20400011", "add w0, w1, #0x10", Form.ADD_W_IMM, X0, X1, addImm(16)),
      row("20400091", "add x0, x1, #0x10", Form.ADD_X_IMM, X0, X1, addImm(16)),
      row("ff074091", "add sp, sp, #1, lsl #12", Form.ADD_X_IMM, SP, SP, addImm(4096)),
      row("62fc3f51", "sub w2, w3, #0xfff", Form.SUB_W_IMM, X2, X3, addImm(4095)),
      row("ff8300d1", "sub sp, sp, #0x20", Form.SUB_X_IMM, SP, SP, addImm(32)),
      row("f18f44d1", "sub x17, sp, #0x123, lsl #12", Form.SUB_X_IMM, X17, SP, addImm(0x123000)),
      row("3f0c0071", "cmp w1, #3", Form.CMP_W_IMM, X1, addImm(3)),
      row("3f0000f1", "cmp x1, #0", Form.CMP_X_IMM, X1, addImm(0)),
      row("5f040031", "cmn w2, #1", Form.CMN_W_IMM, X2, addImm(1)),
      row("5f0400b1", "cmn x2, #1", Form.CMN_X_IMM, X2, addImm(1)),
      row("fd030091", "mov x29, sp", Form.MOV_X_SP, X29, SP),
      row("bf030091", "mov sp, x29", Form.MOV_X_SP, SP, X29),
      // shifted register, 2-source
      row("2000020b", "add w0, w1, w2", Form.ADD_W, X0, X1, X2),
      row("2000028b", "add x0, x1, x2", Form.ADD_X, X0, X1, X2),
      row("2008020b", "add w0, w1, w2, lsl #2", Form.ADD_W_LSL, X0, X1, X2, u(2)),
      row("230d1c8b", "add x3, x9, x28, lsl #3", Form.ADD_X_LSL, X3, X9, X28, u(3)),
      row("300002ab", "adds x16, x1, x2", Form.ADDS_X, X16, X1, X2),
      row("2000024b", "sub w0, w1, w2", Form.SUB_W, X0, X1, X2),
      row("bc031ecb", "sub x28, x29, x30", Form.SUB_X, X28, X29, X30),
      row("2000020a", "and w0, w1, w2", Form.AND_W, X0, X1, X2),
      row("2000028a", "and x0, x1, x2", Form.AND_X, X0, X1, X2),
      row("2000022a", "orr w0, w1, w2", Form.ORR_W, X0, X1, X2),
      row("200002aa", "orr x0, x1, x2", Form.ORR_X, X0, X1, X2),
      row("2000024a", "eor w0, w1, w2", Form.EOR_W, X0, X1, X2),
      row("200002ca", "eor x0, x1, x2", Form.EOR_X, X0, X1, X2),
      row("2000220a", "bic w0, w1, w2", Form.BIC_W, X0, X1, X2),
      row("09023c8a", "bic x9, x16, x28", Form.BIC_X, X9, X16, X28),
      row("207c021b", "mul w0, w1, w2", Form.MUL_W, X0, X1, X2),
      row("207c029b", "mul x0, x1, x2", Form.MUL_X, X0, X1, X2),
      row("207cc29b", "umulh x0, x1, x2", Form.UMULH_X, X0, X1, X2),
      row("200cc21a", "sdiv w0, w1, w2", Form.SDIV_W, X0, X1, X2),
      row("200cc29a", "sdiv x0, x1, x2", Form.SDIV_X, X0, X1, X2),
      row("2008c21a", "udiv w0, w1, w2", Form.UDIV_W, X0, X1, X2),
      row("2008c29a", "udiv x0, x1, x2", Form.UDIV_X, X0, X1, X2),
      row("2020c21a", "lsl w0, w1, w2", Form.LSL_W, X0, X1, X2),
      row("2020c29a", "lsl x0, x1, x2", Form.LSL_X, X0, X1, X2),
      row("2024c21a", "lsr w0, w1, w2", Form.LSR_W, X0, X1, X2),
      row("2024c29a", "lsr x0, x1, x2", Form.LSR_X, X0, X1, X2),
      row("2028c21a", "asr w0, w1, w2", Form.ASR_W, X0, X1, X2),
      row("2028c29a", "asr x0, x1, x2", Form.ASR_X, X0, X1, X2),
      row("202cc21a", "ror w0, w1, w2", Form.ROR_W, X0, X1, X2),
      row("202cc29a", "ror x0, x1, x2", Form.ROR_X, X0, X1, X2),
      row("e003012a", "mov w0, w1", Form.MOV_W, X0, X1),
      row("e00301aa", "mov x0, x1", Form.MOV_X, X0, X1),
      row("e003014b", "neg w0, w1", Form.NEG_W, X0, X1),
      row("e00301cb", "neg x0, x1", Form.NEG_X, X0, X1),
      row("e003212a", "mvn w0, w1", Form.MVN_W, X0, X1),
      row("fd033caa", "mvn x29, x28", Form.MVN_X, X29, X28),
      row("3f00026b", "cmp w1, w2", Form.CMP_W, X1, X2),
      row("3f0002eb", "cmp x1, x2", Form.CMP_X, X1, X2),
      row("3f00026a", "tst w1, w2", Form.TST_W, X1, X2),
      row("3f0002ea", "tst x1, x2", Form.TST_X, X1, X2),
      // logical immediate
      row("201c0012", "and w0, w1, #0xff", Form.AND_W_IMM, X0, X1, logW(0xFF)),
      row("20f00092", "and x0, x1, #0x5555555555555555", Form.AND_X_IMM, X0, X1, logX(0x5555555555555555L)),
      row("20000132", "orr w0, w1, #0x80000000", Form.ORR_W_IMM, X0, X1, logW(0x8000_0000L)),
      row("20cc00b2", "orr x0, x1, #0xf0f0f0f0f0f0f0f", Form.ORR_X_IMM, X0, X1, logX(0x0F0F0F0F0F0F0F0FL)),
      row("20e40052", "eor w0, w1, #0x33333333", Form.EOR_W_IMM, X0, X1, logW(0x33333333L)),
      row("20f840d2", "eor x0, x1, #0x7fffffffffffffff", Form.EOR_X_IMM, X0, X1, logX(0x7FFFFFFFFFFFFFFFL)),
      row("3f000072", "tst w1, #1", Form.TST_W_IMM, X1, logW(1)),
      row("3f0041f2", "tst x1, #0x8000000000000000", Form.TST_X_IMM, X1, logX(0x8000000000000000L)),
      // move wide
      row("20008052", "movz w0, #0x1", Form.MOVZ_W, X0, mw(1, 0)),
      row("e0ffbf52", "movz w0, #0xffff, lsl #16", Form.MOVZ_W, X0, mw(0xFFFF, 16)),
      row("8046e2d2", "movz x0, #0x1234, lsl #48", Form.MOVZ_X, X0, mw(0x1234, 48)),
      row("03008012", "movn w3, #0", Form.MOVN_W, X3, mw(0, 0)),
      row("0302c092", "movn x3, #0x10, lsl #32", Form.MOVN_X, X3, mw(0x10, 32)),
      row("a979b572", "movk w9, #0xabcd, lsl #16", Form.MOVK_W, X9, mw(0xABCD, 16)),
      row("e9ddd7f2", "movk x9, #0xbeef, lsl #32", Form.MOVK_X, X9, mw(0xBEEF, 32)),
      // 3-source, 1-source, bitfield aliases
      row("208c021b", "msub w0, w1, w2, w3", Form.MSUB_W, X0, X1, X2, X3),
      row("208c029b", "msub x0, x1, x2, x3", Form.MSUB_X, X0, X1, X2, X3),
      row("2010c05a", "clz w0, w1", Form.CLZ_W, X0, X1),
      row("2010c0da", "clz x0, x1", Form.CLZ_X, X0, X1),
      row("2000c05a", "rbit w0, w1", Form.RBIT_W, X0, X1),
      row("2000c0da", "rbit x0, x1", Form.RBIT_X, X0, X1),
      row("201c0013", "sxtb w0, w1", Form.SXTB_W, X0, X1),
      row("201c4093", "sxtb x0, w1", Form.SXTB_X, X0, X1),
      row("203c0013", "sxth w0, w1", Form.SXTH_W, X0, X1),
      row("203c4093", "sxth x0, w1", Form.SXTH_X, X0, X1),
      row("207c4093", "sxtw x0, w1", Form.SXTW_X, X0, X1),
      row("20701d53", "lsl w0, w1, #3", Form.LSL_W_IMM, X0, X1, u(3)),
      row("200041d3", "lsl x0, x1, #0x3f", Form.LSL_X_IMM, X0, X1, u(63)),
      row("207c1f53", "lsr w0, w1, #0x1f", Form.LSR_W_IMM, X0, X1, u(31)),
      row("20fc78d3", "lsr x0, x1, #0x38", Form.LSR_X_IMM, X0, X1, u(56)),
      row("207c0113", "asr w0, w1, #1", Form.ASR_W_IMM, X0, X1, u(1)),
      row("20fc6093", "asr x0, x1, #0x20", Form.ASR_X_IMM, X0, X1, u(32)),
      row("20148113", "ror w0, w1, #5", Form.ROR_W_IMM, X0, X1, u(5)),
      row("20f0c193", "ror x0, x1, #0x3c", Form.ROR_X_IMM, X0, X1, u(60)),
      // conditional select and compare
      row("2010821a", "csel w0, w1, w2, ne", Form.CSEL_W, X0, X1, X2, Cond.NE),
      row("2030829a", "csel x0, x1, x2, lo", Form.CSEL_X, X0, X1, X2, Cond.LO),
      row("e0179f1a", "cset w0, eq", Form.CSET_W, X0, Cond.EQ),
      row("e0979f9a", "cset x0, hi", Form.CSET_X, X0, Cond.HI),
      row("2008417a", "ccmp w1, #1, #0, eq", Form.CCMP_W_IMM, X1, u(1), u(0), Cond.EQ),
      row("200841fa", "ccmp x1, #1, #0, eq", Form.CCMP_X_IMM, X1, u(1), u(0), Cond.EQ),
      // loads and stores, unsigned offset
      row("20000039", "strb w0, [x1]", Form.STRB_IMM, X0, X1, off(0, 1)),
      row("20fc7f39", "ldrb w0, [x1, #0xfff]", Form.LDRB_IMM, X0, X1, off(4095, 1)),
      row("2004c039", "ldrsb w0, [x1, #1]", Form.LDRSB_W_IMM, X0, X1, off(1, 1)),
      row("20088039", "ldrsb x0, [x1, #2]", Form.LDRSB_X_IMM, X0, X1, off(2, 1)),
      row("20040079", "strh w0, [x1, #2]", Form.STRH_IMM, X0, X1, off(2, 2)),
      row("20fc7f79", "ldrh w0, [x1, #0x1ffe]", Form.LDRH_IMM, X0, X1, off(8190, 2)),
      row("2000c079", "ldrsh w0, [x1]", Form.LDRSH_W_IMM, X0, X1, off(0, 2)),
      row("20088079", "ldrsh x0, [x1, #4]", Form.LDRSH_X_IMM, X0, X1, off(4, 2)),
      row("e00700b9", "str w0, [sp, #4]", Form.STR_W_IMM, X0, SP, off(4, 4)),
      row("20fc7fb9", "ldr w0, [x1, #0x3ffc]", Form.LDR_W_IMM, X0, X1, off(16380, 4)),
      row("200880b9", "ldrsw x0, [x1, #8]", Form.LDRSW_IMM, X0, X1, off(8, 4)),
      row("e0ff3ff9", "str x0, [sp, #0x7ff8]", Form.STR_X_IMM, X0, SP, off(32760, 8)),
      row("100040f9", "ldr x16, [x0]", Form.LDR_X_IMM, X16, X0, off(0, 8)),
      row("200400bd", "str s0, [x1, #4]", Form.STR_S_IMM, V0, X1, off(4, 4)),
      row("ff0b40bd", "ldr s31, [sp, #8]", Form.LDR_S_IMM, V31, SP, off(8, 4)),
      row("210400fd", "str d1, [x1, #8]", Form.STR_D_IMM, V1, X1, off(8, 8)),
      row("510840fd", "ldr d17, [x2, #0x10]", Form.LDR_D_IMM, V17, X2, off(16, 8)),
      row("200cc03d", "ldr q0, [x1, #0x30]", Form.LDR_Q_IMM, V0, X1, off(48, 16)),
      row("ff0b803d", "str q31, [sp, #0x20]", Form.STR_Q_IMM, V31, SP, off(32, 16)),
      // loads and stores, register offset
      row("20682238", "strb w0, [x1, x2]", Form.STRB_REG, X0, X1, X2),
      row("20686238", "ldrb w0, [x1, x2]", Form.LDRB_REG, X0, X1, X2),
      row("2068e238", "ldrsb w0, [x1, x2]", Form.LDRSB_W_REG, X0, X1, X2),
      row("2068a238", "ldrsb x0, [x1, x2]", Form.LDRSB_X_REG, X0, X1, X2),
      row("20682278", "strh w0, [x1, x2]", Form.STRH_REG, X0, X1, X2),
      row("20686278", "ldrh w0, [x1, x2]", Form.LDRH_REG, X0, X1, X2),
      row("2068e278", "ldrsh w0, [x1, x2]", Form.LDRSH_W_REG, X0, X1, X2),
      row("2068a278", "ldrsh x0, [x1, x2]", Form.LDRSH_X_REG, X0, X1, X2),
      row("206822b8", "str w0, [x1, x2]", Form.STR_W_REG, X0, X1, X2),
      row("206862b8", "ldr w0, [x1, x2]", Form.LDR_W_REG, X0, X1, X2),
      row("2068a2b8", "ldrsw x0, [x1, x2]", Form.LDRSW_REG, X0, X1, X2),
      row("e06b22f8", "str x0, [sp, x2]", Form.STR_X_REG, X0, SP, X2),
      row("206862f8", "ldr x0, [x1, x2]", Form.LDR_X_REG, X0, X1, X2),
      row("206822bc", "str s0, [x1, x2]", Form.STR_S_REG, V0, X1, X2),
      row("206862bc", "ldr s0, [x1, x2]", Form.LDR_S_REG, V0, X1, X2),
      row("206822fc", "str d0, [x1, x2]", Form.STR_D_REG, V0, X1, X2),
      row("206862fc", "ldr d0, [x1, x2]", Form.LDR_D_REG, V0, X1, X2),
      row("206ae23c", "ldr q0, [x17, x2]", Form.LDR_Q_REG, V0, X17, X2),
      row("2068a23c", "str q0, [x1, x2]", Form.STR_Q_REG, V0, X1, X2),
      row("117ab1b8", "ldrsw x17, [x16, x17, lsl #2]", Form.LDRSW_REG_LSL2, X17, X16, X17),
      // pairs
      row("fd7bbfa9", "stp x29, x30, [sp, #-0x10]!", Form.STP_X_PRE, X29, X30, SP, pair(-16)),
      row("fd7bc1a8", "ldp x29, x30, [sp], #0x10", Form.LDP_X_POST, X29, X30, SP, pair(16)),
      row("e00701a9", "stp x0, x1, [sp, #0x10]", Form.STP_X_OFF, X0, X1, SP, pair(16)),
      row("a28f7fa9", "ldp x2, x3, [x29, #-8]", Form.LDP_X_OFF, X2, X3, X29, pair(-8)),
      // branches
      row("02000014", "b #8", Form.B, pc(8)),
      row("ffffff97", "bl #0xfffffffffffffffc", Form.BL, pc(-4)),
      row("c0ffff54", "b.eq #0xfffffffffffffff8", Form.B_COND, Cond.EQ, pc(-8)),
      row("e2ff7f54", "b.hs #0xffffc", Form.B_COND, Cond.HS, pc(0xFFFFC)),
      row("80000034", "cbz w0, #0x10", Form.CBZ_W, X0, pc(16)),
      row("000080b4", "cbz x0, #0xfffffffffff00000", Form.CBZ_X, X0, pc(-0x100000)),
      row("20000035", "cbnz w0, #4", Form.CBNZ_W, X0, pc(4)),
      row("200000b5", "cbnz x0, #4", Form.CBNZ_X, X0, pc(4)),
      row("d0000010", "adr x16, #0x18", Form.ADR, X16, pc(24)),
      row("00021fd6", "br x16", Form.BR, X16),
      row("60003fd6", "blr x3", Form.BLR, X3),
      row("c0035fd6", "ret", Form.RET),
      row("200020d4", "brk #0x1", Form.BRK, u(1)),
      row("1f2003d5", "nop", Form.NOP),
      // floating point
      row("2028311e", "fadd s0, s1, s17", Form.FADD_S, V0, V1, V17),
      row("2028711e", "fadd d0, d1, d17", Form.FADD_D, V0, V1, V17),
      row("2038311e", "fsub s0, s1, s17", Form.FSUB_S, V0, V1, V17),
      row("2038711e", "fsub d0, d1, d17", Form.FSUB_D, V0, V1, V17),
      row("2008311e", "fmul s0, s1, s17", Form.FMUL_S, V0, V1, V17),
      row("2008711e", "fmul d0, d1, d17", Form.FMUL_D, V0, V1, V17),
      row("2018311e", "fdiv s0, s1, s17", Form.FDIV_S, V0, V1, V17),
      row("2018711e", "fdiv d0, d1, d17", Form.FDIV_D, V0, V1, V17),
      row("2058311e", "fmin s0, s1, s17", Form.FMIN_S, V0, V1, V17),
      row("2058711e", "fmin d0, d1, d17", Form.FMIN_D, V0, V1, V17),
      row("2048311e", "fmax s0, s1, s17", Form.FMAX_S, V0, V1, V17),
      row("2048711e", "fmax d0, d1, d17", Form.FMAX_D, V0, V1, V17),
      row("20c0201e", "fabs s0, s1", Form.FABS_S, V0, V1),
      row("20c0601e", "fabs d0, d1", Form.FABS_D, V0, V1),
      row("2040211e", "fneg s0, s1", Form.FNEG_S, V0, V1),
      row("2040611e", "fneg d0, d1", Form.FNEG_D, V0, V1),
      row("20c0211e", "fsqrt s0, s1", Form.FSQRT_S, V0, V1),
      row("20c0611e", "fsqrt d0, d1", Form.FSQRT_D, V0, V1),
      row("2040241e", "frintn s0, s1", Form.FRINTN_S, V0, V1),
      row("2040641e", "frintn d0, d1", Form.FRINTN_D, V0, V1),
      row("20c0241e", "frintp s0, s1", Form.FRINTP_S, V0, V1),
      row("20c0641e", "frintp d0, d1", Form.FRINTP_D, V0, V1),
      row("2040251e", "frintm s0, s1", Form.FRINTM_S, V0, V1),
      row("2040651e", "frintm d0, d1", Form.FRINTM_D, V0, V1),
      row("20c0251e", "frintz s0, s1", Form.FRINTZ_S, V0, V1),
      row("20c0651e", "frintz d0, d1", Form.FRINTZ_D, V0, V1),
      row("2040201e", "fmov s0, s1", Form.FMOV_S, V0, V1),
      row("2040601e", "fmov d0, d1", Form.FMOV_D, V0, V1),
      row("20c0221e", "fcvt d0, s1", Form.FCVT_D_S, V0, V1),
      row("2040621e", "fcvt s0, d1", Form.FCVT_S_D, V0, V1),
      row("2000271e", "fmov s0, w1", Form.FMOV_S_W, V0, X1),
      row("2000261e", "fmov w0, s1", Form.FMOV_W_S, X0, V1),
      row("2000679e", "fmov d0, x1", Form.FMOV_D_X, V0, X1),
      row("2000669e", "fmov x0, d1", Form.FMOV_X_D, X0, V1),
      row("2000221e", "scvtf s0, w1", Form.SCVTF_S_W, V0, X1),
      row("2000229e", "scvtf s0, x1", Form.SCVTF_S_X, V0, X1),
      row("2000621e", "scvtf d0, w1", Form.SCVTF_D_W, V0, X1),
      row("2000629e", "scvtf d0, x1", Form.SCVTF_D_X, V0, X1),
      row("2000231e", "ucvtf s0, w1", Form.UCVTF_S_W, V0, X1),
      row("2000239e", "ucvtf s0, x1", Form.UCVTF_S_X, V0, X1),
      row("2000631e", "ucvtf d0, w1", Form.UCVTF_D_W, V0, X1),
      row("2000639e", "ucvtf d0, x1", Form.UCVTF_D_X, V0, X1),
      row("2000381e", "fcvtzs w0, s1", Form.FCVTZS_W_S, X0, V1),
      row("2000389e", "fcvtzs x0, s1", Form.FCVTZS_X_S, X0, V1),
      row("2000781e", "fcvtzs w0, d1", Form.FCVTZS_W_D, X0, V1),
      row("2000789e", "fcvtzs x0, d1", Form.FCVTZS_X_D, X0, V1),
      row("2000391e", "fcvtzu w0, s1", Form.FCVTZU_W_S, X0, V1),
      row("2000399e", "fcvtzu x0, s1", Form.FCVTZU_X_S, X0, V1),
      row("2000791e", "fcvtzu w0, d1", Form.FCVTZU_W_D, X0, V1),
      row("2000799e", "fcvtzu x0, d1", Form.FCVTZU_X_D, X0, V1),
      row("0020211e", "fcmp s0, s1", Form.FCMP_S, V0, V1),
      row("0020611e", "fcmp d0, d1", Form.FCMP_D, V0, V1),
      row("20cc311e", "fcsel s0, s1, s17, gt", Form.FCSEL_S, V0, V1, V17, Cond.GT),
      row("206c711e", "fcsel d0, d1, d17, vs", Form.FCSEL_D, V0, V1, V17, Cond.VS),
      row("1f001f6b", "cmp w0, wzr", Form.CMP_W, X0, ZR),
      row("e3a39fda", "csetm x3, lt", Form.CSETM_X, X3, Cond.LT),
      row("c3ffff9c", "ldr q3, #0xfffffffffffffff8", Form.LDR_Q_LIT, FpReg.V3, pc(-8)));

  /** Every golden row: the base and floating-point rows above and the vector rows. */
  static final List<EncodingRow> ALL = java.util.stream.Stream.concat(ROWS.stream(),
      A64VectorRows.ROWS.stream()).toList();
}
