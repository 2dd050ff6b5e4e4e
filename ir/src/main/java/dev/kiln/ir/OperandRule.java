package dev.kiln.ir;

/** What type a fixed value operand must have, given the instruction's controlling type. */
public enum OperandRule {
  /** Equal to the controlling type. */
  SAME("the controlling type"),
  /** The same type as the instruction's first operand. */
  AS_FIRST("the type of the first operand"),
  INT("i32 or i64"),
  FLOAT("f32 or f64"),
  NUMBER("i32, i64, f32 or f64"),
  /** Any value type, {@code v128} included ({@code store}). */
  VALUE("i32, i64, f32, f64 or v128"),
  V128("v128"),
  /** The scalar type of the instruction's lane shape ({@code vsplat}, {@code vinsertlane}). */
  LANE("the lane shape's scalar type"),

  I32("i32"),
  I64("i64"),
  F32("f32"),
  F64("f64"),
  /** A pointer: linear-memory, vmctx or table address. */
  ADDR("i64 (an address)"),
  /** {@code i32} under an {@code i64} controlling type (extensions). */
  NARROWER_INT("an integer narrower than the controlling type"),
  /** {@code i64} under an {@code i32} controlling type ({@code ireduce}). */
  WIDER_INT("an integer wider than the controlling type"),
  /** The same width in the other class: f32 for i32, i64 for f64 ({@code bitcast}). */
  BITCAST_PARTNER("the same width as the controlling type in the other class");

  private final String description;

  OperandRule(String description) {
    this.description = description;
  }

  /** Words for verifier messages, e.g. "i32 or i64". */
  public String description() {
    return description;
  }

  /**
   * Whether {@code t} satisfies the rule under controlling type {@code ctrl}, first operand type
   * {@code first} and lane shape {@code lanes} (null for an opcode without one).
   */
  public boolean accepts(Type t, Type ctrl, Type first, Lanes lanes) {
    return switch (this) {
      case SAME -> t == ctrl;
      case AS_FIRST -> t == first;
      case INT -> t.isInt();
      case FLOAT -> t.isFloat();
      case NUMBER -> t.isInt() || t.isFloat();
      case VALUE -> true;
      case V128 -> t == Type.V128;
      case LANE -> lanes != null && t == lanes.scalarType();
      case I32 -> t == Type.I32;
      case I64, ADDR -> t == Type.I64;
      case F32 -> t == Type.F32;
      case F64 -> t == Type.F64;
      case NARROWER_INT -> t.isInt() && ctrl != null && t.bits() < ctrl.bits();
      case WIDER_INT -> t.isInt() && ctrl != null && t.bits() > ctrl.bits();
      case BITCAST_PARTNER ->
          ctrl != null && t.bits() == ctrl.bits() && t.isInt() == ctrl.isFloat()
              && (t.isInt() || t.isFloat());
    };
  }
}
