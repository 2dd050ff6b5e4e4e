package dev.kiln.compiler.testsupport;

import java.util.function.IntFunction;

/**
 * Valid modules whose last function keeps {@code n} i64 values (products of the parameter) live
 * across {@code n} places that branch to a block where they are dead, laid out among the blocks
 * where they are live: each value's liveness is exact runs of blocks, cut at each such block, so n
 * values x n places unless the allocator keeps less. The function's result is the values' xor, or
 * a constant of the place that left early; the size {@code n} grows the module linearly.
 *
 * <p>Written as text and read with Kiln's own text reader, as {@link HandlerAndGcShapes} are.
 */
public enum DeadBlockShapes implements TextShape {
  /** {@code n} times {@code if (p == i) return -i}, each {@code then} block a return. */
  EARLY_RETURNS(n -> valuesAcross(n, "", i -> "(if (i64.eq (local.get $p) (i64.const " + i
      + ")) (then (return (i64.const " + -i + "))))", "", "")),
  /** {@code n} times {@code br_if} out of a block when {@code p == i}, to a {@code -1} after it. */
  BR_IFS_TO_AN_EXIT(n -> valuesAcross(n, "(block $exit", i -> "(br_if $exit (i64.eq (local.get $p) (i64.const "
      + i + ")))", "", "(return)) (i64.const -1)")),
  /**
   * {@code n} calls in one {@code try_table} whose handler leaves for a {@code -1} after it without
   * reading the values: each call's unwind edge is split by a block where they are dead.
   */
  TRY_CALLS_UNREAD_BY_THE_HANDLER(n -> valuesAcross(n, "(block $caught (try_table (catch_all $caught)",
      i -> "(call $f)", ")", "(return)) (i64.const -1)"));

  private final IntFunction<String> text;

  DeadBlockShapes(IntFunction<String> text) {
    this.text = text;
  }

  @Override
  public String textAt(int n) {
    return text.apply(n);
  }

  /**
   * {@code $f} (empty) and {@code _start(p)}: n locals set to {@code p * (i + 3)}, {@code open},
   * {@code place(i)} for each i, {@code afterPlaces}, their xor, then {@code close}.
   */
  static String valuesAcross(int n, String open, IntFunction<String> place, String afterPlaces,
      String close) {
    StringBuilder s = new StringBuilder("(module (tag $e) (func $f) (func (export \"_start\") (param $p i64)"
        + " (result i64)");
    for (int i = 0; i < n; i++) {
      s.append("(local $v").append(i).append(" i64)");
    }
    for (int i = 0; i < n; i++) {
      s.append("(local.set $v").append(i).append(" (i64.mul (local.get $p) (i64.const ").append(i + 3)
          .append(")))");
    }
    s.append(open);
    for (int i = 0; i < n; i++) {
      s.append(place.apply(i));
    }
    s.append(afterPlaces).append("(i64.const 0)");
    for (int i = 0; i < n; i++) {
      s.append("(i64.xor (local.get $v").append(i).append("))");
    }
    return s.append(close).append("))").toString();
  }
}
