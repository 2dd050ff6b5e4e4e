package dev.kiln.bench;

import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wasm.Wasm;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Wasmtime's {@code call-indirect} benchmark ({@code benches/call.rs}, {@code mod indirect}) on
 * Kiln: both modules are compiled once per trial with the table-lazy-init setting under test;
 * before each measured call a fresh {@link NativeStore}, table instance and run instance importing the
 * table (not timed, as upstream's {@code iter_custom}); only {@code run(0, 65536)} is timed. The
 * Java entry path is JIT-compiled first (see {@link #warmEntryPath}). One
 * single-shot iteration is one such call, so JMH's percentiles over the iterations are the
 * distribution of single runs, whose median {@link CallIndirectRun} prints.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 20, batchSize = 1)
@Measurement(iterations = 50, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class CallIndirectBenchmark {
  /** {@code same-callee} or {@code different-callees}. */
  @Param({"same-callee", "different-callees"})
  public String callees;

  /** The table-lazy-init compile setting. */
  @Param({"true", "false"})
  public boolean lazy;

  private LoadedModule tableModule;
  private LoadedModule runModule;
  private NativeStore store;
  private LoadedInstance table;
  private LoadedInstance run;

  @Setup(Level.Trial)
  public void compile() {
    CallIndirectModules.Case c = caseOf(callees);
    tableModule = load(CallIndirectModules.tableModule(c), lazy);
    runModule = load(CallIndirectModules.runModule(c), lazy);
    warmEntryPath();
  }

  /**
   * JIT-compiles the Java side of a call into wasm ({@link LoadedInstance#invoke}: export lookup, argument
   * slots, the downcall) before anything is measured: each measured iteration calls it once, so 70
   * iterations alone would leave it interpreted and time the interpreter. Calls {@code run(0, 0)},
   * which returns at once, so the wasm side is not warmed beyond what the measured runs do.
   */
  private void warmEntryPath() {
    instantiate();
    try {
      for (int i = 0; i < WARM_ENTRY_CALLS; i++) {
        run.invoke("run", 0, 0);
      }
    } finally {
      release();
    }
  }

  /** Entry calls before measuring (enough for C2 to compile the path). */
  static final int WARM_ENTRY_CALLS = 50_000;

  static CallIndirectModules.Case caseOf(String label) {
    for (CallIndirectModules.Case c : CallIndirectModules.Case.values()) {
      if (c.label().equals(label)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no case " + label);
  }

  /** Compiles {@code wasm} for the host with {@code lazy} and loads the artifact. */
  static LoadedModule load(byte[] wasm, boolean lazy) {
    CompiledModule compiled = Compiler.compile(Wasm.load(wasm), X64Backend.forHost(),
        CompileOptions.defaults().withTableLazyInit(lazy));
    return LoadedModule.fromBytes(ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "bench"), null);
  }

  /** A fresh store with both instances, the run module importing the table module's table. */
  @Setup(Level.Iteration)
  public void instantiate() {
    store = new NativeStore();
    table = LoadedInstance.instantiate(tableModule, store);
    run = LoadedInstance.instantiate(runModule, store, List.of(table.export("table").orElseThrow()));
  }

  @Benchmark
  public Object run() {
    return run.invoke("run", 0, CallIndirectModules.CALLS);
  }

  @TearDown(Level.Iteration)
  public void release() {
    run.close();
    table.close();
    store.close();
  }

  @TearDown(Level.Trial)
  public void unload() {
    runModule.close();
    tableModule.close();
  }
}
