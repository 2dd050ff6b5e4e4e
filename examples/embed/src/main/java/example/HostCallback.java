package example;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Trap;
import dev.kiln.runtime.ValType;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntUnaryOperator;

/**
 * Kiln's embedding API in one file: compile a .wasm, define host functions in Java, call a wasm
 * export that calls back into Java through a typed handle, and turn a host exception into a wasm
 * trap with its backtrace.
 */
public final class HostCallback {
  public static void main(String[] args) {
    Path wasm = Path.of(args.length > 0 ? args[0] : "callback.wasm");
    Engine engine = Engine.create();
    try (WasmModule module = WasmModule.compile(engine, wasm); Store store = new Store(engine)) {
      Linker linker = new Linker(store);
      // (i32 f64) -> (): no java.util.function shape, so the body takes and returns Vals.
      linker.func("host", "log", FuncType.of(List.of(ValType.I32, ValType.F64), List.of()), (caller, params) -> {
        System.out.println("wasm says: fib = " + params.get(0).asInt() + ", ratio = " + params.get(1).asDouble());
        return List.of();
      });
      // (i32) -> (): a plain lambda.
      linker.func("host", "fail", IntConsumer.class, code -> {
        if (code != 0) {
          throw new IllegalArgumentException("the host rejects code " + code);
        }
      });
      try (Instance instance = linker.instantiate(module)) {
        IntUnaryOperator run = instance.func("run", IntUnaryOperator.class);
        System.out.println("Java got: " + run.applyAsInt(25));
        IntConsumer check = instance.func("check", IntConsumer.class);
        check.accept(0);
        try {
          check.accept(7);
        } catch (Trap trap) {
          System.out.println("trap: " + trap.getMessage());
          System.out.println("  wasm backtrace: " + trap.backtrace());
        }
      }
    }
  }
}
