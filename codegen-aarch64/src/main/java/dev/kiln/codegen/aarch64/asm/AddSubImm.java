package dev.kiln.codegen.aarch64.asm;

import java.util.Optional;

/**
 * The immediate of ADD/SUB/CMP/CMN (immediate) (Arm ARM C6.2 "ADD (immediate)"): an unsigned
 * 12-bit value, optionally shifted left by 12 (the {@code sh} bit 22).
 *
 * @param imm12 0..4095
 * @param shifted whether the value is {@code imm12 << 12}
 */
public record AddSubImm(int imm12, boolean shifted) implements Operand {
  public AddSubImm {
    if (imm12 < 0 || imm12 > 0xFFF) {
      throw new IllegalArgumentException("imm12 out of range 0..4095: " + imm12);
    }
  }

  /** The encoding of {@code value}, if it is imm12 or imm12 << 12. */
  public static Optional<AddSubImm> of(long value) {
    if (value >= 0 && value <= 0xFFF) {
      return Optional.of(new AddSubImm((int) value, false));
    }
    if (value >= 0 && value <= 0xFFF_000L && (value & 0xFFF) == 0) {
      return Optional.of(new AddSubImm((int) (value >>> 12), true));
    }
    return Optional.empty();
  }

  /** Like {@link #of(long)} for a value known to fit. */
  public static AddSubImm require(long value) {
    return of(value).orElseThrow(() -> new IllegalArgumentException(
        value + " is not an add/sub immediate (imm12, optionally lsl #12)"));
  }

  public long value() {
    return shifted ? (long) imm12 << 12 : imm12;
  }
}
