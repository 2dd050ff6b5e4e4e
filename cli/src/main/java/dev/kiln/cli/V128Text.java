package dev.kiln.cli;

import dev.kiln.loader.runtime.WasmValue;
import java.math.BigInteger;

/**
 * The command line's text for a {@code v128} argument (results print as {@link WasmValue.V128}
 * does): {@code 0x} and up to 32 hex digits, one 128-bit number whose low bits are lane 0 (wasm
 * lanes are little-endian, spec 4.3.1), or a shape and its lanes, {@code i32x4:1,-2,3,4}, each lane
 * an integer of the lane's width (signed or unsigned decimal) or, for {@code f32x4} and {@code
 * f64x2}, a float as Java parses it.
 */
final class V128Text {
  private V128Text() {}

  /**
   * @throws IllegalArgumentException with the accepted forms, if {@code text} is neither
   */
  static WasmValue.V128 parse(String text) {
    try {
      if (text.startsWith("0x")) {
        BigInteger v = new BigInteger(text.substring(2), 16);
        if (text.length() < 3 || v.bitLength() > 128) {
          throw new NumberFormatException();
        }
        return new WasmValue.V128(v.longValue(), v.shiftRight(64).longValue());
      }
      int colon = text.indexOf(':');
      if (colon < 0) {
        throw new NumberFormatException();
      }
      return lanes(text.substring(0, colon), text.substring(colon + 1).split(",", -1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a v128: write 0x and up to 32 hex digits, or"
          + " SHAPE:LANE,... with SHAPE i8x16, i16x8, i32x4, i64x2, f32x4 or f64x2 and one value per lane");
    }
  }

  private static WasmValue.V128 lanes(String shape, String[] lanes) {
    int laneBits = switch (shape) {
      case "i8x16" -> 8;
      case "i16x8" -> 16;
      case "i32x4", "f32x4" -> 32;
      case "i64x2", "f64x2" -> 64;
      default -> throw new NumberFormatException();
    };
    if (lanes.length != 128 / laneBits) {
      throw new NumberFormatException();
    }
    long[] halves = new long[2];
    for (int i = 0; i < lanes.length; i++) {
      String lane = lanes[i].strip();
      long bits = switch (shape) {
        case "f32x4" -> Integer.toUnsignedLong(Float.floatToRawIntBits(Float.parseFloat(lane)));
        case "f64x2" -> Double.doubleToRawLongBits(Double.parseDouble(lane));
        default -> integerLane(lane, laneBits);
      };
      int bit = i * laneBits;
      halves[bit / 64] |= bits << (bit % 64);
    }
    return new WasmValue.V128(halves[0], halves[1]);
  }

  /** An integer lane of {@code bits} bits: -2^(bits-1) .. 2^bits - 1, as its bit pattern. */
  private static long integerLane(String text, int bits) {
    BigInteger v = new BigInteger(text);
    BigInteger min = BigInteger.ONE.shiftLeft(bits - 1).negate();
    BigInteger max = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      throw new NumberFormatException();
    }
    long mask = bits == 64 ? -1L : (1L << bits) - 1;
    return v.longValue() & mask;
  }
}
