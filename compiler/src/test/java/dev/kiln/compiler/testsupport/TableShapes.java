package dev.kiln.compiler.testsupport;

import java.util.function.IntFunction;

/**
 * Valid modules whose last function reads a table {@code n} times in a row (red team 27 F1): each
 * read has an out-of-line path (the lazy slot's initialisation, a trap) laid out at the function's
 * end that uses values of its site, so n values live from their site to the end with a hole
 * between, across the calls and the other sites' slow paths. The size {@code n} grows the module
 * linearly, so work or time measured at {@code n} and {@code 4n} shows whether the compiler is
 * linear in the shape.
 *
 * <p>Written as text and read with Kiln's own text reader, as {@link HandlerAndGcShapes} are.
 */
public enum TableShapes implements TextShape {
  /** {@code n} times {@code call_indirect} of slot 0 of a funcref table, the value passed along. */
  CALL_INDIRECT(n -> "(module (type $t (func (param i32) (result i32))) (table 1 funcref)"
      + "(elem (i32.const 0) $id) (func $id (type $t) (local.get 0))"
      + "(func (export \"_start\") (param i32) (result i32) (local.get 0)"
      + "(call_indirect (type $t) (i32.const 0))".repeat(n) + "))"),
  /** {@code n} times {@code table.get} of a funcref table at the parameter, tested for null and summed. */
  TABLE_GET(n -> "(module (table 1 funcref) (elem (i32.const 0) $id) (func $id)"
      + "(func (export \"_start\") (param i32) (result i32) (local.get 0)"
      + "(i32.add (ref.is_null (table.get 0 (local.get 0))))".repeat(n) + "))");

  private final IntFunction<String> text;

  TableShapes(IntFunction<String> text) {
    this.text = text;
  }

  @Override
  public String textAt(int n) {
    return text.apply(n);
  }
}
