package dev.kiln.ir.text;

/**
 * Exact text for float constants: hexadecimal significand and binary exponent for finite values
 * ({@code 0x1.8p1}, the form Java's {@code Float.toHexString} writes and {@code parseFloat} reads,
 * so every bit survives), {@code +inf}/{@code -inf}, and {@code +nan:0x...}/{@code -nan:0x...}
 * with the significand bits for NaNs (the WebAssembly text format's spelling, spec 6.3.2), because
 * a NaN's payload is observable through {@code reinterpret}.
 */
public final class FloatText {
  private FloatText() {}

  public static String f32(int bits) {
    float f = Float.intBitsToFloat(bits);
    String sign = bits < 0 ? "-" : "+";
    if (Float.isNaN(f)) {
      return sign + "nan:0x" + Integer.toHexString(bits & 0x7F_FFFF);
    }
    if (Float.isInfinite(f)) {
      return sign + "inf";
    }
    return Float.toHexString(f);
  }

  public static String f64(long bits) {
    double d = Double.longBitsToDouble(bits);
    String sign = bits < 0 ? "-" : "+";
    if (Double.isNaN(d)) {
      return sign + "nan:0x" + Long.toHexString(bits & 0xF_FFFF_FFFF_FFFFL);
    }
    if (Double.isInfinite(d)) {
      return sign + "inf";
    }
    return Double.toHexString(d);
  }

  /** Bits of the f32 spelled {@code text}; throws NumberFormatException when malformed. */
  public static int parseF32(String text) {
    boolean negative = text.startsWith("-");
    String body = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    int sign = negative ? 0x8000_0000 : 0;
    if (body.equals("inf")) {
      return sign | 0x7F80_0000;
    }
    if (body.startsWith("nan:0x")) {
      int payload = Integer.parseUnsignedInt(body.substring(6), 16);
      if (payload == 0 || (payload & ~0x7F_FFFF) != 0) {
        throw new NumberFormatException("NaN payload out of range: " + text);
      }
      return sign | 0x7F80_0000 | payload;
    }
    requireHexFloat(text, body);
    return Float.floatToRawIntBits(Float.parseFloat(text));
  }

  /** Bits of the f64 spelled {@code text}; throws NumberFormatException when malformed. */
  public static long parseF64(String text) {
    boolean negative = text.startsWith("-");
    String body = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    long sign = negative ? Long.MIN_VALUE : 0;
    if (body.equals("inf")) {
      return sign | 0x7FF0_0000_0000_0000L;
    }
    if (body.startsWith("nan:0x")) {
      long payload = Long.parseUnsignedLong(body.substring(6), 16);
      if (payload == 0 || (payload & ~0xF_FFFF_FFFF_FFFFL) != 0) {
        throw new NumberFormatException("NaN payload out of range: " + text);
      }
      return sign | 0x7FF0_0000_0000_0000L | payload;
    }
    requireHexFloat(text, body);
    return Double.doubleToRawLongBits(Double.parseDouble(text));
  }

  // Java also accepts decimal, "Infinity" and suffixes like "f"; the IR text accepts one spelling.
  private static void requireHexFloat(String text, String body) {
    if (!body.matches("0x[0-9a-fA-F]+(\\.[0-9a-fA-F]*)?p[-+]?[0-9]+")) {
      throw new NumberFormatException("expected a hex float like 0x1.8p1, got '" + text + "'");
    }
  }
}
