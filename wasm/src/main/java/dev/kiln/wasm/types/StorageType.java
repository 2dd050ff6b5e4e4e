package dev.kiln.wasm.types;

/**
 * What a struct field or array element holds (WebAssembly 3.0 spec 2.3.7, "storage types"): a value
 * type, or a packed integer type ({@link PackedType}) that exists only inside heap objects and is
 * read back as an i32 ({@code struct.get_s/_u}, {@code array.get_s/_u}).
 */
public sealed interface StorageType permits ValueType, PackedType {
  /** The value type a field of this storage type is read as and written from (spec 3.2.x "unpack"). */
  ValueType unpacked();

  /** How many bytes a field of this storage type occupies in an object (a reference is one word). */
  default int byteSize() {
    return switch (this) {
      case PackedType p -> p.bytes();
      case ValueType v -> switch (v.kind()) {
        case I32, F32 -> 4;
        case I64, F64, FUNCREF, EXTERNREF -> 8;
        case V128 -> 16;
      };
    };
  }
}
