package dev.kiln.codegen.aarch64.asm;

import java.util.Locale;

/**
 * A vector arrangement (Arm ARM C1.2.6 "SIMD vector register names"): how many lanes of which size
 * an Advanced SIMD instruction reads in a V register, printed after the register ({@code v0.4s}).
 * In the encoding, {@code Q} (bit 30) selects 64 or 128 bits and {@code size} (bits 23:22) the
 * lane size, for the instruction classes whose arrangement is encoded that way ({@link
 * Form.ArrBits}).
 */
public enum VArr implements Operand {
  B8(0, 0, 8), B16(1, 0, 16), H4(0, 1, 4), H8(1, 1, 8), S2(0, 2, 2), S4(1, 2, 4), D1(0, 3, 1), D2(1, 3, 2);

  private final int q;
  private final int size;
  private final int lanes;

  VArr(int q, int size, int lanes) {
    this.q = q;
    this.size = size;
    this.lanes = lanes;
  }

  /** 1 for a 128-bit arrangement, 0 for a 64-bit one. */
  public int q() {
    return q;
  }

  /** log2 of the lane size in bytes: 0 for B, 1 for H, 2 for S, 3 for D. */
  public int size() {
    return size;
  }

  public int lanes() {
    return lanes;
  }

  /** The text after the register: {@code 4s}. */
  public String text() {
    return lanes + elementText();
  }

  /** The lane size's letter: {@code b}, {@code h}, {@code s} or {@code d}. */
  public String elementText() {
    return "bhsd".substring(size, size + 1);
  }

  /** The 128-bit arrangement with lanes twice as wide: the result of a long (widening) operation. */
  public VArr longer() {
    return switch (size) {
      case 0 -> H8;
      case 1 -> S4;
      case 2 -> D2;
      default -> throw new IllegalArgumentException(this + " has no longer arrangement");
    };
  }

  /** The 64-bit arrangement of this one's lane size: the low half, which narrowing writes. */
  public VArr half() {
    return switch (size) {
      case 0 -> B8;
      case 1 -> H4;
      case 2 -> S2;
      default -> D1;
    };
  }

  /** The 128-bit arrangement of {@code laneBits}-bit lanes. */
  public static VArr full(int laneBits) {
    return switch (laneBits) {
      case 8 -> B16;
      case 16 -> H8;
      case 32 -> S4;
      case 64 -> D2;
      default -> throw new IllegalArgumentException("no lanes of " + laneBits + " bits");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
