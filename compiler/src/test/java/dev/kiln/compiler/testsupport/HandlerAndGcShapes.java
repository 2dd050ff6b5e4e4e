package dev.kiln.compiler.testsupport;

import java.util.function.IntFunction;

/**
 * Valid modules whose last function has a WebAssembly 3.0 shape an attacker chooses to make the
 * compiler work hard per byte (red team 9, F2): exception handlers ({@code try_table}, spec 3.0
 * section 3.3.8.10) nested or with many clauses, and many GC allocations ({@code struct.new}) or
 * casts ({@code br_on_cast}) in one function. The size {@code n} grows the module linearly, so work
 * or time measured at {@code n} and {@code 4n} shows whether the compiler is linear in the shape.
 *
 * <p>Written as text (the shapes need tags and subtyped struct types, which the binary writer of
 * {@link HostileShapes} does not declare) and read with Kiln's own text reader.
 */
public enum HandlerAndGcShapes implements TextShape {
  /** {@code n} nested {@code try_table (catch_all)}, a call at every level inside and after each. */
  NESTED_TRY_CALLS(n -> "(module (tag $e) (func $f) (func (export \"_start\")"
      + "(block (try_table (catch_all 0) (call $f)".repeat(n) + ")(call $f))".repeat(n) + "))"),
  /** {@code n} nested {@code try_table (catch $e)}, each to its own block, around one throw. */
  NESTED_CATCHES_THROW(n -> "(module (tag $e) (func (export \"_start\")"
      + "(block (try_table (catch $e 0)".repeat(n) + "(throw $e)" + ")(nop))".repeat(n) + "))"),
  /** One {@code try_table} with {@code n} catch clauses around {@code n} calls. */
  CATCH_CLAUSES_CALLS(n -> "(module (tag $e) (func $f) (func (export \"_start\") (block (try_table "
      + "(catch $e 0) ".repeat(n) + "(call $f)".repeat(n) + "))))"),
  /**
   * One {@code try_table} with one catch clause around {@code n} calls (red team 32, F3): each call
   * ends a block at its unwind edge, so the vmctx, live through the {@code try_table}, has a range
   * per call and is split at each.
   */
  CALLS_IN_ONE_TRY_TABLE(n -> "(module (tag $e) (func $f) (func (export \"_start\") (block (try_table "
      + "(catch $e 0) " + "(call $f)".repeat(n) + "))))"),
  /**
   * {@code n} i64 locals, each a product of the parameter, live across {@code n} calls in one {@code
   * try_table} whose handler goes on to read them all: every local is live into every call's landing
   * block, so it must be in its slot across each call (n^2 value and call pairs).
   */
  LOCALS_ACROSS_TRY_CALLS(n -> DeadBlockShapes.valuesAcross(n, "(block (try_table (catch_all 0) ",
      i -> "(call $f)", "))", "")),
  /** As {@link #LOCALS_ACROSS_TRY_CALLS}, with each call in a {@code try_table} of its own: n landing pads. */
  LOCALS_ACROSS_TRY_TABLES(n -> DeadBlockShapes.valuesAcross(n, "",
      i -> "(block (try_table (catch_all 0) (call $f)))", "", "")),
  /**
   * {@code n} legacy {@code try}s (the legacy exception handling proposal), each in the previous
   * one's {@code catch} clause with a call in its body, and a {@code rethrow} innermost: every level
   * holds its caught exception, in a frame-resident slot of its own once the function is large.
   */
  RETHROW_NEST(n -> "(module (tag $e) (func $f) (func (export \"_start\") (try (do (call $f)) (catch $e "
      + "(try (do (call $f)) (catch $e ".repeat(n) + "(rethrow 1)" + "))".repeat(n) + "))))"),
  /**
   * {@code n} times a {@code br_on_cast} of one struct to a type of a 60-deep subtype chain and a
   * {@code struct.new} of that type on the other path.
   */
  BR_ON_CAST_STRUCT_NEW(n -> {
    int chain = 60; // depth of the subtype chain the casts pick their types from
    StringBuilder s = new StringBuilder("(module (type $b0 (sub (struct)))");
    for (int i = 1; i < chain; i++) {
      s.append("(type $b").append(i).append(" (sub $b").append(i - 1).append(" (struct)))");
    }
    s.append("(func (export \"_start\") (local $x anyref) (local.set $x (struct.new $b")
        .append(chain - 1).append("))");
    for (int i = 0; i < n; i++) {
      int t = i % chain;
      s.append("(drop (block (result (ref $b").append(t).append(")) (br_on_cast 0 anyref (ref $b")
          .append(t).append(") (local.get $x)) (drop) (struct.new $b").append(t).append(")))");
    }
    return s.append("))").toString();
  }),
  /** {@code n} times {@code struct.new} of a global's value and a {@code struct.get} of it back. */
  STRUCT_NEW_CHAIN(n -> "(module (type $s (struct (field i32))) (global $g (mut i32) (i32.const 0))"
      + "(func (export \"_start\")"
      + "(global.set $g (struct.get $s 0 (struct.new $s (global.get $g))))".repeat(n) + "))");

  private final IntFunction<String> text;

  HandlerAndGcShapes(IntFunction<String> text) {
    this.text = text;
  }

  @Override
  public String textAt(int n) {
    return text.apply(n);
  }
}
