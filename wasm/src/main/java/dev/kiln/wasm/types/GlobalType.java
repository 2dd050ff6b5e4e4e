package dev.kiln.wasm.types;

/**
 * A global's type and mutability (spec 2.3.10).
 *
 * @param type the precise value type (a {@link ValType} funcref or externref becomes its {@link RefType})
 */
public record GlobalType(ValueType type, boolean mutable) {
  public GlobalType {
    type = type instanceof ValType v ? ValueType.of(v) : type;
  }

  /** The value's representation. */
  public ValType valueType() {
    return type.kind();
  }
}
