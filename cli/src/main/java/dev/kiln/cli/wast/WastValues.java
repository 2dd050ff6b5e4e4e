package dev.kiln.cli.wast;

import dev.kiln.cli.wast.ScriptCommand.WastValue;
import java.util.Optional;

/**
 * The script's values as raw bits, and the result check. wast2json writes every number as the
 * unsigned decimal of its bit pattern (an f32 as its 32 bits, spec 4.3.3 representation), so a
 * result compares bit for bit; only the NaN patterns {@code nan:canonical} and {@code nan:arithmetic}
 * (spec 4.3.3, "NaN Propagation") stand for a class of bit patterns.
 *
 * <p>References travel as Kiln's raw reference bits (0 = null): the script's {@code (ref.extern
 * n)} is the host handle {@code n + 1}, so {@code (ref.extern 0)} is not null; a funcref result
 * other than null is written by wast2json without the function's identity, so any non-null
 * funcref matches it.
 */
final class WastValues {
  private static final long F32_CANONICAL_NAN = 0x7FC0_0000L;
  private static final long F32_ABS = 0x7FFF_FFFFL;
  private static final long F64_CANONICAL_NAN = 0x7FF8_0000_0000_0000L;
  private static final long F64_ABS = 0x7FFF_FFFF_FFFF_FFFFL;

  private WastValues() {}

  /** The value types a {@code long} argument and result slot can carry; others are skipped. */
  static boolean isScalar(String type) {
    return switch (type) {
      case "i32", "i64", "f32", "f64", "funcref", "externref" -> true;
      default -> false;
    };
  }

  /** Whether {@code type} is 32 bits wide (its bits live in the low half of a slot). */
  static boolean isNarrow(String type) {
    return type.equals("i32") || type.equals("f32");
  }

  /** An argument's bits: the decimal of its bit pattern, masked to its width. */
  static long argumentBits(WastValue value) {
    if (isReference(value.type())) {
      return referenceBits(value);
    }
    long bits = Long.parseUnsignedLong(value.value().getFirst());
    return isNarrow(value.type()) ? bits & 0xFFFF_FFFFL : bits;
  }

  static boolean isReference(String type) {
    return type.equals("funcref") || type.equals("externref");
  }

  /** A reference argument: null is 0, {@code (ref.extern n)} the handle {@code n + 1}. */
  private static long referenceBits(WastValue value) {
    String text = value.value().getFirst();
    if (text.equals("null")) {
      return 0;
    }
    if (value.type().equals("externref")) {
      return Long.parseUnsignedLong(text) + 1;
    }
    throw new IllegalArgumentException("a non-null funcref argument cannot be written in a script: " + text);
  }

  /**
   * Checks one result.
   *
   * @param bits the result as returned (a 32-bit type in the low bits, the rest zero)
   * @return empty when it matches, else what was expected, in words
   */
  static Optional<String> mismatch(WastValue expected, long bits) {
    String text = expected.value().getFirst();
    if (isReference(expected.type())) {
      boolean nonNullFunc = expected.type().equals("funcref") && !text.equals("null");
      boolean ok = nonNullFunc ? bits != 0 : referenceBits(expected) == bits;
      return ok ? Optional.empty() : Optional.of(describe(expected.type(), text));
    }
    boolean matches = switch (text) {
      case "nan:canonical" -> expected.type().equals("f32")
          ? (bits & F32_ABS) == F32_CANONICAL_NAN
          : (bits & F64_ABS) == F64_CANONICAL_NAN;
      // An arithmetic NaN has the quiet bit set, any payload and any sign.
      case "nan:arithmetic" -> expected.type().equals("f32")
          ? (bits & F32_CANONICAL_NAN) == F32_CANONICAL_NAN
          : (bits & F64_CANONICAL_NAN) == F64_CANONICAL_NAN;
      default -> argumentBits(expected) == (isNarrow(expected.type()) ? bits & 0xFFFF_FFFFL : bits);
    };
    return matches ? Optional.empty() : Optional.of(describe(expected.type(), text));
  }

  /** {@code i32:4294967295 (0xffffffff)}, the form reports show expected and actual values in. */
  static String describe(String type, String text) {
    if (text.startsWith("nan:") || isReference(type)) {
      return type + ":" + text;
    }
    return describeBits(type, Long.parseUnsignedLong(text));
  }

  static String describeBits(String type, long bits) {
    return type + ":" + Long.toUnsignedString(bits) + " (0x" + Long.toHexString(bits) + ")";
  }
}
