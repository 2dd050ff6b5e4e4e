package dev.kiln.wasm.types;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A function type {@code [params] -> [results]} (spec 2.3.6), held twice: the precise types
 * ({@link #paramTypes()}, {@link #resultTypes()}) for validation and linking, and their
 * representations ({@link #params()}, {@link #results()}) for the compiler and loader, which only
 * need how each value is passed. Equality is on the precise types; a concrete heap type in them is a
 * type index of the module the type belongs to ({@link TypeRegistry} compares across modules).
 */
public final class FuncType implements CompositeType {
  private final List<ValueType> paramTypes;
  private final List<ValueType> resultTypes;
  private final List<ValType> params;
  private final List<ValType> results;

  /** A function type; a {@link ValType} funcref or externref stands for its nullable reference type. */
  public FuncType(List<? extends ValueType> params, List<? extends ValueType> results) {
    this.paramTypes = precise(params);
    this.resultTypes = precise(results);
    this.params = kinds(paramTypes);
    this.results = kinds(resultTypes);
  }

  private static List<ValueType> precise(List<? extends ValueType> types) {
    List<ValueType> out = new ArrayList<>(types.size());
    for (ValueType t : types) {
      out.add(t instanceof ValType v ? ValueType.of(v) : t);
    }
    return List.copyOf(out);
  }

  private static List<ValType> kinds(List<ValueType> types) {
    List<ValType> out = new ArrayList<>(types.size());
    for (ValueType t : types) {
      out.add(t.kind());
    }
    return List.copyOf(out);
  }

  /** The parameters' representations. */
  public List<ValType> params() {
    return params;
  }

  /** The results' representations. */
  public List<ValType> results() {
    return results;
  }

  /** The parameters' precise types. */
  public List<ValueType> paramTypes() {
    return paramTypes;
  }

  /** The results' precise types. */
  public List<ValueType> resultTypes() {
    return resultTypes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FuncType t && paramTypes.equals(t.paramTypes) && resultTypes.equals(t.resultTypes);
  }

  @Override
  public int hashCode() {
    return 31 * paramTypes.hashCode() + resultTypes.hashCode();
  }

  @Override
  public String toString() {
    return "[" + join(paramTypes) + "] -> [" + join(resultTypes) + "]";
  }

  private static String join(List<ValueType> types) {
    return types.stream().map(ValueType::toString).collect(Collectors.joining(" "));
  }
}
