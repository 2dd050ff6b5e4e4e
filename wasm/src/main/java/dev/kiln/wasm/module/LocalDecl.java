package dev.kiln.wasm.module;

import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;

/**
 * {@code count} locals of one type, as declared in a function body.
 *
 * @param valueType the precise type (a {@link ValType} funcref or externref becomes its reference type)
 */
public record LocalDecl(long count, ValueType valueType) {
  public LocalDecl {
    valueType = valueType instanceof ValType v ? ValueType.of(v) : valueType;
  }

  /** The locals' representation. */
  public ValType type() {
    return valueType.kind();
  }
}
