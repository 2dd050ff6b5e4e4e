package dev.kiln.wasm.types;

/**
 * The packed storage types i8 and i16 (WebAssembly 3.0 spec 2.3.7) with their binary encodings
 * (spec 5.3.7): integers narrower than any value type, held only in struct fields and array
 * elements, widened to i32 when read.
 */
public enum PackedType implements StorageType {
  I8(0x78, 1, "i8"),
  I16(0x77, 2, "i16");

  private final int code;
  private final int bytes;
  private final String text;

  PackedType(int code, int bytes, String text) {
    this.code = code;
    this.bytes = bytes;
    this.text = text;
  }

  /** The byte that encodes this type. */
  public int code() {
    return code;
  }

  /** Its width in bytes. */
  public int bytes() {
    return bytes;
  }

  /** The packed type encoded by {@code code}, or null. */
  public static PackedType fromCode(int code) {
    return code == 0x78 ? I8 : code == 0x77 ? I16 : null;
  }

  @Override
  public ValueType unpacked() {
    return ValType.I32;
  }

  @Override
  public String toString() {
    return text;
  }
}
