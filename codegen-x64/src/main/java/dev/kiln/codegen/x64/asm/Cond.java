package dev.kiln.codegen.x64.asm;

import dev.kiln.codegen.lower.Flags;

/**
 * Condition codes, the low four bits of Jcc ({@code 70+cc}, {@code 0F 80+cc}), SETcc ({@code 0F 90+cc})
 * and CMOVcc ({@code 0F 40+cc}) (SDM Vol. 2A appendix B.1.4.7, table B-10). Names are the AT&amp;T
 * suffixes Capstone prints ({@code jae}, not {@code jnb}).
 */
public enum Cond implements Operand, Flags.Code<Cond> {
  O("o"), NO("no"), B("b"), AE("ae"), E("e"), NE("ne"), BE("be"), A("a"),
  S("s"), NS("ns"), P("p"), NP("np"), L("l"), GE("ge"), LE("le"), G("g");

  /** By ordinal, once: {@code values()} copies the array at every call (each inverted condition). */
  private static final Cond[] BY_ORDINAL = values();

  private final String suffix;

  Cond(String suffix) {
    this.suffix = suffix;
  }

  /** The 4-bit tttn code added to the opcode. */
  public int code() {
    return ordinal();
  }

  /** The mnemonic suffix, e.g. {@code ae} in {@code jae}. */
  public String suffix() {
    return suffix;
  }

  /** The opposite condition: flipping bit 0 of tttn negates it. */
  @Override
  public Cond invert() {
    return BY_ORDINAL[ordinal() ^ 1];
  }
}
