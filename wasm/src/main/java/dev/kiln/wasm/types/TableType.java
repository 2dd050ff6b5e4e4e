package dev.kiln.wasm.types;

/**
 * A table type (spec 2.3.9): element reference type, limits, and (WebAssembly 3.0, "table
 * types") its address type: a 64-bit table takes and returns i64 element indices and sizes,
 * as a memory64 memory does addresses.
 *
 * @param reference the precise element type (a {@link ValType} funcref or externref becomes its {@link RefType})
 */
public record TableType(ValueType reference, Limits limits, boolean is64) {
  public TableType {
    reference = reference instanceof ValType v ? ValueType.of(v) : reference;
    if (!(reference instanceof RefType)) {
      throw new IllegalArgumentException("table of " + reference);
    }
  }

  /** An i32-addressed table (every table of WebAssembly 2.0). */
  public TableType(ValueType reference, Limits limits) {
    this(reference, limits, false);
  }

  /** The elements' representation. */
  public ValType elementType() {
    return reference.kind();
  }

  /** The precise element type. */
  public RefType referenceType() {
    return (RefType) reference;
  }

  /** The type of this table's element indices, sizes and lengths. */
  public ValType addressType() {
    return is64 ? ValType.I64 : ValType.I32;
  }
}
