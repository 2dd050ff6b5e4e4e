package dev.kiln.wasm.types;

/**
 * A table type: element reference type and limits (spec 2.3.9).
 *
 * @param reference the precise element type (a {@link ValType} funcref or externref becomes its {@link RefType})
 */
public record TableType(ValueType reference, Limits limits) {
  public TableType {
    reference = reference instanceof ValType v ? ValueType.of(v) : reference;
    if (!(reference instanceof RefType)) {
      throw new IllegalArgumentException("table of " + reference);
    }
  }

  /** The elements' representation. */
  public ValType elementType() {
    return reference.kind();
  }

  /** The precise element type. */
  public RefType referenceType() {
    return (RefType) reference;
  }
}
