package dev.kiln.ir;

/**
 * The type of an SSA value. Wasm's five value types map one to one. {@link #V128} is one type
 * whatever its lanes, as in wasm (spec 2.3.2 "vector types"): the lane shape belongs to the
 * operation that reads the bits, never to the value, so no conversion sits between an i32x4
 * addition and an f32x4 addition of the same value. Narrow memory accesses are not types:
 * they are opcodes with a memory width ({@link Opcode#memWidthBytes()}), so a value in a register
 * is always at least 32 bits wide, as in wasm.
 */
public enum Type {
  I32("i32", 4),
  I64("i64", 8),
  F32("f32", 4),
  F64("f64", 8),
  V128("v128", 16);

  private static final Type[] VALUES = values();

  private final String text;
  private final int bytes;

  Type(String text, int bytes) {
    this.text = text;
    this.bytes = bytes;
  }

  /** The spelling in the text format ({@code i32}, ...). */
  public String text() {
    return text;
  }

  public int bytes() {
    return bytes;
  }

  public int bits() {
    return bytes * 8;
  }

  public boolean isInt() {
    return this == I32 || this == I64;
  }

  public boolean isFloat() {
    return this == F32 || this == F64;
  }

  /** Pointers (linear-memory addresses, vmctx, table slots) are 64-bit on both targets. */
  public static Type pointer() {
    return I64;
  }

  public static Type ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }

  /** The type spelled {@code text}, or null when there is none. */
  public static Type byText(String text) {
    for (Type t : VALUES) {
      if (t.text.equals(text)) {
        return t;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return text;
  }
}
