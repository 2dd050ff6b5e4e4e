package dev.kiln.codegen.aarch64.asm;

import java.util.Optional;

/**
 * The bitmask immediate of AND/ORR/EOR/ANDS (immediate) (Arm ARM C6.2 "AND (immediate)", decoded by
 * the pseudocode function DecodeBitMasks, Arm ARM J1): an element of 2, 4, 8, 16, 32 or 64 bits
 * holding a rotated run of ones, replicated over the register. Encoded as N:immr:imms.
 *
 * @param value the value as the instruction sees it (the low 32 bits for a W operation)
 * @param wide a 64-bit (X) operation
 * @param n bit 22
 * @param immr rotation, bits 21:16
 * @param imms element size and run length, bits 15:10
 */
public record LogicalImm(long value, boolean wide, int n, int immr, int imms) implements Operand {
  public LogicalImm {
    if (n < 0 || n > 1 || immr < 0 || immr > 63 || imms < 0 || imms > 63 || (!wide && n != 0)) {
      throw new IllegalArgumentException("bad N:immr:imms " + n + ":" + immr + ":" + imms);
    }
  }

  /** The encoding of {@code value} for a W ({@code wide} false) or X operation, if it has one. */
  public static Optional<LogicalImm> of(long value, boolean wide) {
    long v = wide ? value : (value & 0xFFFF_FFFFL) | (value << 32);
    if (v == 0 || v == -1L) {
      return Optional.empty(); // all-zeros and all-ones are not encodable
    }
    int size = 64;
    while (size > 2) {
      int half = size / 2;
      long mask = (1L << half) - 1;
      if ((v & mask) != ((v >>> half) & mask)) {
        break;
      }
      size = half;
    }
    long sizeMask = size == 64 ? -1L : (1L << size) - 1;
    long element = v & sizeMask;
    int ones = Long.bitCount(element);
    long run = ones == 64 ? -1L : (1L << ones) - 1;
    for (int r = 0; r < size; r++) {
      // element == ROR(run, r) within the element, i.e. rotating the element left by r gives run.
      long rotated = size == 64 ? Long.rotateLeft(element, r)
          : ((element << r) | (element >>> (size - r))) & sizeMask;
      if (rotated == run) {
        int imms = ((~(size - 1) << 1) & 0x3F) | (ones - 1);
        long shown = wide ? value : value & 0xFFFF_FFFFL;
        return Optional.of(new LogicalImm(shown, wide, size == 64 ? 1 : 0, r, imms));
      }
    }
    return Optional.empty();
  }

  public static LogicalImm require(long value, boolean wide) {
    return of(value, wide).orElseThrow(() -> new IllegalArgumentException(
        Long.toHexString(value) + " is not a bitmask immediate"));
  }
}
