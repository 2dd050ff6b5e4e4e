package dev.kiln.compiler.testsupport;

import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;

/**
 * Red team 27's {@code calls} modules (finding F2): function 0 returns its {@code arity} i32
 * parameters as its results; function 1, {@code (i32) -> i32} and exported as {@code f}, pushes its
 * argument {@code arity} times, calls function 0 {@code calls} times (each call two bytes, taking
 * and giving back all the values) and drops all but one. The IR grows by about {@code 3 * arity}
 * per call: the most IR per byte the arity limit allows. {@code nops} {@code nop}s before the calls
 * make the body longer and its IR no larger; {@code callers} such functions make a module of that
 * many (functions 1 to {@code callers}).
 */
public final class WideCalls {
  private WideCalls() {}

  /** The module, in the binary format (spec 5.5). */
  public static byte[] module(int arity, int calls) {
    return module(arity, calls, 0);
  }

  /** The module with {@code nops} {@code nop}s before the calls. */
  public static byte[] module(int arity, int calls, int nops) {
    return module(arity, calls, nops, 1);
  }

  /** The module with {@code callers} calling functions. */
  public static byte[] module(int arity, int calls, int nops, int callers) {
    WasmWriter wide = new WasmWriter().u8(0x60).u32(arity);
    for (int i = 0; i < arity; i++) {
      wide.u8(0x7F);
    }
    wide.u32(arity);
    for (int i = 0; i < arity; i++) {
      wide.u8(0x7F);
    }
    WasmWriter types = new WasmWriter().bytes(wide).raw(0x60, 1, 0x7F, 1, 0x7F); // type 1: (i32) -> i32

    WasmWriter identity = new WasmWriter().u8(0); // no locals
    for (int i = 0; i < arity; i++) {
      identity.u8(0x20).u32(i); // local.get i
    }
    identity.u8(0x0B);
    WasmWriter caller = new WasmWriter().u8(0);
    for (int i = 0; i < arity; i++) {
      caller.raw(0x20, 0); // local.get 0
    }
    for (int i = 0; i < nops; i++) {
      caller.u8(0x01); // nop
    }
    for (int i = 0; i < calls; i++) {
      caller.raw(0x10, 0); // call 0
    }
    for (int i = 1; i < arity; i++) {
      caller.u8(0x1A); // drop
    }
    caller.u8(0x0B);
    WasmWriter code = new WasmWriter().u32(identity.size()).bytes(identity);
    WasmWriter functions = new WasmWriter().u8(0);
    for (int c = 0; c < callers; c++) {
      code.u32(caller.size()).bytes(caller);
      functions.u8(1);
    }
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 2, types)
        .vectorSection(ModuleWriter.FUNCTION, 1 + callers, functions)
        .vectorSection(ModuleWriter.EXPORT, 1, new WasmWriter().name("f").raw(0, 1)) // export "f" = function 1
        .vectorSection(ModuleWriter.CODE, 1 + callers, code)
        .toByteArray();
  }
}
