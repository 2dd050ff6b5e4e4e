package dev.kiln.ir;

/** The controlling types an opcode accepts (the {@code .i32} suffix in the text format). */
public enum TypeSet {
  /** The opcode has no controlling type; its result types follow from its operands or callee. */
  NONE,
  INT,
  FLOAT,
  NUMBER,
  I32,
  I64,
  F32,
  F64;

  public boolean contains(Type t) {
    return switch (this) {
      case NONE -> false;
      case INT -> t.isInt();
      case FLOAT -> t.isFloat();
      case NUMBER -> t.isInt() || t.isFloat();
      case I32 -> t == Type.I32;
      case I64 -> t == Type.I64;
      case F32 -> t == Type.F32;
      case F64 -> t == Type.F64;
    };
  }
}
