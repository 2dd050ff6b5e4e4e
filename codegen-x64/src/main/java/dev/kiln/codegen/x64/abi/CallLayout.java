package dev.kiln.codegen.x64.abi;

import java.util.List;

/**
 * Where every parameter and result of one signature lives under {@link WasmCallConv}.
 *
 * @param signature the wasm signature
 * @param params one location per wasm parameter (the two vmctx parameters are not listed: they are
 *     always {@link WasmCallConv#CALLEE_VMCTX} and {@link WasmCallConv#CALLER_VMCTX})
 * @param results one location per wasm result
 * @param stackArgBytes size of the outgoing stack-argument area at the caller's SP, a multiple of 16
 * @param returnAreaBytes size of the return area the caller provides, a multiple of 16; 0 when every
 *     result fits in registers, in which case no return-area pointer is passed
 */
public record CallLayout(WasmSignature signature, List<ValueLocation> params,
    List<ValueLocation> results, int stackArgBytes, int returnAreaBytes) {
  public CallLayout {
    params = List.copyOf(params);
    results = List.copyOf(results);
  }

  /** Whether the caller passes a return-area pointer in {@link WasmCallConv#RETURN_AREA_POINTER}. */
  public boolean hasReturnArea() {
    return returnAreaBytes > 0;
  }
}
