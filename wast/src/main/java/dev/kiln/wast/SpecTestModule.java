package dev.kiln.wast;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.GlobalType;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.link.Linker;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.table.TableInstance;
import dev.kiln.loader.runtime.WasmValue;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code spectest} module every spec script may import from, as the reference interpreter
 * defines it ({@code interpreter/host/spectest.ml}): {@code print*} functions that print nothing the
 * scripts check, the globals {@code global_i32}/{@code global_i64} = 666 and {@code
 * global_f32}/{@code global_f64} = 666.6 (immutable), {@code table} of 10 funcrefs (maximum 20), its
 * 64-bit twin {@code table64} (WebAssembly 3.0) and {@code memory} of 1 page (maximum 2). Made
 * fresh for each script, in the script's store, and freed with it.
 */
final class SpecTestModule {
  static final String NAME = "spectest";

  private SpecTestModule() {}

  /**
   * Defines the module's exports in {@code linker} (owned by its store from then on).
   *
   * @param lazyTables whether the script's modules are compiled with lazily initialised funcref
   *     tables: an imported table must have the slot representation their code expects
   */
  static void defineIn(Linker linker, boolean lazyTables) {
    var store = linker.store();
    printer(linker, "print");
    printer(linker, "print_i32", ValType.I32);
    printer(linker, "print_i64", ValType.I64);
    printer(linker, "print_f32", ValType.F32);
    printer(linker, "print_f64", ValType.F64);
    printer(linker, "print_i32_f32", ValType.I32, ValType.F32);
    printer(linker, "print_f64_f64", ValType.F64, ValType.F64);
    global(linker, "global_i32", new WasmValue.I32(666));
    global(linker, "global_i64", new WasmValue.I64(666));
    global(linker, "global_f32", new WasmValue.F32(666.6f));
    global(linker, "global_f64", new WasmValue.F64(666.6));
    for (boolean is64 : new boolean[] {false, true}) {
      TableInstance table = TableInstance.createHost(store,
          new TableType(ValType.FUNCREF, new Limits(10, OptionalLong.of(20)), is64), 0, lazyTables);
      linker.define(NAME, is64 ? "table64" : "table", new Extern.Table(table));
    }
    MemoryInstance memory =
        MemoryInstance.createHost(store, new MemoryType(new Limits(1, OptionalLong.of(2)), false, false));
    linker.define(NAME, "memory", new Extern.Memory(memory));
  }

  private static void printer(Linker linker, String name, ValType... params) {
    linker.defineFunction(NAME, name, new FuncType(List.of(params), List.of()), args -> List.of());
  }

  private static void global(Linker linker, String name, WasmValue value) {
    linker.define(NAME, name, new Extern.Global(GlobalInstance.create(linker.store(), new GlobalType(value.type(), false),
        value)));
  }
}
