package dev.kiln.codegen.x64.asm;

/**
 * An immediate operand. The value is what the instruction computes with: a sign-extended imm8 of -1 is
 * {@code Imm(-1)}; a 32-bit immediate of a DWORD form may be given as {@code -1} or {@code 0xffffffffL}
 * (same bits). The form's {@link OperandKind} decides the accepted range and the encoded width.
 */
public record Imm(long value) implements Operand {
  public static Imm of(long value) {
    return new Imm(value);
  }

  @Override
  public String toString() {
    return "$" + value;
  }
}
