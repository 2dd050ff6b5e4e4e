package dev.kiln.wasm.types;

/** An array type (WebAssembly 3.0 spec 2.3.7): any number of elements of one field type. */
public record ArrayType(FieldType element) implements CompositeType {
  @Override
  public String toString() {
    return "(array " + element + ")";
  }
}
