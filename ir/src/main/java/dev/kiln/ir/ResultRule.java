package dev.kiln.ir;

/** How many results an opcode defines and of which type. */
public enum ResultRule {
  /** No result (stores, traps, branches). */
  NONE,
  /** One result of the controlling type. */
  CTRL,
  /** One {@code i32} result (comparisons and {@code eqz}: wasm booleans are i32). */
  I32,
  /** One {@code f32} result ({@code f32const}: the opcode names the type). */
  F32,
  /** One {@code f64} result ({@code f64const}). */
  F64,
  /** One {@code v128} result (vector operations: the shape is the operation's, not the value's). */
  V128,
  /** One result of the lane shape's scalar type ({@link Lanes#scalarType()}: lane extraction). */
  LANE,
  /** The callee signature's results. */
  SIGNATURE
}
