package dev.kiln.codegen.aarch64.asm;

import java.util.Optional;

/**
 * The offset of LDR/STR (immediate, unsigned offset) (Arm ARM C6.2 "LDR (immediate)"): a byte
 * offset that is a multiple of the access size, with offset / size in 0..4095 (imm12, bits 21:10).
 *
 * @param bytes the byte offset
 * @param size the access size it is scaled by: 1, 2, 4, 8 or 16
 */
public record ScaledOffset(int bytes, int size) implements Operand {
  public ScaledOffset {
    if (size != 1 && size != 2 && size != 4 && size != 8 && size != 16) {
      throw new IllegalArgumentException("access size must be 1, 2, 4, 8 or 16: " + size);
    }
    if (bytes < 0 || bytes % size != 0 || bytes / size > 0xFFF) {
      throw new IllegalArgumentException("offset " + bytes + " is not a scaled imm12 for size "
          + size);
    }
  }

  public static Optional<ScaledOffset> of(long bytes, int size) {
    if (bytes < 0 || bytes % size != 0 || bytes / size > 0xFFF) {
      return Optional.empty();
    }
    return Optional.of(new ScaledOffset((int) bytes, size));
  }

  public int imm12() {
    return bytes / size;
  }
}
