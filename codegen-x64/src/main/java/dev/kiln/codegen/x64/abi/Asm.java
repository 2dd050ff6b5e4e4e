package dev.kiln.codegen.x64.abi;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Operand;
import dev.kiln.codegen.x64.asm.OperandKind;
import dev.kiln.codegen.x64.asm.X64Encoder;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.SseForm;
import dev.kiln.ir.Type;

/** Shorthand for the emitters of this package: build, check and encode one instruction. */
final class Asm {
  private Asm() {}

  static void asm(CodeBuffer buf, Form form, Operand... operands) {
    X64Encoder.encode(form, operands, buf);
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

  /**
   * Copies a {@code bytes}-long stack slot (8, or 16 for v128) eight bytes at a time through
   * {@link WasmCallConv#SCRATCH0}, which no trampoline keeps a live value in while it moves slots.
   */
  static void copy(CodeBuffer buf, Amode from, Amode to, int bytes) {
    for (int at = 0; at < bytes; at += 8) {
      asm(buf, MovForm.MOVQ_RM, WasmCallConv.SCRATCH0, shifted(from, at));
      asm(buf, MovForm.MOVQ_MR, shifted(to, at), WasmCallConv.SCRATCH0);
    }
  }

  private static Amode shifted(Amode m, int by) {
    Amode.BaseDisp b = (Amode.BaseDisp) m;
    return mem(b.base(), b.disp() + by);
  }

  /** The move that loads a float or vector value of type {@code t} from memory into an xmm register. */
  static SseForm loadForm(Type t) {
    return switch (t) {
      case F32 -> SseForm.MOVSS_RM;
      case F64 -> SseForm.MOVSD_RM;
      case V128 -> SseForm.MOVAPS_RM;
      default -> throw new IllegalArgumentException(t + " is not carried in an xmm register");
    };
  }

  /** The move that stores a float or vector value of type {@code t} from an xmm register to memory. */
  static SseForm storeForm(Type t) {
    return switch (t) {
      case F32 -> SseForm.MOVSS_MR;
      case F64 -> SseForm.MOVSD_MR;
      case V128 -> SseForm.MOVAPS_MR;
      default -> throw new IllegalArgumentException(t + " is not carried in an xmm register");
    };
  }
}
