package dev.kiln.runtime;

/** A WebAssembly value type (WebAssembly 2.0 section 2.3.1-2.3.3: number, vector and reference types). */
public enum ValType {
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
  /** A reference the host defines. */
  EXTERNREF
}
