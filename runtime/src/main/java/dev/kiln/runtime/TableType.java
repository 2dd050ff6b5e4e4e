package dev.kiln.runtime;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A table's type (WebAssembly 3.0 section 2.3.10): what its elements are and how many it may hold.
 *
 * @param element the elements' representation: {@link ValType#FUNCREF}, {@link ValType#EXTERNREF},
 *     {@link ValType#ANYREF} or {@link ValType#EXNREF}
 * @param minimum the initial number of elements (unsigned: a 64-bit table's limits may reach 2^64-1)
 * @param maximum the most it may grow to, if the module limits it (unsigned, as the minimum)
 * @param index64 whether it is indexed by i64 (WebAssembly 3.0 table64) rather than i32
 * @param preciseElement the elements' type as the module declares it
 */
public record TableType(ValType element, long minimum, OptionalLong maximum, boolean index64,
    RefType preciseElement) implements ExternType {
  /**
   * A table of a WebAssembly 2.0 element type (the nullable top of its hierarchy).
   *
   * @param element {@link ValType#FUNCREF} or {@link ValType#EXTERNREF}
   * @param minimum the initial number of elements
   * @param maximum the most it may grow to, if limited
   * @param index64 whether it is indexed by i64
   */
  public TableType(ValType element, long minimum, OptionalLong maximum, boolean index64) {
    this(element, minimum, maximum, index64,
        PreciseType.of(element) instanceof RefType r ? r : new RefType(true, HeapType.Abstract.NONE));
  }

  /** Checks that the element type is a reference type Java holds, represented by {@code element}. */
  public TableType {
    Objects.requireNonNull(maximum, "maximum");
    if (!element.isReference()) {
      throw new IllegalArgumentException("a table holds references, not " + element);
    }
    if (Objects.requireNonNull(preciseElement, "preciseElement").kind() != element) {
      throw new IllegalArgumentException(preciseElement + " is not represented by " + element);
    }
  }

  @Override
  public ExternKind kind() {
    return ExternKind.TABLE;
  }

  // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
  @Override
  public boolean equals(Object o) {
    return o instanceof TableType other && java.util.Objects.equals(element, other.element)
        && minimum == other.minimum && java.util.Objects.equals(maximum, other.maximum) && index64 == other.index64
        && java.util.Objects.equals(preciseElement, other.preciseElement);
  }

  @Override
  public int hashCode() {
    int h = java.util.Objects.hashCode(element);
    h = 31 * h + Long.hashCode(minimum);
    h = 31 * h + java.util.Objects.hashCode(maximum);
    h = 31 * h + Boolean.hashCode(index64);
    return 31 * h + java.util.Objects.hashCode(preciseElement);
  }

  @Override
  public String toString() {
    return "TableType[element=" + element + ", minimum=" + minimum + ", maximum=" + maximum + ", index64=" + index64
        + ", preciseElement=" + preciseElement + "]";
  }
}
