package dev.kiln.runtime.sidebyside;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Memory;
import dev.kiln.runtime.PoolingAllocation;
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

/** The tasks of docs/EMBEDDING.md in Kiln's API (the document quotes these methods' bodies). */
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

  /** An instance per request from an engine's instance pool (the pool's section of the document). */
  static int pooledRequests(Path wasm, int requests) {
    int total = 0;
    Engine engine = Engine.builder()
        .pooling(PoolingAllocation.ofInstances(256)      // instances alive at once, all stores together
            .withMaxMemoryBytes(64L << 20)               // a pooled memory grows to 64 MiB at most
            .withMemoriesPerInstance(1)
            .withVmContextBytes(1 << 20))
        .build();
    try (WasmModule module = WasmModule.compile(engine, wasm)) {
      for (int request = 0; request < requests; request++) {
        try (Store store = new Store(engine)) {        // per request, as without a pool
          Instance instance = new Linker(store).instantiate(module);
          total += instance.func("add", IntBinaryOperator.class).applyAsInt(request, 1);
        }
      }
    }
    return total;
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
