package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import org.junit.jupiter.api.Test;

/**
 * A function's local count is the attacker's: five bytes declare 2^32 - 1 of them, and the compiler
 * declares a variable and sizes its per-local tables for each, read or not. Red team 30, finding
 * F2: at 2^20 locals a 10.9 KB module of 1,000 such functions took 23 s of CPU and 819 MB. The
 * translator refuses a function of more than 50,000 locals (the JS API's limit) at its body's
 * start, before declaring any.
 */
class ManyLocalsTest {
  @Test
  void theTranslatorRefusesMoreLocalsThanTheJsApiLimitAtTheBodysStart() {
    Module module = Wasm.load(module(FuncTranslator.MAX_LOCALS + 1));
    ModuleEnvironment env = new ModuleEnvironment(module);
    UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
        () -> FuncTranslator.translate(env, 0));
    assertEquals("50001 locals at 0x" + Integer.toHexString(module.code().get(0).bodyStart())
        + " in function 0 is not supported yet", e.getMessage());
  }

  @Test
  void theLimitItselfIsTranslated() {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(module(FuncTranslator.MAX_LOCALS)));
    assertDoesNotThrow(() -> FuncTranslator.translate(env, 0));
  }

  /** One function of no parameters and {@code locals} i32 locals, whose body is its {@code end}. */
  private static byte[] module(int locals) {
    byte[] body = new WasmWriter().u32(1).u32(locals).u8(0x7F).u8(0x0B).toByteArray();
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, new WasmWriter().u8(0x60).u32(0).u32(0))
        .vectorSection(ModuleWriter.FUNCTION, 1, new WasmWriter().u8(0))
        .vectorSection(ModuleWriter.CODE, 1, new WasmWriter().u32(body.length).bytes(body))
        .toByteArray();
  }
}
