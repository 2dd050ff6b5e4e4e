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
 * The packed single- and double-precision SSE instructions (SDM Vol. 2A/2B, each instruction's
 * page; {@code ps} forms unprefixed, {@code pd} forms {@code 66}-prefixed): wasm's f32x4 and f64x2
 * operators. CMPPS/CMPPD carry their predicate in a trailing immediate, which assemblers fold into
 * the mnemonic ({@code cmpltps}); each predicate is a form of its own with that byte fixed.
 */
public enum VecFloatForm implements Form {
  // @formatter:off  one row per form, as the SDM opcode column reads
  // CMPPS 0F C2 /r ib, CMPPD 66 0F C2 /r ib; predicates 0 eq, 1 lt, 2 le, 4 neq (true if unordered)
  CMPEQPS_RM(of("cmpeqps", RM, NONE, NO_W, 0x0FC2, NO_DIGIT, X, XM128).withFixedImm8(0)),
  CMPLTPS_RM(of("cmpltps", RM, NONE, NO_W, 0x0FC2, NO_DIGIT, X, XM128).withFixedImm8(1)),
  CMPLEPS_RM(of("cmpleps", RM, NONE, NO_W, 0x0FC2, NO_DIGIT, X, XM128).withFixedImm8(2)),
  CMPNEQPS_RM(of("cmpneqps", RM, NONE, NO_W, 0x0FC2, NO_DIGIT, X, XM128).withFixedImm8(4)),
  CMPEQPD_RM(of("cmpeqpd", RM, P66, NO_W, 0x0FC2, NO_DIGIT, X, XM128).withFixedImm8(0)),
  CMPLTPD_RM(of("cmpltpd", RM, P66, NO_W, 0x0FC2, NO_DIGIT, X, XM128).withFixedImm8(1)),
  CMPLEPD_RM(of("cmplepd", RM, P66, NO_W, 0x0FC2, NO_DIGIT, X, XM128).withFixedImm8(2)),
  CMPNEQPD_RM(of("cmpneqpd", RM, P66, NO_W, 0x0FC2, NO_DIGIT, X, XM128).withFixedImm8(4)),
  // predicate 3: true where either lane is NaN
  CMPUNORDPS_RM(of("cmpunordps", RM, NONE, NO_W, 0x0FC2, NO_DIGIT, X, XM128).withFixedImm8(3)),
  CMPUNORDPD_RM(of("cmpunordpd", RM, P66, NO_W, 0x0FC2, NO_DIGIT, X, XM128).withFixedImm8(3)),
  // arithmetic: ADD 0F 58, MUL 59, SUB 5C, MIN 5D, DIV 5E, MAX 5F, SQRT 51; MINPS/MAXPS return the
  // source operand when either lane is NaN or both are zeros (SDM Vol. 2B "MINPS")
  ADDPS_RM(of("addps", RM, NONE, NO_W, 0x0F58, NO_DIGIT, X, XM128)),
  ADDPD_RM(of("addpd", RM, P66, NO_W, 0x0F58, NO_DIGIT, X, XM128)),
  SUBPS_RM(of("subps", RM, NONE, NO_W, 0x0F5C, NO_DIGIT, X, XM128)),
  SUBPD_RM(of("subpd", RM, P66, NO_W, 0x0F5C, NO_DIGIT, X, XM128)),
  MULPS_RM(of("mulps", RM, NONE, NO_W, 0x0F59, NO_DIGIT, X, XM128)),
  MULPD_RM(of("mulpd", RM, P66, NO_W, 0x0F59, NO_DIGIT, X, XM128)),
  DIVPS_RM(of("divps", RM, NONE, NO_W, 0x0F5E, NO_DIGIT, X, XM128)),
  DIVPD_RM(of("divpd", RM, P66, NO_W, 0x0F5E, NO_DIGIT, X, XM128)),
  MINPS_RM(of("minps", RM, NONE, NO_W, 0x0F5D, NO_DIGIT, X, XM128)),
  MINPD_RM(of("minpd", RM, P66, NO_W, 0x0F5D, NO_DIGIT, X, XM128)),
  MAXPS_RM(of("maxps", RM, NONE, NO_W, 0x0F5F, NO_DIGIT, X, XM128)),
  MAXPD_RM(of("maxpd", RM, P66, NO_W, 0x0F5F, NO_DIGIT, X, XM128)),
  SQRTPS_RM(of("sqrtps", RM, NONE, NO_W, 0x0F51, NO_DIGIT, X, XM128)),
  SQRTPD_RM(of("sqrtpd", RM, P66, NO_W, 0x0F51, NO_DIGIT, X, XM128)),
  // ROUNDPS 66 0F 3A 08 /r ib, ROUNDPD 09 (SSE4.1): imm 0 nearest even, 1 floor, 2 ceil, 3 trunc
  ROUNDPS_RMI(of("roundps", RMI, P66, NO_W, 0x0F3A08, NO_DIGIT, X, XM128, IMM8)),
  ROUNDPD_RMI(of("roundpd", RMI, P66, NO_W, 0x0F3A09, NO_DIGIT, X, XM128, IMM8)),
  // conversions: CVTDQ2PS 0F 5B, CVTTPS2DQ F3 0F 5B (0x80000000 for NaN and out of range),
  // CVTDQ2PD F3 0F E6 and CVTPS2PD 0F 5A (the low two lanes), CVTTPD2DQ 66 0F E6 and CVTPD2PS
  // 66 0F 5A (into the low two lanes, the high two zeroed)
  CVTDQ2PS_RM(of("cvtdq2ps", RM, NONE, NO_W, 0x0F5B, NO_DIGIT, X, XM128)),
  CVTTPS2DQ_RM(of("cvttps2dq", RM, PF3, NO_W, 0x0F5B, NO_DIGIT, X, XM128)),
  CVTDQ2PD_RM(of("cvtdq2pd", RM, PF3, NO_W, 0x0FE6, NO_DIGIT, X, XM64)),
  CVTTPD2DQ_RM(of("cvttpd2dq", RM, P66, NO_W, 0x0FE6, NO_DIGIT, X, XM128)),
  CVTPS2PD_RM(of("cvtps2pd", RM, NONE, NO_W, 0x0F5A, NO_DIGIT, X, XM64)),
  CVTPD2PS_RM(of("cvtpd2ps", RM, P66, NO_W, 0x0F5A, NO_DIGIT, X, XM128)),
  // UNPCKLPS 0F 14: dwords dst0, src0, dst1, src1; SHUFPS 0F C6 /r ib: two dwords of dst, then two
  // of src, each chosen by 2 bits of the immediate
  UNPCKLPS_RM(of("unpcklps", RM, NONE, NO_W, 0x0F14, NO_DIGIT, X, XM128)),
  SHUFPS_RMI(of("shufps", RMI, NONE, NO_W, 0x0FC6, NO_DIGIT, X, XM128, IMM8));
  // @formatter:on

  private final FormSpec spec;

  VecFloatForm(FormSpec spec) {
    this.spec = spec;
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
