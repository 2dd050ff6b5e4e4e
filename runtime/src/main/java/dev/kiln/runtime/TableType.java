package dev.kiln.runtime;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A table's type (WebAssembly 2.0 section 2.3.10): what its elements are and how many it may hold.
 *
 * @param element {@link ValType#FUNCREF} or {@link ValType#EXTERNREF}
 * @param minimum the initial number of elements (unsigned: a 64-bit table's limits may reach 2^64-1)
 * @param maximum the most it may grow to, if the module limits it (unsigned, as the minimum)
 * @param index64 whether it is indexed by i64 (WebAssembly 3.0 table64) rather than i32
 */
public record TableType(ValType element, long minimum, OptionalLong maximum, boolean index64)
    implements ExternType {
  /** Checks that the element type is a reference type. */
  public TableType {
    Objects.requireNonNull(maximum, "maximum");
    if (element != ValType.FUNCREF && element != ValType.EXTERNREF) {
      throw new IllegalArgumentException("a table holds references, not " + element);
    }
  }

  @Override
  public ExternKind kind() {
    return ExternKind.TABLE;
  }
}
