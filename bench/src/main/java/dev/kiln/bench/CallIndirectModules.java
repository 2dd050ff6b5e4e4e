package dev.kiln.bench;

import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;

/**
 * The two modules of Wasmtime's {@code benches/call.rs}, {@code mod indirect} (Wasmtime
 * pull request 11626), built as binary wasm (spec 5.5):
 *
 * <ul>
 *   <li>the table module: {@code (module (func) (table (export "table") N N funcref) (elem (table 0)
 *       (i32.const 0) func 0 0 ... 0))} with N = 5 for same-callee and 65,536 for
 *       different-callees, every slot holding the one empty function;
 *   <li>the run module, importing that table: {@code (type $ty (func)) (import "" "table" (table 0
 *       funcref)) (func (export "run") (param $callee i32) (param $calls i32) loop (if (i32.eqz
 *       $calls) (then return)) $calls -= 1; call_indirect (type $ty) $callee; [different-callees:
 *       $callee += 1] br 0 end)}.
 * </ul>
 */
public final class CallIndirectModules {
  /** Calls per timed run, as upstream. */
  public static final int CALLS = 65_536;

  /** The two cases of the benchmark. */
  public enum Case {
    SAME_CALLEE("same-callee", 5, false),
    DIFFERENT_CALLEES("different-callees", CALLS, true);

    private final String label;
    private final int slots;
    private final boolean advance;

    Case(String label, int slots, boolean advance) {
      this.label = label;
      this.slots = slots;
      this.advance = advance;
    }

    /** The name in the benchmark's output ({@code same-callee}, {@code different-callees}). */
    public String label() {
      return label;
    }

    /** Slots of the exported table. */
    public int slots() {
      return slots;
    }

    /** Whether the loop moves to the next slot after each call. */
    public boolean advancesCallee() {
      return advance;
    }
  }

  private CallIndirectModules() {}

  /** The table module of {@code c}. */
  public static byte[] tableModule(Case c) {
    ModuleWriter out = new ModuleWriter();
    out.section(ModuleWriter.TYPE, new WasmWriter().raw(0x01, 0x60, 0x00, 0x00)); // type 0: [] -> []
    out.section(ModuleWriter.FUNCTION, new WasmWriter().raw(0x01, 0x00)); // func 0: type 0
    WasmWriter table = new WasmWriter().u8(0x01);
    table.u8(0x70); // funcref
    table.u8(0x01); // limits with max
    table.u32(c.slots());
    table.u32(c.slots());
    out.section(ModuleWriter.TABLE, table);
    WasmWriter exports = new WasmWriter().u8(0x01).name("table");
    exports.u8(0x01); // table
    exports.u8(0x00);
    out.section(ModuleWriter.EXPORT, exports);
    WasmWriter elem = new WasmWriter().u8(0x01);
    elem.u8(0x00); // active, table 0, offset expression, function indices
    elem.raw(0x41, 0x00, 0x0B); // i32.const 0 end
    elem.u32(c.slots());
    for (int i = 0; i < c.slots(); i++) {
      elem.u8(0x00); // func 0
    }
    out.section(ModuleWriter.ELEMENT, elem);
    out.section(ModuleWriter.CODE, new WasmWriter().raw(0x01, 0x02, 0x00, 0x0B)); // one body: no locals, end
    return out.toByteArray();
  }

  /** The run module of {@code c}, importing {@code ("", "table")}. */
  public static byte[] runModule(Case c) {
    ModuleWriter out = new ModuleWriter();
    out.section(ModuleWriter.TYPE, new WasmWriter().raw(0x02, 0x60, 0x00, 0x00, 0x60, 0x02, 0x7F, 0x7F, 0x00)); // $ty; (i32 i32) -> []
    WasmWriter imports = new WasmWriter().u8(0x01).name("").name("table");
    imports.raw(0x01, 0x70, 0x00, 0x00); // table funcref, limits min 0
    out.section(ModuleWriter.IMPORT, imports);
    out.section(ModuleWriter.FUNCTION, new WasmWriter().raw(0x01, 0x01)); // run: type 1
    WasmWriter exports = new WasmWriter().u8(0x01).name("run");
    exports.raw(0x00, 0x00); // function 0
    out.section(ModuleWriter.EXPORT, exports);
    WasmWriter body = new WasmWriter();
    body.u8(0x00); // no locals besides the parameters
    body.raw(0x03, 0x40); // loop
    body.raw(0x20, 0x01, 0x45, 0x04, 0x40, 0x0F, 0x0B); // (if (i32.eqz $calls) (then return))
    body.raw(0x20, 0x01, 0x41, 0x01, 0x6B, 0x21, 0x01); // $calls -= 1
    body.raw(0x20, 0x00, 0x11, 0x00, 0x00); // call_indirect (type 0) (table 0) $callee
    if (c.advancesCallee()) {
      body.raw(0x20, 0x00, 0x41, 0x01, 0x6A, 0x21, 0x00); // $callee += 1
    }
    body.raw(0x0C, 0x00, 0x0B, 0x0B); // br 0, end loop, end function
    WasmWriter code = new WasmWriter().u8(0x01).u32(body.size()).bytes(body);
    out.section(ModuleWriter.CODE, code);
    return out.toByteArray();
  }
}
