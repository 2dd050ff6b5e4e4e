package dev.kiln.codegen.x64.abi;

import java.util.List;

/** A wasm function type as the calling convention needs it: parameter and result types in order. */
public record WasmSignature(List<WasmType> params, List<WasmType> results) {
  public WasmSignature {
    params = List.copyOf(params);
    results = List.copyOf(results);
  }

  public static WasmSignature of(List<WasmType> params, List<WasmType> results) {
    return new WasmSignature(params, results);
  }

  /** ValRaw slots an array call of this signature needs: {@code max(#params, #results)}. */
  public int valRawSlots() {
    return Math.max(params.size(), results.size());
  }

  @Override
  public String toString() {
    return params + " -> " + results;
  }
}
