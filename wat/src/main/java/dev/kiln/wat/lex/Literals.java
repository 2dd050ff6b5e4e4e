package dev.kiln.wat.lex;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The values of number tokens (spec 6.3.1, 6.3.2): integers in decimal or hexadecimal with
 * {@code _} between digits, floats in decimal or hexadecimal notation, {@code inf}, {@code nan}
 * and {@code nan:0x...} with a payload. Each method returns null (or a negative count) when the text
 * is not a literal of the kind asked for, so the caller can say what it expected.
 */
public final class Literals {
  private Literals() {}

  private static final String DEC = "[0-9](?:_?[0-9])*";
  private static final String HEX = "[0-9a-fA-F](?:_?[0-9a-fA-F])*";
  private static final Pattern DEC_FLOAT =
      Pattern.compile(DEC + "(?:\\." + "(?:" + DEC + ")?)?(?:[eE][+-]?" + DEC + ")?");
  private static final Pattern HEX_FLOAT =
      Pattern.compile("0x" + HEX + "(?:\\." + "(?:" + HEX + ")?)?(?:[pP][+-]?" + DEC + ")?");
  private static final Pattern DEC_NAT = Pattern.compile(DEC);
  private static final Pattern HEX_NAT = Pattern.compile("0x" + HEX);
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  /**
   * An unsigned integer ({@code nat}), or -1 when {@code text} is not one or exceeds {@link
   * Long#MAX_VALUE}. With {@code bareHex} the text is hexadecimal digits without {@code 0x}.
   */
  public static long parseNat(String text, boolean bareHex) {
    BigInteger value = bareHex ? natBig("0x" + text) : natBig(text);
    return value == null || value.bitLength() > 63 ? -1 : value.longValue();
  }

  /** An unsigned integer of any size, or null. */
  public static BigInteger natBig(String text) {
    if (HEX_NAT.matcher(text).matches()) {
      return new BigInteger(text.substring(2).replace("_", ""), 16);
    }
    if (DEC_NAT.matcher(text).matches()) {
      return new BigInteger(text.replace("_", ""));
    }
    return null;
  }

  /** A u32 (index, count, alignment), or -1. */
  public static long u32(String text) {
    BigInteger v = natBig(text);
    return v == null || v.bitLength() > 32 ? -1 : v.longValue();
  }

  /** A u64 as its bit pattern, or null. */
  public static Long u64(String text) {
    BigInteger v = natBig(text);
    return v == null || v.bitLength() > 64 ? null : v.longValue();
  }

  /**
   * An integer of {@code bits} (32 or 64) bits, signed or unsigned as written (spec 6.3.1: iN
   * accepts -2^(N-1) .. 2^N-1), as its two's-complement bit pattern; null when out of range.
   */
  public static Long integer(String text, int bits) {
    boolean negative = text.startsWith("-");
    String digits = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    BigInteger v = natBig(digits);
    if (v == null) {
      return null;
    }
    BigInteger limit = negative ? BigInteger.ONE.shiftLeft(bits - 1) : BigInteger.ONE.shiftLeft(bits);
    if (negative ? v.compareTo(limit) > 0 : v.compareTo(limit) >= 0) {
      return null;
    }
    return (negative ? v.negate() : v).mod(TWO_64).longValue();
  }

  /** The bits of a binary32 literal, or null when {@code text} is not one or rounds to infinity. */
  public static Integer f32(String text) {
    Long bits = parseFloat(text, 23, 8);
    return bits == null ? null : (int) (long) bits;
  }

  /** The bits of a binary64 literal, or null. */
  public static Long f64(String text) {
    return parseFloat(text, 52, 11);
  }

  private static Long parseFloat(String text, int fractionBits, int exponentBits) {
    boolean negative = text.startsWith("-");
    String body = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    long sign = negative ? 1L << (fractionBits + exponentBits) : 0;
    long exponentMask = ((1L << exponentBits) - 1) << fractionBits;
    if (body.equals("inf")) {
      return sign | exponentMask;
    }
    if (body.equals("nan")) {
      // The canonical NaN: only the most significant fraction bit set (spec 6.3.2).
      return sign | exponentMask | 1L << (fractionBits - 1);
    }
    if (body.startsWith("nan:0x")) {
      BigInteger payload = natBig(body.substring(4));
      if (payload == null || payload.signum() == 0 || payload.bitLength() > fractionBits) {
        return null;
      }
      return sign | exponentMask | payload.longValue();
    }
    String javaText;
    if (HEX_FLOAT.matcher(body).matches()) {
      String plain = body.replace("_", "");
      javaText = plain.indexOf('p') < 0 && plain.indexOf('P') < 0 ? plain + "p0" : plain;
    } else if (DEC_FLOAT.matcher(body).matches()) {
      javaText = body.replace("_", "");
    } else {
      return null;
    }
    javaText = (negative ? "-" : "") + javaText;
    // Java's conversions round to nearest, ties to even, as spec 6.3.2 asks; a finite literal
    // that rounds to infinity is out of range.
    if (fractionBits == 23) {
      float f = Float.parseFloat(javaText);
      return Float.isInfinite(f) ? null : (long) Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
    }
    double d = Double.parseDouble(javaText);
    return Double.isInfinite(d) ? null : Double.doubleToRawLongBits(d);
  }
}
