package dev.kiln.bench;

import static dev.kiln.bench.WasmBytes.bytes;
import static dev.kiln.bench.WasmBytes.header;
import static dev.kiln.bench.WasmBytes.name;
import static dev.kiln.bench.WasmBytes.section;
import static dev.kiln.bench.WasmBytes.sleb;
import static dev.kiln.bench.WasmBytes.uleb;

import java.io.ByteArrayOutputStream;

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
    ByteArrayOutputStream out = header();
    section(out, 1, bytes(0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F)); // one type: (i32) -> i32

    ByteArrayOutputStream funcs = new ByteArrayOutputStream();
    uleb(funcs, functions);
    for (int i = 0; i < functions; i++) {
      uleb(funcs, 0);
    }
    section(out, 3, funcs.toByteArray());

    ByteArrayOutputStream exports = new ByteArrayOutputStream();
    int exported = (functions + 99) / 100;
    uleb(exports, exported);
    for (int i = 0; i < exported; i++) {
      name(exports, "f" + (i * 100));
      exports.write(0x00); // function
      uleb(exports, i * 100);
    }
    section(out, 7, exports.toByteArray());

    ByteArrayOutputStream code = new ByteArrayOutputStream();
    uleb(code, functions);
    for (int i = 0; i < functions; i++) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(0x00); // no locals
      body.writeBytes(bytes(0x20, 0x00)); // local.get 0
      for (int k = 0; k < addsPerFunction; k++) {
        body.write(0x41); // i32.const
        sleb(body, i + k);
        body.write(0x6A); // i32.add
      }
      if (i + 1 < functions) {
        body.write(0x10); // call the next function with the sum
        uleb(body, i + 1);
      }
      body.write(0x0B); // end
      uleb(code, body.size());
      code.writeBytes(body.toByteArray());
    }
    section(out, 10, code.toByteArray());
    return out.toByteArray();
  }
}
