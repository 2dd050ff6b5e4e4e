package dev.kiln.cli;

import dev.kiln.runtime.AnyRef;
import dev.kiln.runtime.ExnRef;
import dev.kiln.runtime.ExternType;
import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.GlobalType;
import dev.kiln.runtime.MemoryType;
import dev.kiln.runtime.TableType;
import dev.kiln.runtime.TagType;
import dev.kiln.runtime.Val;
import dev.kiln.runtime.ValType;
import java.math.BigInteger;
import java.util.Locale;

/**
 * Values as {@code kiln run} reads them from its command line and prints them: integers in decimal
 * (signed or unsigned), floats as Java parses and prints them, a {@code v128} as {@code 0x} and up
 * to 32 hex digits, one 128-bit number whose low bits are lane 0 (wasm lanes are little-endian, spec
 * 4.3.1; printed as all 32 digits, byte 15 first), or on input a shape and its lanes, {@code
 * i32x4:1,-2,3,4}, each lane an integer of the lane's width (signed or unsigned decimal) or, for
 * {@code f32x4} and {@code f64x2}, a float as Java parses it. A reference prints as {@code null}, a
 * funcref as its handle ({@code funcref #3}), an i31 as its value ({@code i31ref:5}), a struct or
 * array as its store's handle number ({@code structref#1}), any other as its type only: its word
 * may be a host address.
 */
final class ValText {
  private ValText() {}

  /** {@code text} read as a value of {@code type}. */
  static Val parse(ValType type, String text) {
    try {
      return switch (type) {
        case I32 -> Val.i32((int) scalarBits(ValType.I32, text));
        case I64 -> Val.i64(scalarBits(ValType.I64, text));
        case F32 -> Val.f32(Float.parseFloat(text));
        case F64 -> Val.f64(Double.parseDouble(text));
        case V128 -> v128(text);
        case FUNCREF, EXTERNREF, ANYREF, EXNREF -> throw new IllegalArgumentException(
            "cannot pass a " + type.name().toLowerCase(Locale.ROOT) + " from the command line");
      };
    } catch (NumberFormatException e) {
      String name = type.name().toLowerCase(Locale.ROOT);
      throw new IllegalArgumentException("\"" + text + "\" is not " + (name.startsWith("v") ? "a " : "an ") + name);
    }
  }

  /** A result as {@code kiln run} prints it. */
  static String format(Val value) {
    // instanceof, not a pattern switch: a switch spins a class at its first run, which the JDK's AOT
    // cache does not keep, and every kiln run --invoke prints its results (0.35-2.5 ms in a fresh
    // process, docs/history/performance-journal.md, "Host calls before the JIT"). Val is sealed:
    // the last kind is a cast.
    if (value instanceof Val.I32(int v)) {
      return Integer.toString(v);
    }
    if (value instanceof Val.I64(long v)) {
      return Long.toString(v);
    }
    if (value instanceof Val.F32(float v)) {
      return Float.toString(v);
    }
    if (value instanceof Val.F64(double v)) {
      return Double.toString(v);
    }
    if (value instanceof Val.V128(long low, long high)) {
      return String.format("0x%016x%016x", high, low);
    }
    if (value instanceof Val.Ref(ValType type, long handle)) {
      if (handle == 0) {
        return "null";
      }
      // an i31 travels as its word, the value shifted left over a tag bit (spec 3.0 4.2.x i31.get_u)
      if (type == ValType.ANYREF && (handle & 1) == 1) {
        return "i31ref:" + ((handle >>> 1) & 0x7FFF_FFFFL);
      }
      // A funcref's handle is a number of the store's (FunctionHandles); any other reference word a
      // guest returns may be a host address, which the user is not shown.
      return type == ValType.FUNCREF ? "funcref #" + handle : type.name().toLowerCase(Locale.ROOT) + " (not null)";
    }
    if (value instanceof Val.Gc(ValType type, AnyRef object)) {
      // a struct or array as its store's handle number, never its address; as an externref if converted
      return type == ValType.ANYREF ? object.toString() : type.name().toLowerCase(Locale.ROOT) + "(" + object + ")";
    }
    // an exception object: the store's handle, never its address
    Val.Exn _ = (Val.Exn) value;
    return "exnref (not null)";
  }

  /** What an export that is no function is, in the spec's words: {@code memory}, {@code table}... */
  static String kindName(ExternType type) {
    return switch (type) {
      case FuncType _ -> "function";
      case TableType _ -> "table";
      case MemoryType _ -> "memory";
      case GlobalType _ -> "global";
      case TagType _ -> "tag";
    };
  }

  /** An integer of {@code type} in decimal, signed or unsigned, as its bits. */
  private static long scalarBits(ValType type, String text) {
    return switch (type) {
      case I32 -> text.startsWith("-") ? Integer.parseInt(text) & 0xFFFF_FFFFL
          : Integer.toUnsignedLong(Integer.parseUnsignedInt(text));
      case I64 -> text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
      default -> throw new IllegalArgumentException(type + " is not an integer type");
    };
  }

  /**
   * @throws IllegalArgumentException with the accepted forms, if {@code text} is neither
   */
  private static Val v128(String text) {
    try {
      if (text.startsWith("0x")) {
        BigInteger v = new BigInteger(text.substring(2), 16);
        if (text.length() < 3 || v.bitLength() > 128) {
          throw new NumberFormatException();
        }
        return Val.v128(v.longValue(), v.shiftRight(64).longValue());
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

  private static Val lanes(String shape, String[] lanes) {
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
    return Val.v128(halves[0], halves[1]);
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
