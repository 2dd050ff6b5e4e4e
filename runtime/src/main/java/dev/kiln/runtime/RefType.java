package dev.kiln.runtime;

import java.util.Objects;

/**
 * A reference type (WebAssembly 3.0 spec 2.3.3): whether null is a value of it, and its heap type.
 * Its text is the spec's: the short form ({@code funcref}, {@code structref}, {@code nullref}...) for
 * a nullable abstract type, else {@code (ref null? heaptype)}, a defined type as its kind and the
 * engine's number ({@code (ref struct:3)}, {@link HeapType.Concrete}).
 *
 * @param nullable whether null is a value of the type
 * @param heap what a non-null value points to
 */
public record RefType(boolean nullable, HeapType heap) implements PreciseType {
  /** {@code funcref}: {@code (ref null func)}. */
  public static final RefType FUNCREF = new RefType(true, HeapType.Abstract.FUNC);
  /** {@code externref}: {@code (ref null extern)}. */
  public static final RefType EXTERNREF = new RefType(true, HeapType.Abstract.EXTERN);
  /** {@code anyref}: {@code (ref null any)}. */
  public static final RefType ANYREF = new RefType(true, HeapType.Abstract.ANY);

  /** Checks that {@code heap} is given. */
  public RefType {
    Objects.requireNonNull(heap, "heap");
  }

  @Override
  public ValType kind() {
    return heap.hierarchy();
  }

  @Override
  public String toString() {
    if (nullable && heap instanceof HeapType.Abstract a) {
      // Names, not a switch: javac's switch over HeapType.Abstract is a numbered class of switch maps
      // with an initialiser of its own (Engine.Statics.INITIALISED_AT_START)
      return a == HeapType.Abstract.NOFUNC ? "nullfuncref"
          : a == HeapType.Abstract.NOEXTERN ? "nullexternref"
          : a == HeapType.Abstract.NONE ? "nullref"
          : a == HeapType.Abstract.NOEXN ? "nullexnref"
          : a + "ref";
    }
    return "(ref " + (nullable ? "null " : "") + heap + ")";
  }

  // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
  @Override
  public boolean equals(Object o) {
    return o instanceof RefType other && nullable == other.nullable && java.util.Objects.equals(heap, other.heap);
  }

  @Override
  public int hashCode() {
    int h = Boolean.hashCode(nullable);
    return 31 * h + java.util.Objects.hashCode(heap);
  }
}
