package dev.kiln.wasm.types;

/**
 * A value type as validation sees it (WebAssembly 3.0 spec 2.3.3-2.3.5): a number or vector type
 * ({@link ValType} I32..V128) or a reference type ({@link RefType}, which also spells funcref and
 * externref). Every reference in a precise type is a {@link RefType}; {@link ValType#FUNCREF} and
 * {@link ValType#EXTERNREF} appear only as the representation {@link #kind()} gives.
 *
 * <p>The compiler, the artifact and the loader need only how a value is held in a register or a
 * slot, which {@link #kind()} answers; heap types stay in the decoder, the validator and linking.
 */
public sealed interface ValueType extends StorageType permits ValType, RefType {
  /** How a value of this type is represented in machine code: a number, a vector or a reference. */
  ValType kind();

  /** A value type is stored as itself. */
  @Override
  default ValueType unpacked() {
    return this;
  }

  /** The precise type a 2.0 {@link ValType} denotes: funcref and externref become nullable references. */
  static ValueType of(ValType t) {
    return switch (t) {
      case FUNCREF -> RefType.FUNCREF;
      case EXTERNREF -> RefType.EXTERNREF;
      default -> t;
    };
  }

  /** Whether a local of this type has a default value (spec 3.2.3: numbers, vectors, nullable references). */
  default boolean defaultable() {
    return !(this instanceof RefType r) || r.nullable();
  }
}
