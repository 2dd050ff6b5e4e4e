package dev.kiln.tests.limits;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Func;
import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.Val;
import dev.kiln.runtime.ValType;
import dev.kiln.runtime.WasmModule;
import dev.kiln.wat.Wat;
import java.util.List;

/**
 * A hostile guest's recursion through the host, wasm -> host -> wasm, as red team 8 ran it (F2): a
 * host function that calls back into an export, on threads of small stacks, with raised depth
 * limits, and alternating between stores. Run in a child JVM ({@link HostReentryStackTest}): before
 * the fix, a {@code StackOverflowError} inside the emulator's FFM upcall ended the JVM (exit 134).
 * Prints one line per scenario: its name, then how the outermost call ended.
 *
 * <p>args: {@code x86_64} or {@code aarch64}.
 */
public final class HostReentryScenarios {
  /** recurse {@code d} levels of wasm, then re-enter through the host with {@code lvl - 1} */
  static final String GUEST = """
      (module
        (import "env" "h" (func $h (param i32) (result i32)))
        (func $deep (param i32) (result i32)
          (if (result i32) (i32.eqz (local.get 0))
            (then (i32.const 0))
            (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1)))))))
        (func (export "rec") (param $lvl i32) (param $d i32) (result i32)
          (drop (call $deep (local.get $d)))
          (call $h (local.get $lvl))))
      """;

  private HostReentryScenarios() {}

  public static void main(String[] args) throws Exception {
    Engine engine = args[0].equals("aarch64") ? Engine.builder().target(Target.AARCH64).build() : Engine.create();
    WasmModule module = WasmModule.compile(engine, Wat.toBinary(GUEST, "reenter.wat"));
    scenario(engine, module, "192KiB-default", 1, 0, 192, 100, 0, false);
    scenario(engine, module, "144KiB-default", 1, 0, 144, 100, 0, false);
    scenario(engine, module, "256KiB-limit5000", 1, 5000, 256, 5000, 0, false);
    scenario(engine, module, "256KiB-limit5000-deepwasm", 1, 5000, 256, 5000, 200, false);
    scenario(engine, module, "1MiB-2stores-default", 2, 0, 1024, 1000, 0, false);
    scenario(engine, module, "1MiB-8stores-default", 8, 0, 1024, 1000, 0, false);
    scenario(engine, module, "1MiB-3stores-limit5000", 3, 5000, 1024, 5000, 0, false);
    scenario(engine, module, "virtual-limit5000", 1, 5000, 0, 5000, 0, true);
    System.out.println("survived");
  }

  /**
   * Recursion of {@code levels} host calls alternating over {@code stores} stores (limit 0: the
   * default), on a platform thread of {@code stackKiB} or a virtual thread.
   */
  private static void scenario(Engine engine, WasmModule module, String name, int stores, int limit, int stackKiB,
      int levels, int wasmDepth, boolean virtual) throws Exception {
    Func[] rec = new Func[stores];
    Store[] opened = new Store[stores];
    for (int k = 0; k < stores; k++) {
      Store.Builder builder = Store.builder(engine);
      if (limit > 0) {
        builder.maxHostCallDepth(limit);
      }
      Store store = builder.build();
      opened[k] = store;
      Linker linker = new Linker(store);
      linker.func("env", "h", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)), (caller, a) -> {
        int lvl = a.get(0).asInt();
        return lvl == 0 ? List.of(Val.i32(0)) : rec[lvl % stores].call(Val.i32(lvl - 1), Val.i32(wasmDepth));
      });
      rec[k] = linker.instantiate(module).func("rec");
    }
    Runnable body = () -> {
      String outcome;
      try {
        outcome = "returned " + rec[levels % stores].call(Val.i32(levels), Val.i32(wasmDepth));
      } catch (Throwable t) {
        outcome = t.getClass().getName() + ": " + t.getMessage();
      }
      System.out.println(name + ": " + outcome);
    };
    Thread thread = virtual ? Thread.ofVirtual().unstarted(body) : new Thread(null, body, name, (long) stackKiB << 10);
    thread.start();
    thread.join();
    for (Store store : opened) {
      store.close();
    }
  }
}
