package dev.kiln.codegen.x64.abi;

import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Xmm;
import java.util.Objects;

/** Where the calling convention puts one parameter or result. */
public sealed interface ValueLocation {

  /** In a general-purpose register (i32 in the low 32 bits, upper bits undefined). */
  record InGpr(Gpr register) implements ValueLocation {
    public InGpr {
      Objects.requireNonNull(register, "register");
    }
  }

  /** In an SSE register (f32/f64 in the low lanes, upper bits undefined; v128 all of it). */
  record InXmm(Xmm register) implements ValueLocation {
    public InXmm {
      Objects.requireNonNull(register, "register");
    }
  }

  /**
   * A stack argument: {@code offset} bytes above the caller's SP at the call instruction, which is
   * {@code rbp + 16 + offset} in the callee once its prologue has run.
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
