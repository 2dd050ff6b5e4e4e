package dev.kiln.ir;

/** The controlling types an opcode accepts (the {@code .i32} suffix in the text format). */
public enum TypeSet {
  /** The opcode has no controlling type; its result types follow from its operands or callee. */
  NONE,
  INT,
  FLOAT,
  NUMBER,
  /** Every value type: the numbers and {@code v128} (plain loads, stores and {@code select}). */
  VALUE,
  I32,
  I64,
  F32,
  F64,
  V128,
  /** {@code uload32}: an i64, or a {@code v128} whose upper 96 bits are zero. */
  I64_V128;

  public boolean contains(Type t) {
    return switch (this) {
      case NONE -> false;
      case INT -> t.isInt();
      case FLOAT -> t.isFloat();
      case NUMBER -> t.isInt() || t.isFloat();
      case VALUE -> true;
      case I32 -> t == Type.I32;
      case I64 -> t == Type.I64;
      case F32 -> t == Type.F32;
      case F64 -> t == Type.F64;
      case V128 -> t == Type.V128;
      case I64_V128 -> t == Type.I64 || t == Type.V128;
    };
  }
}
