package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.testsupport.ThreadAllocation;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import org.junit.jupiter.api.Test;

/**
 * What a function's translation allocates must not grow with the module's type count. Red team 30,
 * finding F3: each function that made a call allocated a table of one entry per type of the
 * module, so 10^6 types (3 bytes each) made 20,000 one-call functions take 17.8 s. Counted in bytes
 * allocated by the translating thread, not in time.
 */
class ManyTypesTest {
  private static final int TYPES = 200_000;
  private static final int FUNCTIONS = 40;

  @Test
  void aCallsTranslationAllocatesNothingPerTypeOfTheModule() {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(module()));
    FuncTranslator.translate(env, 0); // the first translation's one-time work is not counted
    ThreadAllocation allocation = ThreadAllocation.start();
    for (int f = 1; f < FUNCTIONS; f++) {
      FuncTranslator.translate(env, f);
    }
    long perFunction = allocation.bytes() / (FUNCTIONS - 1);
    // a table of the types is 4 bytes each, 800,000 a function; a translation of a call is far less
    assertTrue(perFunction < TYPES, perFunction + " bytes allocated a function");
  }

  /** {@link #TYPES} types of {@code [] -> []}; {@link #FUNCTIONS} functions of the last, each calling function 0. */
  private static byte[] module() {
    WasmWriter types = new WasmWriter();
    for (int t = 0; t < TYPES; t++) {
      types.u8(0x60).u32(0).u32(0);
    }
    WasmWriter functions = new WasmWriter();
    WasmWriter bodies = new WasmWriter();
    for (int f = 0; f < FUNCTIONS; f++) {
      functions.u32(TYPES - 1);
      bodies.u32(4).u8(0).u8(0x10).u8(0).u8(0x0B); // no locals, call 0, end
    }
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, TYPES, types)
        .vectorSection(ModuleWriter.FUNCTION, FUNCTIONS, functions)
        .vectorSection(ModuleWriter.CODE, FUNCTIONS, bodies)
        .toByteArray();
  }
}
