package dev.kiln.runtime;

/**
 * A WebAssembly value's representation in Java (WebAssembly 3.0 section 2.3: number, vector and
 * reference types): a reference type here names only its hierarchy, the precise type (nullability,
 * heap type) is a {@link RefType}.
 */
public enum ValType implements PreciseType {
  /** 32-bit integer, a Java {@code int}. */
  I32,
  /** 64-bit integer, a Java {@code long}. */
  I64,
  /** 32-bit IEEE 754 float, a Java {@code float}. */
  F32,
  /** 64-bit IEEE 754 float, a Java {@code double}. */
  F64,
  /** 128-bit vector. */
  V128,
  /** A reference to a function. */
  FUNCREF,
  /** A reference the host defines, or a GC object converted by {@code extern.convert_any}. */
  EXTERNREF,
  /** A reference of the any hierarchy: a struct or array ({@link AnyRef}), an i31, a converted host reference. */
  ANYREF,
  /** An exception reference: never crosses the API (exports and imports of exception types are refused). */
  EXNREF;

  @Override
  public ValType kind() {
    return this;
  }

  /**
   * Whether this is a reference type.
   *
   * @return true for the reference types
   */
  public boolean isReference() {
    return ordinal() >= FUNCREF.ordinal();
  }
}
