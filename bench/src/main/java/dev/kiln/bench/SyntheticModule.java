package dev.kiln.bench;

import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;

/**
 * Writes a valid module of a chosen size in the binary format: {@code functions} functions of type
 * {@code (i32) -> i32}, each adding {@code addsPerFunction} constants to its argument and passing the
 * sum to the next function, so that every function is live (the linker drops unreachable ones);
 * every hundredth one is exported (so the artifact also holds host-entry trampolines). Load
 * benchmarks need modules much larger than the corpus's compilable ones, with code size as the
 * only variable.
 */
final class SyntheticModule {
  private SyntheticModule() {}

  static byte[] build(int functions, int addsPerFunction) {
    ModuleWriter out = new ModuleWriter();
    out.section(ModuleWriter.TYPE, new WasmWriter().raw(0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F)); // one type: (i32) -> i32

    WasmWriter funcs = new WasmWriter();
    funcs.u32(functions);
    for (int i = 0; i < functions; i++) {
      funcs.u32(0);
    }
    out.section(ModuleWriter.FUNCTION, funcs);

    WasmWriter exports = new WasmWriter();
    int exported = (functions + 99) / 100;
    exports.u32(exported);
    for (int i = 0; i < exported; i++) {
      exports.name("f" + (i * 100));
      exports.u8(0x00); // function
      exports.u32(i * 100);
    }
    out.section(ModuleWriter.EXPORT, exports);

    WasmWriter code = new WasmWriter();
    code.u32(functions);
    for (int i = 0; i < functions; i++) {
      WasmWriter body = new WasmWriter();
      body.u8(0x00); // no locals
      body.raw(0x20, 0x00); // local.get 0
      for (int k = 0; k < addsPerFunction; k++) {
        body.u8(0x41); // i32.const
        body.s32(i + k);
        body.u8(0x6A); // i32.add
      }
      if (i + 1 < functions) {
        body.u8(0x10); // call the next function with the sum
        body.u32(i + 1);
      }
      body.u8(0x0B); // end
      code.u32(body.size());
      code.bytes(body);
    }
    out.section(ModuleWriter.CODE, code);
    return out.toByteArray();
  }
}
