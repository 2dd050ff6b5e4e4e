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
  CMPNEQPD_RM(of("cmpneqpd", RM, P66, NO_W, 0x0FC2, NO_DIGIT, X, XM128).withFixedImm8(4));
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
