package dev.kiln.codegen.abi;

import java.util.Objects;

/**
 * Where the calling convention puts one parameter or result, in an ISA's own registers.
 *
 * @param <G> the ISA's general-purpose register type
 * @param <F> the ISA's float and vector register type
 */
public sealed interface ValueLocation<G, F> {

  /** In a general-purpose register (an i32 in the low 32 bits, the upper bits undefined). */
  record InGpr<G, F>(G register) implements ValueLocation<G, F> {
    public InGpr {
      Objects.requireNonNull(register, "register");
    }
  }

  /**
   * In a float/vector register: an f32 or f64 in the low lanes, the rest undefined; a v128 all of
   * it.
   */
  record InFpr<G, F>(F register) implements ValueLocation<G, F> {
    public InFpr {
      Objects.requireNonNull(register, "register");
    }
  }

  /**
   * A stack argument {@code offset} bytes above the caller's SP at the call instruction, which is
   * 16 + offset above the callee's frame pointer once its prologue has run (the return address and
   * the saved frame pointer lie between).
   */
  record OnStack<G, F>(int offset) implements ValueLocation<G, F> {
    public OnStack {
      if (offset < 0) {
        throw new IllegalArgumentException("negative stack offset " + offset);
      }
    }
  }

  /** A result the callee stores at {@code offset} in the caller's return area. */
  record InReturnArea<G, F>(int offset) implements ValueLocation<G, F> {
    public InReturnArea {
      if (offset < 0) {
        throw new IllegalArgumentException("negative return-area offset " + offset);
      }
    }
  }
}
