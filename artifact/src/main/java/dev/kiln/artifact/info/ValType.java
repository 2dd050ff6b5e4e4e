package dev.kiln.artifact.info;

import java.util.Optional;

/**
 * A wasm value type, stored as its binary-format byte (WebAssembly 2.0 section 5.3.1-5.3.3: number,
 * vector and reference types). The codes are part of the {@code .kiln.info} format.
 */
public enum ValType {
  I32(0x7F),
  I64(0x7E),
  F32(0x7D),
  F64(0x7C),
  V128(0x7B),
  FUNCREF(0x70),
  EXTERNREF(0x6F);

  private static final ValType[] BY_CODE = new ValType[256];

  static {
    for (ValType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;

  ValType(int code) {
    this.code = code;
  }

  /** The byte that stands for this type in the wasm binary format and in {@code .kiln.info}. */
  public int code() {
    return code;
  }

  /** Whether this is a reference type (the only types a table may hold). */
  public boolean isReference() {
    return this == FUNCREF || this == EXTERNREF;
  }

  /** The type whose code is {@code code}, if any. */
  public static Optional<ValType> ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? Optional.ofNullable(BY_CODE[code]) : Optional.empty();
  }
}
