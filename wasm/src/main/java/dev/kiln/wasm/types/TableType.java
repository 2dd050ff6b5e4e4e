package dev.kiln.wasm.types;

/**
 * A table type (spec 2.3.9): element reference type, limits, and (WebAssembly 3.0, "table
 * types") its address type: a 64-bit table takes and returns i64 element indices and sizes,
 * as a memory64 memory does addresses.
 */
public record TableType(ValType elementType, Limits limits, boolean is64) {
  /** An i32-addressed table (every table of WebAssembly 2.0). */
  public TableType(ValType elementType, Limits limits) {
    this(elementType, limits, false);
  }

  /** The type of this table's element indices, sizes and lengths. */
  public ValType addressType() {
    return is64 ? ValType.I64 : ValType.I32;
  }
}
