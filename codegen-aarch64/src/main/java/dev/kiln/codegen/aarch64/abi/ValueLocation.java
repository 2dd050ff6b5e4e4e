package dev.kiln.codegen.aarch64.abi;

import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.aarch64.asm.Gpr;
import java.util.Objects;

/** Where the calling convention puts one parameter or result. */
public sealed interface ValueLocation {

  /** In a general-purpose register (i32 in the low 32 bits, upper bits undefined). */
  record InGpr(Gpr register) implements ValueLocation {
    public InGpr {
      Objects.requireNonNull(register, "register");
    }
  }

  /** In an FP register (f32 in S, f64 in D; the rest of V undefined). */
  record InFpr(FpReg register) implements ValueLocation {
    public InFpr {
      Objects.requireNonNull(register, "register");
    }
  }

  /**
   * A stack argument {@code offset} bytes above the caller's SP at the call, which is
   * {@code x29 + 16 + offset} in the callee once its prologue has run.
   */
  record OnStack(int offset) implements ValueLocation {
    public OnStack {
      if (offset < 0) {
        throw new IllegalArgumentException("negative stack offset " + offset);
      }
    }
  }

  /** A result the callee stores at {@code offset} in the caller's return area. */
  record InReturnArea(int offset) implements ValueLocation {
    public InReturnArea {
      if (offset < 0) {
        throw new IllegalArgumentException("negative return-area offset " + offset);
      }
    }
  }
}
