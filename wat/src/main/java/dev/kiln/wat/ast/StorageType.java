package dev.kiln.wat.ast;

/** What a struct field or array element holds (spec 6.4.8): a value type or a packed type. */
public sealed interface StorageType permits ValType, StorageType.Packed {
  /** {@code i8} or {@code i16}, with its binary code. */
  record Packed(String name, int code) implements StorageType {}
}
