package dev.kiln.runtime.sidebyside;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Memory;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.ValType;
import dev.kiln.runtime.WasiExit;
import dev.kiln.runtime.WasiOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntBinaryOperator;

/** The three tasks of docs/EMBEDDING.md in Kiln's API (the document quotes these methods' bodies). */
final class KilnTasks {
  private KilnTasks() {}

  static int callExport(Path wasm) {
    Engine engine = Engine.create();
    try (WasmModule module = WasmModule.compile(engine, wasm); Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(module);
      IntBinaryOperator add = instance.func("add", IntBinaryOperator.class);
      return add.applyAsInt(2, 40);
    }
  }

  static String hostFunctionWithMemory(byte[] wasm) {
    StringBuilder printed = new StringBuilder();
    Engine engine = Engine.create();
    try (WasmModule module = WasmModule.compile(engine, wasm); Store store = new Store(engine)) {
      Linker linker = new Linker(store);
      linker.func("env", "print", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()), (caller, args) -> {
        Memory memory = caller.memory("memory").orElseThrow();
        printed.append(memory.readString(args.get(0).asInt(), args.get(1).asInt()));
        return List.of();
      });
      linker.instantiate(module).func("greet", Runnable.class).run();
    }
    return printed.toString();
  }

  static String runWasi(byte[] wasm) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Engine engine = Engine.create();
    try (WasmModule module = WasmModule.compile(engine, wasm); Store store = new Store(engine)) {
      Linker linker = new Linker(store).wasi(WasiOptions.builder().arg("hello").stdout(stdout).build());
      try {
        linker.instantiate(module).func("_start", Runnable.class).run();
      } catch (WasiExit exit) {
        System.err.println("exit status " + exit.status());
      }
    }
    return stdout.toString(StandardCharsets.UTF_8);
  }
}
