package dev.kiln.runtime.sidebyside;

import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.FuncType;
import io.github.kawamuray.wasmtime.Instance;
import io.github.kawamuray.wasmtime.Linker;
import io.github.kawamuray.wasmtime.Memory;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.Val;
import io.github.kawamuray.wasmtime.WasmFunctions;
import io.github.kawamuray.wasmtime.WasmValType;
import io.github.kawamuray.wasmtime.wasi.WasiCtx;
import io.github.kawamuray.wasmtime.wasi.WasiCtxBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The three tasks of docs/EMBEDDING.md in wasmtime-java 0.19 (the document quotes these methods' bodies). */
final class WasmtimeJavaTasks {
  private WasmtimeJavaTasks() {}

  static int callExport(Path wasm) {
    try (Store<Void> store = Store.withoutData();
        Module module = Module.fromFile(store.engine(), wasm.toString());
        Instance instance = new Instance(store, module, List.of());
        Func add = instance.getFunc(store, "add").orElseThrow()) {
      WasmFunctions.Function2<Integer, Integer, Integer> typed =
          WasmFunctions.func(store, add, WasmValType.I32, WasmValType.I32, WasmValType.I32);
      return typed.call(2, 40);
    }
  }

  static String hostFunctionWithMemory(byte[] wasm) {
    StringBuilder printed = new StringBuilder();
    try (Store<Void> store = Store.withoutData();
        Module module = Module.fromBinary(store.engine(), wasm);
        Func print = new Func(store, FuncType.emptyResults(Val.Type.I32, Val.Type.I32), (caller, params, results) -> {
          Memory memory = caller.getExport("memory").orElseThrow().memory();
          ByteBuffer bytes = memory.buffer(store).slice(params[0].i32(), params[1].i32());
          printed.append(StandardCharsets.UTF_8.decode(bytes));
        });
        Instance instance = new Instance(store, module, List.of(Extern.fromFunc(print)));
        Func greet = instance.getFunc(store, "greet").orElseThrow()) {
      greet.call(store);
    }
    return printed.toString();
  }

  static String runWasi(byte[] wasm, Path scratch) throws IOException {
    Path stdout = scratch.resolve("stdout");
    WasiCtx wasi = new WasiCtxBuilder().arg("hello").stdout(stdout).build();
    try (Store<Void> store = Store.withoutData(wasi);
        Linker linker = new Linker(store.engine());
        Module module = Module.fromBinary(store.engine(), wasm)) {
      WasiCtx.addToLinker(linker);
      linker.module(store, "", module);
      try (Func start = linker.get(store, "", "_start").orElseThrow().func()) {
        start.call(store);
      }
    }
    return Files.readString(stdout);
  }
}
