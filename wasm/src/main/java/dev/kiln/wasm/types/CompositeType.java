package dev.kiln.wasm.types;

/**
 * A composite type (WebAssembly 3.0 spec 2.3.7): what a defined type describes, a function, a
 * struct or an array. Which one decides the abstract heap type a reference to it is below
 * ({@link #abstractSuper()}).
 */
public sealed interface CompositeType permits FuncType, StructType, ArrayType {
  /** The abstract heap type every reference to a type of this kind matches: func, struct or array. */
  default HeapType.Abstract abstractSuper() {
    return switch (this) {
      case FuncType f -> HeapType.Abstract.FUNC;
      case StructType s -> HeapType.Abstract.STRUCT;
      case ArrayType a -> HeapType.Abstract.ARRAY;
    };
  }
}
