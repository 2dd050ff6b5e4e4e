package dev.kiln.codegen.aarch64.asm;

import dev.kiln.codegen.lower.Flags;
import java.util.Locale;

/**
 * Condition codes (Arm ARM C1.2.4, table "Condition codes"), with the names Capstone prints
 * ({@code hs}/{@code lo} for carry set/clear). Encoding = ordinal.
 */
public enum Cond implements Operand, Flags.Code<Cond> {
  EQ, NE, HS, LO, MI, PL, VS, VC, HI, LS, GE, LT, GT, LE, AL, NV;

  /** By ordinal, once: {@code values()} copies the array at every call (each inverted condition). */
  private static final Cond[] BY_ORDINAL = values();

  public int enc() {
    return ordinal();
  }

  /** The opposite condition: flipping bit 0 of the encoding (not defined for AL/NV). */
  @Override
  public Cond invert() {
    if (this == AL || this == NV) {
      throw new IllegalArgumentException(this + " has no inverse");
    }
    return BY_ORDINAL[ordinal() ^ 1];
  }

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
