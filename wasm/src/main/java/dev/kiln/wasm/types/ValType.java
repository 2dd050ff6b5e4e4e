package dev.kiln.wasm.types;

/**
 * A value's representation with its binary encoding (spec 5.3.4): the number and vector types, and
 * for references the two machine-level kinds, a function reference (funcref's representation, shared
 * by every reference in the function hierarchy) and an external reference. The compiler, artifact
 * and loader need no more; the precise WebAssembly 3.0 type of a value is a {@link ValueType}, whose
 * {@link ValueType#kind()} is one of these. As a precise type, FUNCREF and EXTERNREF stand for
 * {@link RefType#FUNCREF} and {@link RefType#EXTERNREF} ({@link ValueType#of}).
 */
public enum ValType implements ValueType {
  I32(0x7F, "i32"),
  I64(0x7E, "i64"),
  F32(0x7D, "f32"),
  F64(0x7C, "f64"),
  V128(0x7B, "v128"),
  FUNCREF(0x70, "funcref"),
  EXTERNREF(0x6F, "externref");

  private final int code;
  private final String text;

  ValType(int code, String text) {
    this.code = code;
    this.text = text;
  }

  /** A number or vector type is its own representation; a reference kind is one too. */
  @Override
  public ValType kind() {
    return this;
  }

  /** The byte that encodes this type in the binary format. */
  public int code() {
    return code;
  }

  public boolean isNumeric() {
    return ordinal() <= F64.ordinal();
  }

  public boolean isVector() {
    return this == V128;
  }

  public boolean isReference() {
    return this == FUNCREF || this == EXTERNREF;
  }

  /** The type encoded by {@code code}, or null when the byte encodes no value type. */
  public static ValType fromCode(int code) {
    return switch (code) {
      case 0x7F -> I32;
      case 0x7E -> I64;
      case 0x7D -> F32;
      case 0x7C -> F64;
      case 0x7B -> V128;
      case 0x70 -> FUNCREF;
      case 0x6F -> EXTERNREF;
      default -> null;
    };
  }

  @Override
  public String toString() {
    return text;
  }
}
