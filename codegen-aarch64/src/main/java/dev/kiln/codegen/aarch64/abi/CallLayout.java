package dev.kiln.codegen.aarch64.abi;

import dev.kiln.ir.Type;
import java.util.List;

/**
 * Where every wasm parameter and result of one signature lives under {@link WasmCallConv}.
 *
 * @param paramTypes the wasm parameter types (the vmctx pair is not listed: it is always in
 *     {@link WasmCallConv#CALLEE_VMCTX} and {@link WasmCallConv#CALLER_VMCTX})
 * @param resultTypes the wasm result types
 * @param params one location per wasm parameter
 * @param results one location per wasm result
 * @param stackArgBytes size of the outgoing stack-argument area at the caller's SP, a multiple of 16
 * @param returnAreaBytes size of the return area the caller provides, a multiple of 16; 0 when every
 *     result fits in registers, and then no return-area pointer is passed
 */
public record CallLayout(List<Type> paramTypes, List<Type> resultTypes, List<ValueLocation> params,
    List<ValueLocation> results, int stackArgBytes, int returnAreaBytes) {
  public CallLayout {
    paramTypes = List.copyOf(paramTypes);
    resultTypes = List.copyOf(resultTypes);
    params = List.copyOf(params);
    results = List.copyOf(results);
  }

  /** Whether the caller passes a return-area pointer in {@link WasmCallConv#RETURN_AREA_POINTER}. */
  public boolean hasReturnArea() {
    return returnAreaBytes > 0;
  }
}
