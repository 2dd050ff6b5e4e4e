package dev.kiln.codegen.aarch64.asm;

/**
 * The immediate of MOVZ/MOVN/MOVK (Arm ARM C6.2 "MOVZ"): 16 bits placed at bit {@code shift} (0, 16,
 * and for X also 32 or 48; the {@code hw} field, bits 22:21, is shift / 16).
 */
public record MoveWideImm(int imm16, int shift) implements Operand {
  public MoveWideImm {
    if (imm16 < 0 || imm16 > 0xFFFF) {
      throw new IllegalArgumentException("imm16 out of range: " + imm16);
    }
    if (shift != 0 && shift != 16 && shift != 32 && shift != 48) {
      throw new IllegalArgumentException("move-wide shift must be 0, 16, 32 or 48: " + shift);
    }
  }

  public static MoveWideImm of(int imm16, int shift) {
    return new MoveWideImm(imm16, shift);
  }
}
