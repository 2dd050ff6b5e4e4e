package dev.kiln.ir.interp;

import dev.kiln.ir.FloatCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;

/**
 * The interpreter's float operators with wasm semantics (WebAssembly spec 4.3.3 "Floating-Point
 * Operations" and 4.3.4 "Conversions"). Values travel as raw bits in a long: f32 in the low 32 bits
 * (zero-extended), f64 in all 64, i32 sign-extended. Each operation computes in Java's IEEE 754
 * arithmetic, which is correctly rounded to nearest-even like wasm; the places where Java and wasm
 * differ (truncation toward zero, {@code nearest}'s ties, NaN-producing conversions) are spelled out.
 *
 * <p>NaN results are whatever the arithmetic yields: wasm lets a NaN result be any NaN (canonical or
 * arithmetic as 4.3.3 "NaN propagation" says), so tests compare NaNs by class, not by bits.
 */
final class FloatEval {
  private static final long F32_MASK = 0xFFFF_FFFFL;
  private static final double TWO_31 = 2147483648.0;
  private static final double TWO_32 = 4294967296.0;
  private static final double TWO_63 = 9223372036854775808.0;
  private static final double TWO_64 = 18446744073709551616.0;

  private FloatEval() {}

  /** Whether {@link #compute} evaluates {@code op}. */
  static boolean handles(Opcode op) {
    return switch (op) {
      case FADD, FSUB, FMUL, FDIV, FMIN, FMAX, FCOPYSIGN, SQRT, CEIL, FLOOR, TRUNC, NEAREST, FABS,
          FNEG, FCMP, FCVT_TO_SINT, FCVT_TO_UINT, FCVT_TO_SINT_SAT, FCVT_TO_UINT_SAT,
          FCVT_FROM_SINT, FCVT_FROM_UINT, FPROMOTE, FDEMOTE, BITCAST -> true;
      default -> false;
    };
  }

  /**
   * Evaluates {@code op}.
   *
   * @param in type of the first operand
   * @param out the result type
   * @param cc the condition of an fcmp, else null
   */
  static long compute(Opcode op, Type in, Type out, FloatCC cc, long x, long y) {
    return switch (op) {
      case FADD, FSUB, FMUL, FDIV, FMIN, FMAX -> binary(op, in, x, y);
      case FCOPYSIGN -> {
        long sign = in == Type.F32 ? 1L << 31 : Long.MIN_VALUE;
        yield (x & ~sign) | (y & sign);
      }
      case FABS -> in == Type.F32 ? x & 0x7FFF_FFFFL : x & Long.MAX_VALUE;
      case FNEG -> in == Type.F32 ? (x ^ (1L << 31)) & F32_MASK : x ^ Long.MIN_VALUE;
      case SQRT, CEIL, FLOOR, TRUNC, NEAREST -> {
        double d = toDouble(in, x);
        double r = switch (op) {
          case SQRT -> Math.sqrt(d); // for f32 operands, correctly rounded twice (53 >= 2*24+2)
          case CEIL -> Math.ceil(d);
          case FLOOR -> Math.floor(d);
          case TRUNC -> d < 0 ? Math.ceil(d) : Math.floor(d); // keeps -0.5 -> -0
          default -> Math.rint(d); // ties to even, like wasm's nearest
        };
        yield fromDouble(in, r);
      }
      case FCMP -> cc.evaluate(toDouble(in, x), toDouble(in, y)) ? 1 : 0;
      case FCVT_TO_SINT, FCVT_TO_UINT -> trappingTrunc(op == Opcode.FCVT_TO_SINT, out,
          toDouble(in, x));
      case FCVT_TO_SINT_SAT, FCVT_TO_UINT_SAT -> saturatingTrunc(op == Opcode.FCVT_TO_SINT_SAT,
          out, toDouble(in, x));
      case FCVT_FROM_SINT -> in == Type.I32 ? fromInt(out, (int) x) : fromLong(out, x);
      case FCVT_FROM_UINT -> in == Type.I32 ? fromLong(out, x & F32_MASK) : fromUnsignedLong(out, x);
      case FPROMOTE -> Double.doubleToRawLongBits(Float.intBitsToFloat((int) x));
      case FDEMOTE -> Integer.toUnsignedLong(Float.floatToRawIntBits((float) Double.longBitsToDouble(x)));
      case BITCAST -> switch (out) {
        case I32 -> (int) x;
        case F32 -> x & F32_MASK;
        default -> x;
      };
      default -> throw new IllegalArgumentException("not a float operator: " + op.text());
    };
  }

  private static long binary(Opcode op, Type t, long x, long y) {
    if (t == Type.F32) {
      float a = Float.intBitsToFloat((int) x);
      float b = Float.intBitsToFloat((int) y);
      float r = switch (op) {
        case FADD -> a + b;
        case FSUB -> a - b;
        case FMUL -> a * b;
        case FDIV -> a / b;
        case FMIN -> Math.min(a, b); // NaN if either is, -0 below +0: wasm's fmin
        default -> Math.max(a, b);
      };
      return Integer.toUnsignedLong(Float.floatToRawIntBits(r));
    }
    double a = Double.longBitsToDouble(x);
    double b = Double.longBitsToDouble(y);
    double r = switch (op) {
      case FADD -> a + b;
      case FSUB -> a - b;
      case FMUL -> a * b;
      case FDIV -> a / b;
      case FMIN -> Math.min(a, b);
      default -> Math.max(a, b);
    };
    return Double.doubleToRawLongBits(r);
  }

  private static double toDouble(Type t, long bits) {
    return t == Type.F32 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
  }

  /** A result of an f32 operation computed exactly in double is rounded once here. */
  private static long fromDouble(Type t, double d) {
    return t == Type.F32 ? Integer.toUnsignedLong(Float.floatToRawIntBits((float) d))
        : Double.doubleToRawLongBits(d);
  }

  private static long fromInt(Type out, int v) {
    return out == Type.F32 ? Integer.toUnsignedLong(Float.floatToRawIntBits((float) v))
        : Double.doubleToRawLongBits(v);
  }

  /** Java's long-to-float/double conversions round to nearest-even (JLS 5.1.2), as wasm's do. */
  private static long fromLong(Type out, long v) {
    return out == Type.F32 ? Integer.toUnsignedLong(Float.floatToRawIntBits((float) v))
        : Double.doubleToRawLongBits((double) v);
  }

  /**
   * An unsigned 64-bit value above 2^63 is halved with its lost bit kept as a sticky bit, converted
   * and doubled: the sticky bit keeps the rounding decision exact because 63 bits exceed the target's
   * precision plus two.
   */
  private static long fromUnsignedLong(Type out, long v) {
    if (v >= 0) {
      return fromLong(out, v);
    }
    long half = (v >>> 1) | (v & 1);
    return out == Type.F32
        ? Integer.toUnsignedLong(Float.floatToRawIntBits((float) half * 2f))
        : Double.doubleToRawLongBits((double) half * 2.0);
  }

  /** Spec 4.3.4 trunc_s/trunc_u: NaN traps as an invalid conversion, out of range as overflow. */
  private static long trappingTrunc(boolean signed, Type out, double d) {
    if (Double.isNaN(d)) {
      throw new Interpreter.Trap(TrapCode.BAD_CONVERSION_TO_INTEGER);
    }
    double t = d < 0 ? Math.ceil(d) : Math.floor(d);
    boolean inRange = out == Type.I32
        ? (signed ? t >= -TWO_31 && t < TWO_31 : t > -1 && t < TWO_32)
        : (signed ? t >= -TWO_63 && t < TWO_63 : t > -1 && t < TWO_64);
    if (!inRange) {
      throw new Interpreter.Trap(TrapCode.INTEGER_OVERFLOW);
    }
    return exact(signed, out, t);
  }

  /** Spec 4.3.4 trunc_sat_s/trunc_sat_u: NaN gives 0, out of range the nearest bound. */
  private static long saturatingTrunc(boolean signed, Type out, double d) {
    if (Double.isNaN(d)) {
      return 0;
    }
    double t = d < 0 ? Math.ceil(d) : Math.floor(d);
    if (out == Type.I32) {
      if (signed) {
        return t < -TWO_31 ? Integer.MIN_VALUE : t >= TWO_31 ? Integer.MAX_VALUE : (int) t;
      }
      return t <= -1 || t == 0 ? 0 : t >= TWO_32 ? -1 : (int) (long) t;
    }
    if (signed) {
      return (long) t; // Java's double-to-long conversion saturates (JLS 5.1.3)
    }
    return t <= 0 ? 0 : t >= TWO_64 ? -1 : exact(false, out, t);
  }

  /** An integral, in-range {@code t} as the result's bits (i32 sign-extended). */
  private static long exact(boolean signed, Type out, double t) {
    if (out == Type.I32) {
      return (int) (long) t;
    }
    if (!signed && t >= TWO_63) {
      return (long) (t - TWO_63) + Long.MIN_VALUE;
    }
    return (long) t;
  }
}
