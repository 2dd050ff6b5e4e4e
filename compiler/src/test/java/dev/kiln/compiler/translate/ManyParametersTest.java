package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A function's parameter and result counts are the attacker's. Red team 4, finding F1: a 100 KB
 * module of one function of 100,000 parameters compiled for minutes past its budget. Red team 27,
 * finding F2: at 65,535 results, a two-byte call moved 65,535 values, and an 80 KB module of calls
 * made 124 MB of code and needed 6.2 GB to compile. The decoder refuses a function type of more than
 * 1,000 parameters or results (the WebAssembly JS API's limits) at the count.
 */
class ManyParametersTest {
  @Test
  void theDecoderRefusesMoreParamsOrResultsThanTheJsApiLimitsAtTheirCount() {
    byte[] params = module(ImplementationLimitException.MAX_FUNCTION_PARAMS + 1, 0);
    ImplementationLimitException e = assertThrows(ImplementationLimitException.class, () -> Wasm.decode(params));
    // header 8 bytes, section id, section size (2 bytes), type count, 0x60: the count is at 0xd
    assertEquals("at 0xd: 1001 params of a function type, more than Kiln's implementation limit of 1000",
        e.getMessage());

    byte[] results = module(0, ImplementationLimitException.MAX_FUNCTION_RESULTS + 1);
    ImplementationLimitException r = assertThrows(ImplementationLimitException.class, () -> Wasm.decode(results));
    assertEquals("at 0xe: 1001 results of a function type, more than Kiln's implementation limit of 1000",
        r.getMessage());
  }

  @Test
  void theLimitsThemselvesAreAdmittedAndCompiled() {
    byte[] atTheLimits = module(ImplementationLimitException.MAX_FUNCTION_PARAMS,
        ImplementationLimitException.MAX_FUNCTION_RESULTS);
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(atTheLimits));
    assertDoesNotThrow(() -> FuncTranslator.translate(env, 0));
  }

  @Test
  void theDecodersLimitsFitTheArtifact() {
    assertEquals(FuncType.MAX_ARITY, ImplementationLimitException.MAX_ARITY);
    assertTrue(ImplementationLimitException.MAX_FUNCTION_PARAMS <= FuncType.MAX_ARITY);
    assertTrue(ImplementationLimitException.MAX_FUNCTION_RESULTS <= FuncType.MAX_ARITY);
  }

  /**
   * One type of {@code params} i32 parameters and {@code results} i32 results; one function of it,
   * whose body returns {@code results} zeros.
   */
  private static byte[] module(int params, int results) {
    WasmWriter type = new WasmWriter().u8(0x60).u32(params).bytes(i32s(params)).u32(results).bytes(i32s(results));
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, type)
        .vectorSection(ModuleWriter.FUNCTION, 1, new WasmWriter().u8(0)) // one function of type 0
        .vectorSection(ModuleWriter.CODE, 1, body(results))
        .toByteArray();
  }

  /** A body (its size first) of no locals, {@code results} {@code i32.const 0} and end. */
  private static WasmWriter body(int results) {
    byte[] code = new byte[1 + 2 * results + 1];
    for (int i = 0; i < results; i++) {
      code[1 + 2 * i] = 0x41; // i32.const 0
    }
    code[code.length - 1] = 0x0B;
    return new WasmWriter().u32(code.length).bytes(code);
  }

  private static byte[] i32s(int n) {
    byte[] types = new byte[n];
    Arrays.fill(types, (byte) 0x7F);
    return types;
  }
}
