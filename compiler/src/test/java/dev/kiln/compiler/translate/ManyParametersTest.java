package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A function's parameter count is the attacker's (red team 4, finding F1): a 100 KB module of one
 * function of 100,000 parameters compiled for minutes past its budget, the work quadratic in the
 * count and not polled. The decoder refuses a function type past Kiln's arity limit at its count,
 * and the translation of a function polls the budget while it declares the parameters.
 */
class ManyParametersTest {
  @Test
  void theDecoderRefusesMoreParamsThanTheArityLimitAtTheirCount() {
    byte[] params = module(ImplementationLimitException.MAX_ARITY + 1, 0);
    ImplementationLimitException e = assertThrows(ImplementationLimitException.class, () -> Wasm.decode(params));
    // header 8 bytes, section id, section size (3 bytes), type count, 0x60: the count is at 0xe
    assertEquals("at 0xe: 65536 params of a function type, more than Kiln's implementation limit of 65535",
        e.getMessage());

    byte[] results = module(0, ImplementationLimitException.MAX_ARITY + 1);
    ImplementationLimitException r = assertThrows(ImplementationLimitException.class, () -> Wasm.decode(results));
    assertEquals("at 0xf: 65536 results of a function type, more than Kiln's implementation limit of 65535",
        r.getMessage());
  }

  @Test
  void theArityLimitItselfIsAdmitted() {
    byte[] atTheLimit = module(ImplementationLimitException.MAX_ARITY, ImplementationLimitException.MAX_ARITY);
    assertDoesNotThrow(() -> Wasm.decode(atTheLimit));
  }

  @Test
  void theDecodersArityLimitIsTheArtifactsLimit() {
    assertEquals(FuncType.MAX_ARITY, ImplementationLimitException.MAX_ARITY);
  }

  @Test
  void translatingAFunctionOfManyParamsPollsTheBudget() {
    // An empty body, unoptimised: the operator loop never reaches its poll and no pass runs, only
    // the parameters are work.
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(module(4 * CompileDeadline.POLL_INTERVAL, 0)));
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> FuncTranslator.translateUnoptimised(env, 0)));
    assertEquals(Phase.FUNCTIONS, e.phase());
  }

  /** One type of {@code params} i32 parameters and {@code results} i32 results; one function of it, body empty. */
  private static byte[] module(int params, int results) {
    WasmWriter type = new WasmWriter().u8(0x60).u32(params).bytes(i32s(params)).u32(results).bytes(i32s(results));
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, type)
        .vectorSection(ModuleWriter.FUNCTION, 1, new WasmWriter().u8(0)) // one function of type 0
        .vectorSection(ModuleWriter.CODE, 1, new WasmWriter().raw(2, 0, 0x0B)) // one body, no locals, end
        .toByteArray();
  }

  private static byte[] i32s(int n) {
    byte[] types = new byte[n];
    Arrays.fill(types, (byte) 0x7F);
    return types;
  }
}
