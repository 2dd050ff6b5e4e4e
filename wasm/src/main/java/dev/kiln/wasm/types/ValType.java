package dev.kiln.wasm.types;

/**
 * A WebAssembly value type (spec 2.3.4) with its binary encoding (spec 5.3.4). Numeric, vector and
 * reference types are one enum because the validator's operand stack and the compiler switch over
 * them together; the predicates say which class a type belongs to.
 */
public enum ValType {
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
