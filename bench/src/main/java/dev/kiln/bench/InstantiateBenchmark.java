package dev.kiln.bench;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.PoolingAllocation;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * An instance per request through the public API (issue 41): a new {@link Store}, instantiate, the
 * typed handle of export {@code fac}, one call {@code fac(20)}, close the store. The module is
 * compiled once per trial and shared by every thread, as a server would; the thread count comes
 * from {@link InstantiateRun}. Throughput in cycles per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class InstantiateBenchmark {
  /** One of {@link CycleModule}'s names: {@code hello} or {@code memory}. */
  @Param({"hello"})
  public String module;

  /**
   * {@code on-demand} (the engine's default: each memory reserved and freed by its instance) or
   * {@code pooled} ({@link Engine.Builder#pooling}, two slots a thread, 1 MiB of memory a slot).
   */
  @Param({"on-demand"})
  public String allocation;

  private Engine engine;
  private WasmModule compiled;

  @Setup(Level.Trial)
  public void compile(BenchmarkParams params) {
    Engine.Builder builder = Engine.builder();
    switch (allocation) {
      case "on-demand" -> { }
      case "pooled" -> builder.pooling(
          PoolingAllocation.ofInstances(Math.max(4, 2 * params.getThreads())).withMaxMemoryBytes(1 << 20));
      default -> throw new IllegalArgumentException("allocation: on-demand or pooled, not " + allocation);
    }
    engine = builder.build();
    compiled = WasmModule.compile(engine, CycleModule.named(module).wasm());
  }

  @Benchmark
  public long cycle() {
    try (Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(compiled);
      return instance.func("fac", LongUnaryOperator.class).applyAsLong(20);
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    compiled.close();
  }
}
