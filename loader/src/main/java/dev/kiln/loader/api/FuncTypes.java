package dev.kiln.loader.api;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import java.util.List;

/** Shorthand for function types in host code. */
public final class FuncTypes {
  private FuncTypes() {}

  public static FuncType of(List<ValType> params, List<ValType> results) {
    return new FuncType(params, results);
  }
}
