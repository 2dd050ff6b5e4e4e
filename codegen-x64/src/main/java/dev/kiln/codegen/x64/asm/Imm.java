package dev.kiln.codegen.x64.asm;

/**
 * An immediate operand. The value is what the instruction computes with: a sign-extended imm8 of -1 is
 * {@code Imm(-1)}; a 32-bit immediate of a DWORD form may be given as {@code -1} or {@code 0xffffffffL}
 * (same bits). The form's {@link OperandKind} decides the accepted range and the encoded width.
 */
public record Imm(long value) implements Operand {
  /**
   * The immediates of -128 to 1023, made once: shift counts, small constants and sign-extended imm8s
   * are most of those a compile emits (a new one each was 0.6% of a large compile's allocation).
   */
  private static final Imm[] SMALL = new Imm[1024 + 128];

  static {
    for (int i = 0; i < SMALL.length; i++) {
      SMALL[i] = new Imm(i - 128);
    }
  }

  public static Imm of(long value) {
    return value >= -128 && value < 1024 ? SMALL[(int) value + 128] : new Imm(value);
  }

  @Override
  public String toString() {
    return "$" + value;
  }
}
