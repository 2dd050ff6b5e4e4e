package dev.kiln.codegen.abi;

import dev.kiln.ir.Type;
import java.util.List;

/**
 * Where every wasm parameter and result of one signature lives under an ISA's {@link
 * CallConvention}.
 *
 * @param paramTypes the wasm parameter types (the vmctx pair is not listed: it is always in the
 *     first two integer parameter registers)
 * @param resultTypes the wasm result types
 * @param params one location per wasm parameter
 * @param results one location per wasm result
 * @param stackArgBytes size of the outgoing stack-argument area at the caller's SP, a multiple of
 *     the stack alignment
 * @param returnAreaBytes size of the return area the caller provides, a multiple of the stack
 *     alignment; 0 when every result fits in registers, and then no return-area pointer is passed
 * @param <G> the ISA's general-purpose register type
 * @param <F> the ISA's float and vector register type
 */
public record CallLayout<G, F>(List<Type> paramTypes, List<Type> resultTypes,
    List<ValueLocation<G, F>> params, List<ValueLocation<G, F>> results, int stackArgBytes,
    int returnAreaBytes) {
  /** Bytes of one ValRaw slot of an array call (the loader's {@code ValRaw}): any value, a v128 too. */
  public static final int VALRAW_SIZE = 16;

  public CallLayout {
    paramTypes = List.copyOf(paramTypes);
    resultTypes = List.copyOf(resultTypes);
    params = List.copyOf(params);
    results = List.copyOf(results);
  }

  /** Whether the caller passes a return-area pointer (the third integer parameter register). */
  public boolean hasReturnArea() {
    return returnAreaBytes > 0;
  }

  /** ValRaw slots an array call of this signature needs: {@code max(#params, #results)}. */
  public int valRawSlots() {
    return Math.max(paramTypes.size(), resultTypes.size());
  }

  /** Bytes of the ValRaw array a trampoline of this signature keeps: its slots, at least one. */
  public int valRawArrayBytes() {
    return VALRAW_SIZE * Math.max(1, valRawSlots());
  }
}
