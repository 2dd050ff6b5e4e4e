package dev.kiln.codegen.aarch64.asm;

/**
 * A small unsigned immediate whose range the form checks: shift amounts, the CCMP imm5 and nzcv
 * fields, the BRK comment.
 */
public record UImm(int value) implements Operand {
  public UImm {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException("immediate out of range 0..65535: " + value);
    }
  }

  public static UImm of(int value) {
    return new UImm(value);
  }
}
