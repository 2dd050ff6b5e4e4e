package dev.kiln.bench;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.GcPauses;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.wasm.Wasm;
import java.util.List;

/**
 * A benchmark program on Kiln (bench/gc, bench/exceptions): compiled once for a target (AArch64 code
 * on an x86-64 host runs on the loader's Unicorn executor), then each {@link #run} in a new store
 * and instance, timing the call of the export alone. The loader's API rather than the public one,
 * because the store's collection count ({@link NativeStore#gcCollections}) is only there (the
 * pauses are public too, {@code Store.gcStatistics}).
 */
public final class KilnExportRun implements AutoCloseable {
  /**
   * One call: its result, its wall time, the collections the store made during it and each one's
   * pause ({@link NativeStore#gcPauses}; the earliest dropped past the store's record of the latest).
   */
  public record Measurement(long result, double millis, long collections, List<GcPauses.Pause> pauses) {}

  private final LoadedModule module;

  public KilnExportRun(byte[] wasm, Target target) {
    Backend backend = target == Target.X86_64 ? X64Backend.forHost() : new AArch64Backend(false);
    CompiledModule compiled = Compiler.compile(Wasm.load(wasm), backend, CompileOptions.defaults());
    module = LoadedModule.fromBytes(ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "bench"), null);
  }

  /** Calls {@code run(args...)}, as {@link #run(String, long...)}. */
  public Measurement run(long... args) {
    return run("run", args);
  }

  /**
   * Calls {@code export(args...)}, which returns one i64, in a fresh store, which is closed (its
   * heap and exception objects freed) afterwards.
   */
  public Measurement run(String export, long... args) {
    try (NativeStore store = new NativeStore()) {
      LoadedInstance instance = LoadedInstance.instantiate(module, store);
      long before = store.gcCollections();
      long t0 = System.nanoTime();
      List<WasmValue> results = instance.invoke(export, args);
      long t1 = System.nanoTime();
      long collections = store.gcCollections() - before;
      List<GcPauses.Pause> latest = store.gcPauses().latest();
      List<GcPauses.Pause> pauses = latest.subList((int) Math.max(0, latest.size() - collections), latest.size());
      instance.close();
      if (results.size() != 1 || !(results.getFirst() instanceof WasmValue.I64 value)) {
        throw new IllegalStateException(export + " returned " + results + ", not one i64");
      }
      return new Measurement(value.value(), (t1 - t0) / 1e6, collections, List.copyOf(pauses));
    }
  }

  @Override
  public void close() {
    module.close();
  }
}
