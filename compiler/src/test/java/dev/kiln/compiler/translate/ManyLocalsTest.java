package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import org.junit.jupiter.api.Test;

/**
 * A function's local count is the attacker's: five bytes declare 2^32 - 1 of them, and the compiler
 * declares a variable and sizes its per-local tables for each, read or not. Red team 30, finding
 * F2: at 2^20 locals a 10.9 KB module of 1,000 such functions took 23 s of CPU and 819 MB. The
 * decoder refuses a body of more than 50,000 declared locals (the JS API's limit) at its
 * declarations; past 2^32 - 1 a body stays malformed, as the spec says.
 */
class ManyLocalsTest {
  @Test
  void theDecoderRefusesMoreLocalsThanTheJsApiLimitAtTheDeclarations() {
    byte[] module = module(ImplementationLimitException.MAX_FUNCTION_LOCALS + 1L);
    ImplementationLimitException e = assertThrows(ImplementationLimitException.class, () -> Wasm.decode(module));
    // header 8, type section 6, function section 4, code section id, size and count 3, body size 1:
    // the declarations' count is at 0x16
    assertEquals("at 0x16: 50001 locals of a function, more than Kiln's implementation limit of 50000",
        e.getMessage());
  }

  @Test
  void moreThanTheSpecsBoundIsStillMalformed() {
    byte[] module = module(0x1_0000_0000L);
    MalformedException e = assertThrows(MalformedException.class, () -> Wasm.decode(module));
    assertEquals("at 0x16: too many locals", e.getMessage());
  }

  @Test
  void theLimitItselfIsAdmittedAndCompiled() {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(module(ImplementationLimitException.MAX_FUNCTION_LOCALS)));
    assertDoesNotThrow(() -> FuncTranslator.translate(env, 0));
  }

  /**
   * One function of no parameters and {@code locals} i32 locals, declared in two runs (each below
   * 2^32), whose body is its {@code end}.
   */
  private static byte[] module(long locals) {
    long first = locals / 2;
    WasmWriter declarations = new WasmWriter().u32(2).u32(first).u8(0x7F).u32(locals - first).u8(0x7F).u8(0x0B);
    byte[] body = declarations.toByteArray();
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, new WasmWriter().u8(0x60).u32(0).u32(0))
        .vectorSection(ModuleWriter.FUNCTION, 1, new WasmWriter().u8(0))
        .vectorSection(ModuleWriter.CODE, 1, new WasmWriter().u32(body.length).bytes(body))
        .toByteArray();
  }
}
