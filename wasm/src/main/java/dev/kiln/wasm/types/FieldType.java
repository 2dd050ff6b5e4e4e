package dev.kiln.wasm.types;

/**
 * A struct field or an array's element type (WebAssembly 3.0 spec 2.3.7): its storage type and
 * whether {@code struct.set}/{@code array.set} may write it. In a module a reference in it names
 * types by index; in a canonical group ({@link TypeRegistry}) by {@link HeapType.RecIndex} or
 * {@link HeapType.Canonical}.
 */
public record FieldType(StorageType storage, boolean mutable) {
  public FieldType {
    storage = storage instanceof ValType v ? (StorageType) ValueType.of(v) : storage;
  }

  /** Whether a field of this type has a default value ({@code struct.new_default}; spec 3.2.x). */
  public boolean defaultable() {
    return !(storage instanceof ValueType v) || v.defaultable();
  }

  @Override
  public String toString() {
    return mutable ? "(mut " + storage + ")" : storage.toString();
  }
}
