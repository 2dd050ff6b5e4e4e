package dev.kiln.codegen.aarch64.asm;

/**
 * The offset of LDP/STP of X registers (Arm ARM C6.2 "STP"): a signed multiple of 8 in -512..504,
 * held as imm7 (bits 21:15) = offset / 8.
 */
public record PairOffset(int bytes) implements Operand {
  public PairOffset {
    if (bytes % 8 != 0 || bytes < -512 || bytes > 504) {
      throw new IllegalArgumentException("pair offset must be a multiple of 8 in -512..504: " + bytes);
    }
  }

  public int imm7() {
    return (bytes / 8) & 0x7F;
  }
}
