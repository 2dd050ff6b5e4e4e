package dev.kiln.compiler.testsupport;

import java.util.function.IntFunction;

/**
 * Valid modules whose last function keeps {@code n} i64 values (products of the parameter) live
 * across {@code n} places that branch to a block where they are dead, laid out among the blocks
 * where they are live: each value's liveness is exact runs of blocks, cut at each such block, so n
 * values x n places unless the allocator keeps less; or that branch to one join, loop back, or
 * unwind to landing pads laid out at the end, where each value's liveness walk went through every
 * place. The function's result is the values'
 * xor, or a constant of the place that left early; the size {@code n} grows the module linearly.
 *
 * <p>Written as text and read with Kiln's own text reader, as {@link HandlerAndGcShapes} are.
 */
public enum DeadBlockShapes implements TextShape {
  /** {@code n} times {@code if (p == i) return -i}, each {@code then} block a return. */
  EARLY_RETURNS(n -> valuesAcross(n, "", DeadBlockShapes::earlyReturn, "", "")),
  /** {@code n} times {@code br_if} out of a block when {@code p == i}, to a {@code -1} after it. */
  BR_IFS_TO_AN_EXIT(n -> valuesAcross(n, "(block $exit", i -> "(br_if $exit (i64.eq (local.get $p) (i64.const "
      + i + ")))", "", "(return)) (i64.const -1)")),
  /**
   * {@code n} times {@code br_if} out of a block when {@code p == i}, to the xor after it: the block's
   * end is one join of n + 1 edges, each value live into it.
   */
  BR_IFS_TO_A_JOIN(n -> valuesAcross(n, "(block $join", i -> "(br_if $join (i64.eq (local.get $p) (i64.const "
      + i + ")))", ")", "")),
  /** {@code n} loops in a row, each {@code (loop (br_if 0 (p == -1)))}: a latch after each header. */
  LOOPS_IN_A_ROW(n -> valuesAcross(n, "", i -> "(loop (br_if 0 (i64.eq (local.get $p) (i64.const -1))))", "",
      "")),
  /**
   * {@code n} calls of {@code $throw_if_odd} (of p), each in a {@code try_table} of its own whose
   * handler goes on after it: each call's landing pad, laid out out of line, jumps back into the
   * code, a detour around every region the values are live through.
   */
  CALLS_EACH_IN_A_TRY_TABLE(n -> valuesAcross(n, "", i -> "(block (try_table (catch_all 0) " + throwIfOdd() + "))",
      "", "")),
  /**
   * As {@link #CALLS_EACH_IN_A_TRY_TABLE}, two calls in each {@code try_table}: both landing pads jump
   * to one block laid out at the end, which jumps back into the code.
   */
  TWO_CALLS_IN_EACH_TRY_TABLE(n -> valuesAcross(n, "",
      i -> "(block (try_table (catch_all 0) " + throwIfOdd() + throwIfOdd() + "))", "", "")),
  /**
   * As {@link #CALLS_EACH_IN_A_TRY_TABLE}, each catching the tag: the landing pad, at the end, tests
   * the exception's tag and goes on through a block of its own, or rethrows.
   */
  CALLS_EACH_IN_A_TAGGED_CATCH(n -> valuesAcross(n, "", i -> "(block (try_table (catch $e 0) " + throwIfOdd()
      + "))", "", "")),
  /**
   * As {@link #CALLS_EACH_IN_A_TRY_TABLE}, each with two catch clauses to two blocks: the landing pad,
   * at the end, dispatches to two blocks after it, which jump back to two blocks in a row.
   */
  CALLS_EACH_IN_TWO_CATCH_CLAUSES(n -> valuesAcross(n, "",
      i -> "(block $all (block $tagged (try_table (catch $e $tagged) (catch_all $all) " + throwIfOdd() + ")))",
      "", "")),
  /**
   * {@code n} times two calls in a {@code try_table} whose handler, after it, returns 9 when {@code
   * p == i}: the handler's only way in is the landing pads' join, laid out at the end.
   */
  HANDLERS_AFTER_TRY_TABLES_OF_TWO_CALLS(n -> valuesAcross(n, "", i -> handlerAfterTwoCalls("catch_all", i), "",
      "")),
  /**
   * {@link #HANDLERS_AFTER_TRY_TABLES_OF_TWO_CALLS} catching the tag, all inside one {@code
   * try_table} whose {@code catch_all} goes on to the xor: each pad's dispatch also leads to the
   * outer catch's join, laid out at the end, which the xor's block is entered from too.
   */
  TAGGED_HANDLERS_INSIDE_A_CATCH_ALL(n -> valuesAcross(n, "(block $all (try_table (catch_all $all)",
      i -> handlerAfterTwoCalls("catch $e", i), "))", "")),
  /**
   * {@code n} calls in one {@code try_table} whose handler leaves for a {@code -1} after it without
   * reading the values: each call's unwind edge is split by a block where they are dead.
   */
  TRY_CALLS_UNREAD_BY_THE_HANDLER(n -> valuesAcross(n, "(block $caught (try_table (catch_all $caught)",
      i -> "(call $f)", ")", "(return)) (i64.const -1)")),
  /**
   * The values changed between two calls to {@code $throw_if_odd} (of p, then p + 1) in a {@code
   * try_table} with two catch clauses, then {@code n} early returns in the first clause's handler:
   * the exception dispatch, laid out after the handlers, defines the values it passes them, so their
   * runs are cut by the returns on both sides of their definition's block.
   */
  A_DISPATCH_AFTER_ITS_HANDLERS(n -> valuesAcross(n, dispatchedTo(n), DeadBlockShapes::earlyReturn, "",
      "(return)) (i64.const -2)")),
  /**
   * {@link #A_DISPATCH_AFTER_ITS_HANDLERS} with the early returns and the xor in both clauses'
   * handlers: the parameter, the values and the exception are live across 2n returns.
   */
  A_DISPATCH_AFTER_TWO_HANDLERS(n -> valuesAcross(n, dispatchedTo(n) + earlyReturnsThenXor(n) + "(return))",
      DeadBlockShapes::earlyReturn, "", ""));

  private final IntFunction<String> text;

  DeadBlockShapes(IntFunction<String> text) {
    this.text = text;
  }

  @Override
  public String textAt(int n) {
    return text.apply(n);
  }

  /**
   * Two calls of {@code $throw_if_odd} in a {@code try_table} whose {@code clause} goes to a handler
   * after it that returns 9 when {@code p == i}.
   */
  private static String handlerAfterTwoCalls(String clause, int i) {
    return "(block $ok (block $caught (try_table (" + clause + " $caught) " + throwIfOdd() + throwIfOdd()
        + ") (br $ok)) (if (i64.eq (local.get $p) (i64.const " + i + ")) (then (return (i64.const 9)))))";
  }

  /** A call of {@code $throw_if_odd} of the parameter. */
  private static String throwIfOdd() {
    return "(call $throw_if_odd (local.get $p))";
  }

  private static String earlyReturn(int i) {
    return "(if (i64.eq (local.get $p) (i64.const " + i + ")) (then (return (i64.const " + -i + "))))";
  }

  /**
   * Opens the catch_all clause's block, then the try_table's (the two calls, the values incremented
   * between them) and its way out, closing the first clause's block.
   */
  private static String dispatchedTo(int n) {
    return "(block $other (block $thrown (try_table (catch $e $thrown) (catch_all $other)"
        + " (call $throw_if_odd (local.get $p))" + incremented(n)
        + " (call $throw_if_odd (i64.add (local.get $p) (i64.const 1)))) (return (i64.const -1)))";
  }

  /** As the builder's end: {@link #earlyReturn} for each i, then the values' xor. */
  private static String earlyReturnsThenXor(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(earlyReturn(i));
    }
    s.append("(i64.const 0)");
    for (int i = 0; i < n; i++) {
      s.append("(i64.xor (local.get $v").append(i).append("))");
    }
    return s.toString();
  }

  /** Each value set to itself plus one. */
  private static String incremented(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append("(local.set $v").append(i).append(" (i64.add (local.get $v").append(i).append(") (i64.const 1)))");
    }
    return s.toString();
  }

  /**
   * {@code $f} (empty), {@code $throw_if_odd(x)} (throws {@code $e} when x is odd) and {@code _start(p)}: n locals set to {@code p * (i + 3)}, {@code open},
   * {@code place(i)} for each i, {@code afterPlaces}, their xor, then {@code close}.
   */
  static String valuesAcross(int n, String open, IntFunction<String> place, String afterPlaces,
      String close) {
    StringBuilder s = new StringBuilder("(module (tag $e) (func $f) (func $throw_if_odd (param $x i64)"
        + " (if (i64.eq (i64.and (local.get $x) (i64.const 1)) (i64.const 1)) (then (throw $e))))"
        + " (func (export \"_start\") (param $p i64) (result i64)");
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
