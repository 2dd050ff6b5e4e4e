package dev.kiln.wasm.types;

import java.util.List;
import java.util.stream.Collectors;

/** A function type {@code [params] -> [results]} (spec 2.3.6). */
public record FuncType(List<ValType> params, List<ValType> results) {
  public FuncType {
    params = List.copyOf(params);
    results = List.copyOf(results);
  }

  @Override
  public String toString() {
    return "[" + join(params) + "] -> [" + join(results) + "]";
  }

  private static String join(List<ValType> types) {
    return types.stream().map(ValType::toString).collect(Collectors.joining(" "));
  }
}
