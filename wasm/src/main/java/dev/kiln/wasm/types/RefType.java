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
   * The representation: concrete heap types are function types (the only composite type until
   * GC), so they and the abstract func hierarchy are {@link ValType#FUNCREF}, the extern hierarchy
   * {@link ValType#EXTERNREF}. An exception reference (the exn hierarchy, spec 3.0 2.3.4) is an
   * opaque pointer to a store-owned exception object, represented as an extern reference is: one
   * machine word compared only with null. The any hierarchy gets its kind with GC; the decoder
   * refuses it ({@link dev.kiln.wasm.MissingFeature}), so none reaches here.
   */
  @Override
  public ValType kind() {
    if (heap instanceof HeapType.Abstract a) {
      return switch (a.top()) {
        case FUNC -> ValType.FUNCREF;
        case EXTERN, EXN -> ValType.EXTERNREF;
        default -> throw new IllegalStateException("no representation for " + this + " before GC/exceptions");
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
