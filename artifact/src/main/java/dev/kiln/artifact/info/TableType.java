package dev.kiln.artifact.info;

import java.util.Objects;

/**
 * A table type (WebAssembly 2.0 section 2.3.9): a reference element type and limits in elements.
 *
 * @param is64 whether the table is indexed with i64 (memory64 proposal's table64)
 */
public record TableType(ValType elementType, Limits limits, boolean is64) {
  public TableType {
    Objects.requireNonNull(limits);
    if (!elementType.isReference()) {
      throw new IllegalArgumentException("table element type must be a reference type, got " + elementType);
    }
  }
}
