package dev.kiln.wat.lex;

import java.math.BigInteger;

/**
 * The values of number tokens (spec 6.3.1, 6.3.2): integers in decimal or hexadecimal with
 * {@code _} between digits, floats in decimal or hexadecimal notation, {@code inf}, {@code nan}
 * and {@code nan:0x...} with a payload. Each method returns null (or a negative count) when the text
 * is not a literal of the kind asked for, so the caller can say what it expected.
 */
public final class Literals {
  private Literals() {}

  /**
   * Stands for every literal too long to mean a value below 2^128: callers only compare magnitudes
   * against 2^64 or less, and parsing a megabyte of digits into a BigInteger would be quadratic.
   */
  private static final BigInteger TOO_LARGE = BigInteger.ONE.shiftLeft(128);
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
    boolean hex = text.startsWith("0x");
    String digits = digits(text, hex ? 2 : 0, text.length(), hex);
    if (digits == null) {
      return null;
    }
    int first = 0;
    while (first < digits.length() - 1 && digits.charAt(first) == '0') {
      first++;
    }
    if (digits.length() - first > (hex ? 32 : 39)) {
      return TOO_LARGE;
    }
    return new BigInteger(digits.substring(first), hex ? 16 : 10);
  }

  /**
   * The digits of {@code text[from, to)} without the underscores between them, or null unless the
   * range is digits separated by single underscores (spec 6.3.1: {@code num ::= d | num _? d}).
   * A plain loop rather than a regular expression: Java's matcher recurses per repetition and
   * would overflow the stack on a long literal.
   */
  private static String digits(String text, int from, int to, boolean hex) {
    StringBuilder out = new StringBuilder(Math.max(0, to - from));
    boolean afterDigit = false;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '_') {
        if (!afterDigit) {
          return null;
        }
        afterDigit = false;
      } else if (c >= '0' && c <= '9' || hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        out.append(c);
        afterDigit = true;
      } else {
        return null;
      }
    }
    return afterDigit ? out.toString() : null;
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

  /**
   * A float literal's magnitude as Java's parser reads it, or null when it is not one (spec 6.3.2:
   * {@code p.q? (e|E ±? e)?} in decimal, {@code 0x p.q? (p|P ±? e)?} in hexadecimal). The exponent
   * keeps at most nine digits: anything larger overflows or underflows the same way.
   */
  private static String javaFloat(String body, int start, boolean hex) {
    int exponentAt = -1;
    for (int i = start; i < body.length(); i++) {
      char c = body.charAt(i);
      if (hex ? c == 'p' || c == 'P' : c == 'e' || c == 'E') {
        exponentAt = i;
        break;
      }
    }
    int mantissaEnd = exponentAt < 0 ? body.length() : exponentAt;
    int point = body.indexOf('.', start);
    if (point > mantissaEnd) {
      point = -1;
    }
    String whole = digits(body, start, point < 0 ? mantissaEnd : point, hex);
    String fraction = point < 0 || point + 1 == mantissaEnd ? "" : digits(body, point + 1, mantissaEnd, hex);
    if (whole == null || fraction == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(hex ? "0x" : "").append(whole);
    if (!fraction.isEmpty()) {
      out.append('.').append(fraction);
    }
    String exponent = "0";
    if (exponentAt >= 0) {
      int e = exponentAt + 1;
      String sign = "";
      if (e < body.length() && (body.charAt(e) == '+' || body.charAt(e) == '-')) {
        sign = body.substring(e, e + 1);
        e++;
      }
      String digits = digits(body, e, body.length(), false);
      if (digits == null) {
        return null;
      }
      int first = 0;
      while (first < digits.length() - 1 && digits.charAt(first) == '0') {
        first++;
      }
      exponent = sign + (digits.length() - first > 9 ? "999999999" : digits.substring(first));
    }
    return out.append(hex ? 'p' : 'e').append(exponent).toString();
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
    String javaText = body.startsWith("0x") ? javaFloat(body, 2, true) : javaFloat(body, 0, false);
    if (javaText == null) {
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
