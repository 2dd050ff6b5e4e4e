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
 * The packed-integer SSE instructions (SDM Vol. 2B, each instruction's page; SSE2 unless marked
 * SSSE3 or SSE4.1): wasm's integer and bitwise {@code v128} operators. All are {@code 66}-prefixed,
 * two-address ({@code op src, dst} in AT&amp;T), with an xmm or 16-byte memory source.
 */
public enum VecIntForm implements Form {
  // @formatter:off  one row per form, as the SDM opcode column reads
  // logical: PAND 66 0F DB, PANDN 66 0F DF (dst = ~dst & src), POR 66 0F EB
  PAND_RM(of("pand", RM, P66, NO_W, 0x0FDB, NO_DIGIT, X, XM128)),
  PANDN_RM(of("pandn", RM, P66, NO_W, 0x0FDF, NO_DIGIT, X, XM128)),
  POR_RM(of("por", RM, P66, NO_W, 0x0FEB, NO_DIGIT, X, XM128)),
  // PCMPEQD 66 0F 76: a register compared with itself is all ones
  PCMPEQD_RM(of("pcmpeqd", RM, P66, NO_W, 0x0F76, NO_DIGIT, X, XM128)),
  // PTEST 66 0F 38 17 (SSE4.1): ZF = (src & dst) == 0
  PTEST_RM(of("ptest", RM, P66, NO_W, 0x0F3817, NO_DIGIT, X, XM128));
  // @formatter:on

  private final FormSpec spec;

  VecIntForm(FormSpec spec) {
    this.spec = spec;
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
