package dev.kiln.codegen.x64.asm;

import dev.kiln.codegen.Label;
import java.util.Objects;

/**
 * A memory operand (SDM Vol. 2A section 2.1.5, "Addressing-Mode Encoding of ModR/M and SIB Bytes").
 * Which ModRM/SIB bytes and which displacement width a mode needs is the encoder's decision: rsp and r12
 * as a base need a SIB byte, rbp and r13 as a base need a displacement even when it is 0, and a
 * displacement in [-128, 127] takes one byte instead of four.
 */
public sealed interface Amode extends Operand {

  /** {@code disp(base)}. */
  record BaseDisp(Gpr base, int disp) implements Amode {
    public BaseDisp {
      Objects.requireNonNull(base, "base");
    }
  }

  /**
   * {@code disp(base, index, scale)}. rsp cannot be an index: SIB index 100 without REX.X means "no
   * index" (table 2-3); r12 (100 with REX.X) can.
   */
  record BaseIndexScaleDisp(Gpr base, Gpr index, int scale, int disp) implements Amode {
    public BaseIndexScaleDisp {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(index, "index");
      if (index == Gpr.RSP) {
        throw new IllegalArgumentException("%rsp cannot be an index register");
      }
      if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
        throw new IllegalArgumentException("scale must be 1, 2, 4 or 8: " + scale);
      }
    }

    /** The SIB ss field: log2 of the scale. */
    public int scaleBits() {
      return Integer.numberOfTrailingZeros(scale);
    }
  }

  /**
   * {@code label(%rip)}: RIP-relative, ModRM mod=00 r/m=101 with a disp32 counted from the end of the
   * instruction (SDM Vol. 2A section 2.2.1.6).
   */
  record RipRelative(Label label) implements Amode {
    public RipRelative {
      Objects.requireNonNull(label, "label");
    }
  }

  static Amode base(Gpr base) {
    return new BaseDisp(base, 0);
  }

  static Amode baseDisp(Gpr base, int disp) {
    return new BaseDisp(base, disp);
  }

  static Amode baseIndex(Gpr base, Gpr index, int scale, int disp) {
    return new BaseIndexScaleDisp(base, index, scale, disp);
  }

  static Amode rip(Label label) {
    return new RipRelative(label);
  }
}
