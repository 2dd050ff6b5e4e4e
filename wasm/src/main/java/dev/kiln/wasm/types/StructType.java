package dev.kiln.wasm.types;

import java.util.List;

/** A struct type (WebAssembly 3.0 spec 2.3.7): a sequence of fields, each with its own type. */
public record StructType(List<FieldType> fields) implements CompositeType {
  public StructType {
    fields = List.copyOf(fields);
  }

  @Override
  public String toString() {
    return "(struct " + fields + ")";
  }
}
