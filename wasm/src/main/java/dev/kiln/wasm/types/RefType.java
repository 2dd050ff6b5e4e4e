package dev.kiln.wasm.types;

/**
 * A reference type {@code (ref null? ht)} (WebAssembly 3.0 spec 2.3.5). Every reference is one
 * machine word whatever its heap type, so {@link #kind()} only tells the hierarchies apart: the
 * function hierarchy shares funcref's representation (a pointer to a function record, the one
 * {@code call_indirect} and tables use), the extern hierarchy externref's.
 */
public record RefType(boolean nullable, HeapType heap) implements ValueType {
  /** {@code funcref}, which is {@code (ref null func)}. */
  public static final RefType FUNCREF = new RefType(true, HeapType.Abstract.FUNC);
  /** {@code externref}, which is {@code (ref null extern)}. */
  public static final RefType EXTERNREF = new RefType(true, HeapType.Abstract.EXTERN);

  public RefType {
    if (heap == null) {
      throw new NullPointerException("heap");
    }
  }

  /**
   * The representation: the func hierarchy and concrete heap types are {@link ValType#FUNCREF}
   * (until GC heap objects exist, a concrete type's reference is a function's, or null); the
   * extern and any hierarchies share {@link ValType#EXTERNREF}'s word, because {@code
   * any.convert_extern} and {@code extern.convert_any} keep the bits (the encoding of that word,
   * i31 values included, is {@code dev.kiln.artifact.gc}'s). An exception reference (the exn
   * hierarchy, spec 3.0 2.3.4) is an opaque word too, compared only with null.
   */
  @Override
  public ValType kind() {
    if (heap instanceof HeapType.Abstract a) {
      return switch (a.top()) {
        case FUNC -> ValType.FUNCREF;
        case EXTERN, ANY, EXN -> ValType.EXTERNREF;
        default -> throw new IllegalStateException("no representation for " + this);
      };
    }
    return ValType.FUNCREF;
  }

  /** The same reference type with the given nullability. */
  public RefType withNullable(boolean nullable) {
    return nullable == this.nullable ? this : new RefType(nullable, heap);
  }

  @Override
  public String toString() {
    if (this.equals(FUNCREF)) {
      return "funcref";
    }
    if (this.equals(EXTERNREF)) {
      return "externref";
    }
    return "(ref " + (nullable ? "null " : "") + heap + ")";
  }
}
