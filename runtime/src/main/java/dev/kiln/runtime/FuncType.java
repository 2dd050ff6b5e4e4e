package dev.kiln.runtime;

import java.util.List;
import java.util.Objects;

/**
 * A function type (WebAssembly 2.0 section 2.3.5): parameter and result types.
 *
 * @param params the parameter types, in order
 * @param results the result types, in order (wasm 2.0 allows several)
 */
public record FuncType(List<ValType> params, List<ValType> results) implements ExternType {
  /** Copies both lists, so the type is immutable. */
  public FuncType {
    params = List.copyOf(Objects.requireNonNull(params, "params"));
    results = List.copyOf(Objects.requireNonNull(results, "results"));
  }

  /**
   * The type {@code (params) -> (results)}.
   *
   * @param params the parameter types
   * @param results the result types
   * @return the function type
   */
  public static FuncType of(List<ValType> params, List<ValType> results) {
    return new FuncType(params, results);
  }

  @Override
  public ExternKind kind() {
    return ExternKind.FUNCTION;
  }

  /** As the text format writes it, e.g. {@code (i32 f64) -> (i32)}. */
  @Override
  public String toString() {
    return "(" + String.join(" ", params.stream().map(ValType::name).map(String::toLowerCase).toList()) + ") -> ("
        + String.join(" ", results.stream().map(ValType::name).map(String::toLowerCase).toList()) + ")";
  }
}
