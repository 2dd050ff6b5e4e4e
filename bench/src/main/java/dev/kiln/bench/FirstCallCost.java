package dev.kiln.bench;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wasi.WasiConfig;
import dev.kiln.wasi.WasiHost;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/run first-call [CALLS]}: what the first call of a path from wasm into Java costs beside
 * a warm one (issue 13 item 4), in this fresh JVM on x86-64. The guest exports {@code nop} (the
 * entry alone), {@code host} (a Java host function returning its argument: the store's host-call
 * upcall and the host function's dispatch alone), {@code wasi} (one call of the WASI function {@code clock_time_get}: the store's
 * host-call upcall, the WASI dispatch) and {@code grow} ({@code memory.grow 1}: the compiled
 * memory.grow builtin and its mprotect of one new page, no Java). After instantiating (timed, with the classes it loaded), each export is
 * called CALLS times (default 1000) from Java: the first call, the last one and the median of the
 * last hundred, in microseconds, and the classes the JVM loaded (hidden ones included: method
 * handle forms) during the first call. {@code nop} runs first, so the others' first calls do not
 * pay for the entry path. Wall-clock: say the load average beside the numbers.
 */
public final class FirstCallCost {
  private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

  private FirstCallCost() {}

  public static void main(String[] args) throws Exception {
    int calls = BenchArguments.parse("first-call", "[CALLS]", args,
        a -> a.hasNext() ? a.count("CALLS", a.next()) : 1000);
    CompiledModule compiled = Compiler.compile(Wasm.load(module()), X64Backend.forHost(), CompileOptions.defaults());
    byte[] artifact = ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "first-call");
    try (NativeStore store = new NativeStore(); LoadedModule module = LoadedModule.fromBytes(artifact, null, ExecutionLimits.NONE)) {
      ImportNamespace linker = new ImportNamespace(store);
      WasiHost.define(linker, WasiConfig.builder().build());
      linker.defineFunction("env", "same", new FuncType(List.of(ValType.I32), List.of(ValType.I32)), values -> values);
      long classes = CLASSES.getTotalLoadedClassCount();
      long start = System.nanoTime();
      LoadedInstance instance = linker.instantiate(module);
      long nanos = System.nanoTime() - start;
      System.out.printf(Locale.ROOT, "instantiate: %.1f us, %d classes loaded%n", nanos / 1e3,
          CLASSES.getTotalLoadedClassCount() - classes);
      for (String export : new String[] {"nop", "host", "wasi", "grow"}) {
        report(instance, export, calls);
      }
      instance.close();
    }
  }

  private static void report(LoadedInstance instance, String export, int calls) {
    long[] nanos = new long[calls];
    long classes = CLASSES.getTotalLoadedClassCount();
    long firstClasses = 0;
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      if (export.equals("grow")) {
        instance.invoke(export, 1);
      } else if (export.equals("host")) {
        instance.invoke(export, 0);
      } else {
        instance.invoke(export);
      }
      nanos[i] = System.nanoTime() - start;
      if (i == 0) {
        firstClasses = CLASSES.getTotalLoadedClassCount() - classes;
      }
    }
    long[] tail = Arrays.copyOfRange(nanos, Math.max(1, calls - 100), calls);
    Arrays.sort(tail);
    System.out.printf(Locale.ROOT, "%-5s first %8.1f us (%3d classes loaded)   call %d %6.1f us   median of the last %d %6.1f us%n",
        export, nanos[0] / 1e3, firstClasses, calls, nanos[calls - 1] / 1e3, tail.length, tail[tail.length / 2] / 1e3);
  }

  /**
   * {@code (module (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32)
   * (result i32))) (import "env" "same" (func (param i32) (result i32))) (memory (export "memory") 1) (func (export "nop")) (func (export "wasi") (result
   * i32) (call 0 (i32.const 1) (i64.const 0) (i32.const 0))) (func (export "grow") (param i32)
   * (result i32) (memory.grow (local.get 0))) (func (export "host") (param i32) (result i32) (call 1 (local.get
   * 0))))}, in the binary format (spec 5.5).
   */
  static byte[] module() {
    ModuleWriter out = new ModuleWriter();
    out.section(ModuleWriter.TYPE, new WasmWriter().raw(0x04,
        0x60, 0x03, 0x7F, 0x7E, 0x7F, 0x01, 0x7F, // (i32 i64 i32) -> i32
        0x60, 0x00, 0x00, // [] -> []
        0x60, 0x00, 0x01, 0x7F, // [] -> i32
        0x60, 0x01, 0x7F, 0x01, 0x7F)); // i32 -> i32
    WasmWriter imports = new WasmWriter().u8(2)
        .name("wasi_snapshot_preview1").name("clock_time_get").raw(0x00, 0x00)
        .name("env").name("same").raw(0x00, 0x03);
    out.section(ModuleWriter.IMPORT, imports);
    out.section(ModuleWriter.FUNCTION, new WasmWriter().raw(0x04, 0x01, 0x02, 0x03, 0x03));
    out.section(ModuleWriter.MEMORY, new WasmWriter().raw(0x01, 0x00, 0x01)); // one memory, min 1 page
    WasmWriter exports = new WasmWriter().u8(5)
        .name("memory").raw(0x02, 0x00)
        .name("nop").raw(0x00, 0x02)
        .name("wasi").raw(0x00, 0x03)
        .name("grow").raw(0x00, 0x04)
        .name("host").raw(0x00, 0x05);
    out.section(ModuleWriter.EXPORT, exports);
    out.section(ModuleWriter.CODE, new WasmWriter().raw(0x04,
        0x02, 0x00, 0x0B, // nop
        0x0A, 0x00, 0x41, 0x01, 0x42, 0x00, 0x41, 0x00, 0x10, 0x00, 0x0B, // call clock_time_get(1, 0, 0)
        0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0B, // memory.grow (local.get 0)
        0x06, 0x00, 0x20, 0x00, 0x10, 0x01, 0x0B)); // call env.same (local.get 0)
    return out.toByteArray();
  }
}
