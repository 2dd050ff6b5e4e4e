package dev.kiln.codegen.x64.abi;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Operand;
import dev.kiln.codegen.x64.asm.OperandKind;
import dev.kiln.codegen.x64.asm.X64Encoder;
import dev.kiln.codegen.x64.asm.X64Inst;

/** Shorthand for the emitters of this package: build, check and encode one instruction. */
final class Asm {
  private Asm() {}

  static void asm(CodeBuffer buf, Form form, Operand... operands) {
    X64Encoder.encode(X64Inst.of(form, operands), buf);
  }

  static Amode mem(Gpr base, int disp) {
    return Amode.baseDisp(base, disp);
  }

  /** Checks that {@code target} can be a call's rel32 operand: a label here or another function. */
  static Operand callTarget(Operand target) {
    String why = OperandKind.REL32.mismatch(target);
    if (why != null) {
      throw new IllegalArgumentException("call target " + why + ": " + target);
    }
    return target;
  }
}
