package dev.kiln.tests.support;

import dev.kiln.ir.Function;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.runtime.TrapException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs exported one-operator functions over edge values and compares each result with the IR
 * reference interpreter. Types are letters: {@code i} i32, {@code l} i64, {@code f} f32, {@code d}
 * f64; values are raw bits (i32 and f32 zero-extended).
 *
 * <p>Results must match bit for bit, with one freedom the spec gives (4.3.3 "NaN propagation"):
 * when the reference yields a NaN from an operator that is not {@link Op#bitExact()}, the machine's
 * NaN must be canonical if every NaN input was canonical, else arithmetic (quiet bit set). A trap
 * must be the same trap.
 */
public final class OperatorOracle {
  /** Mismatches kept for the message. */
  private static final int MAX_REPORTED = 30;

  /**
   * One exported function.
   *
   * @param name export name
   * @param params parameter type letters (one or two)
   * @param result result type letter
   * @param body the folded wasm text of the body, over {@code local.get 0} and {@code 1}
   * @param bitExact whether a NaN result must match exactly (abs, neg, copysign, reinterpret,
   *     select, integer operators)
   */
  public record Op(String name, String params, char result, String body, boolean bitExact) {}

  /**
   * The outcome of a sweep: how many argument tuples ran and the first mismatches, each as
   * {@code name(args): problem}.
   */
  public record Outcome(int cases, List<String> failures) {}

  /**
   * A test's edge values per type, turned into raw bits by {@link #apply}: an i32 zero-extended,
   * an f32's bits zero-extended, the NaNs (with payloads, quiet and signalling) after the numbers.
   */
  public record EdgeValues(long[] i32, long[] i64, float[] f32, int[] f32NaNs, double[] f64,
      long[] f64NaNs) implements IntFunction<long[]> {
    @Override
    public long[] apply(int type) {
      List<Long> out = new ArrayList<>();
      switch (type) {
        case 'i' -> {
          for (long v : i32) {
            out.add(v & 0xFFFF_FFFFL);
          }
        }
        case 'l' -> {
          for (long v : i64) {
            out.add(v);
          }
        }
        case 'f' -> {
          for (float v : f32) {
            out.add(Integer.toUnsignedLong(Float.floatToRawIntBits(v)));
          }
          for (int n : f32NaNs) {
            out.add(Integer.toUnsignedLong(n));
          }
        }
        case 'd' -> {
          for (double v : f64) {
            out.add(Double.doubleToRawLongBits(v));
          }
          for (long n : f64NaNs) {
            out.add(n);
          }
        }
        default -> throw new IllegalArgumentException("type letter " + (char) type);
      }
      return out.stream().mapToLong(Long::longValue).toArray();
    }
  }

  private OperatorOracle() {}

  /**
   * Every float operator of wasm 1.0 and the saturating truncations: roundings, sqrt, abs/neg,
   * the binary arithmetic, copysign, each compare as a value, as a select's condition and as an
   * if's condition (the fused forms), the conversions to and from both integer widths, promote,
   * demote and the reinterpretations.
   */
  public static List<Op> floatOperators() {
    List<Op> ops = new ArrayList<>();
    for (String t : new String[] {"f32", "f64"}) {
      char f = t.charAt(1) == '3' ? 'f' : 'd';
      for (String u : new String[] {"ceil", "floor", "trunc", "nearest", "sqrt"}) {
        ops.add(new Op(t + "." + u, "" + f, f, t + "." + u + " (local.get 0)", false));
      }
      for (String u : new String[] {"abs", "neg"}) {
        ops.add(new Op(t + "." + u, "" + f, f, t + "." + u + " (local.get 0)", true));
      }
      for (String b : new String[] {"add", "sub", "mul", "div", "min", "max"}) {
        ops.add(new Op(t + "." + b, "" + f + f, f, t + "." + b + " (local.get 0) (local.get 1)",
            false));
      }
      ops.add(new Op(t + ".copysign", "" + f + f, f, t + ".copysign (local.get 0) (local.get 1)",
          true));
      for (String c : new String[] {"eq", "ne", "lt", "gt", "le", "ge"}) {
        ops.add(new Op(t + "." + c, "" + f + f, 'i', t + "." + c + " (local.get 0) (local.get 1)",
            true));
        // The same compare as a select's condition and as a branch condition (fused forms).
        ops.add(new Op(t + ".select_" + c, "" + f + f, f, "select (local.get 0) (local.get 1) ("
            + t + "." + c + " (local.get 0) (local.get 1))", true));
        ops.add(new Op(t + ".if_" + c, "" + f + f, 'i', "if (result i32) (" + t + "." + c
            + " (local.get 0) (local.get 1)) (then (i32.const 7)) (else (i32.const 9))", true));
      }
      for (String i : new String[] {"i32", "i64"}) {
        char r = i.equals("i32") ? 'i' : 'l';
        for (String k : new String[] {"trunc", "trunc_sat"}) {
          for (String s : new String[] {"s", "u"}) {
            String name = i + "." + k + "_" + t + "_" + s;
            ops.add(new Op(name, "" + f, r, name + " (local.get 0)", true));
          }
        }
        for (String s : new String[] {"s", "u"}) {
          String name = t + ".convert_" + i + "_" + s;
          ops.add(new Op(name, "" + r, f, name + " (local.get 0)", true));
        }
      }
    }
    ops.add(new Op("f64.promote_f32", "f", 'd', "f64.promote_f32 (local.get 0)", false));
    ops.add(new Op("f32.demote_f64", "d", 'f', "f32.demote_f64 (local.get 0)", false));
    ops.add(new Op("i32.reinterpret_f32", "f", 'i', "i32.reinterpret_f32 (local.get 0)", true));
    ops.add(new Op("i64.reinterpret_f64", "d", 'l', "i64.reinterpret_f64 (local.get 0)", true));
    ops.add(new Op("f32.reinterpret_i32", "i", 'f', "f32.reinterpret_i32 (local.get 0)", true));
    ops.add(new Op("f64.reinterpret_i64", "l", 'd', "f64.reinterpret_i64 (local.get 0)", true));
    return ops;
  }

  /** The wasm type of a type letter. */
  public static String wasmType(char c) {
    return switch (c) {
      case 'i' -> "i32";
      case 'l' -> "i64";
      case 'f' -> "f32";
      case 'd' -> "f64";
      default -> throw new IllegalArgumentException("type letter " + c);
    };
  }

  /** A module exporting one function per op, in order (function index = op index). */
  public static String moduleText(List<Op> ops) {
    StringBuilder sb = new StringBuilder("(module\n");
    for (Op op : ops) {
      sb.append("  (func (export \"").append(op.name()).append("\")");
      for (char p : op.params().toCharArray()) {
        sb.append(" (param ").append(wasmType(p)).append(")");
      }
      sb.append(" (result ").append(wasmType(op.result())).append(") (")
          .append(op.body()).append("))\n");
    }
    return sb.append(")\n").toString();
  }

  /**
   * Calls every op of {@code instance} with every value (or pair of values) of its parameter types
   * and compares with {@code reference.get(i)}, the translated IR of op {@code i}.
   *
   * @param values the edge values of a type letter, as raw bits
   */
  public static Outcome sweep(List<Op> ops, List<Function> reference, LoadedInstance instance,
      IntFunction<long[]> values) {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      long[] xs = values.apply(op.params().charAt(0));
      long[] ys = op.params().length() == 2 ? values.apply(op.params().charAt(1)) : new long[] {0};
      for (long x : xs) {
        for (long y : ys) {
          long[] args = op.params().length() == 2 ? new long[] {x, y} : new long[] {x};
          cases++;
          String problem = compare(op, reference.get(i), instance, args);
          if (problem != null && failures.size() < MAX_REPORTED) {
            failures.add(op.name() + argsText(args) + ": " + problem);
          }
        }
      }
    }
    return new Outcome(cases, failures);
  }

  private static String argsText(long[] args) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < args.length; i++) {
      sb.append(i == 0 ? "" : ", ").append("0x").append(Long.toHexString(args[i]));
    }
    return sb.append(")").toString();
  }

  /** Null when the machine agrees with the interpreter, else what differs. */
  public static String compare(Op op, Function reference, LoadedInstance instance, long[] args) {
    long[] interpArgs = new long[args.length + 2];
    for (int i = 0; i < args.length; i++) {
      // The interpreter holds an i32 sign-extended, an f32 as its bits zero-extended.
      interpArgs[i + 2] = op.params().charAt(i) == 'i' ? (int) args[i] : args[i];
    }
    String expectedTrap = null;
    long expected = 0;
    try {
      expected = Interpreter.run(reference, 10_000, interpArgs)[0];
    } catch (Interpreter.Trap t) {
      expectedTrap = t.code().name();
    }
    long actual;
    try {
      actual = instance.invoke(op.name(), args).get(0).bits();
    } catch (TrapException t) {
      return t.code().name().equals(expectedTrap) ? null : "trapped " + t.code() + ", expected "
          + (expectedTrap != null ? expectedTrap : "0x" + Long.toHexString(expected));
    }
    if (expectedTrap != null) {
      return "returned 0x" + Long.toHexString(actual) + ", expected trap " + expectedTrap;
    }
    char r = op.result();
    long mask = r == 'i' || r == 'f' ? 0xFFFF_FFFFL : -1L;
    expected &= mask;
    actual &= mask;
    if (!op.bitExact() && isNaN(r, expected)) {
      boolean canonicalInputs = true;
      for (int i = 0; i < args.length; i++) {
        char p = op.params().charAt(i);
        if ((p == 'f' || p == 'd') && isNaN(p, args[i]) && !isCanonical(p, args[i])) {
          canonicalInputs = false;
        }
      }
      if (!isNaN(r, actual)) {
        return "0x" + Long.toHexString(actual) + " is not a NaN";
      }
      boolean ok = canonicalInputs ? isCanonical(r, actual) : isArithmetic(r, actual);
      return ok ? null : "0x" + Long.toHexString(actual) + " is not a"
          + (canonicalInputs ? " canonical" : "n arithmetic") + " NaN (spec 4.3.3)";
    }
    return expected == actual ? null
        : "0x" + Long.toHexString(actual) + ", expected 0x" + Long.toHexString(expected);
  }

  static boolean isNaN(char type, long bits) {
    return type == 'f' ? Float.isNaN(Float.intBitsToFloat((int) bits))
        : type == 'd' && Double.isNaN(Double.longBitsToDouble(bits));
  }

  static boolean isCanonical(char type, long bits) {
    return type == 'f' ? (bits & 0x7FFF_FFFFL) == 0x7FC0_0000L
        : (bits & Long.MAX_VALUE) == 0x7FF8_0000_0000_0000L;
  }

  static boolean isArithmetic(char type, long bits) {
    return type == 'f' ? (bits & 0x0040_0000L) != 0 : (bits & 0x0008_0000_0000_0000L) != 0;
  }
}
