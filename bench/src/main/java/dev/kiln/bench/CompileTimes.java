package dev.kiln.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.wasm.Parser;
import dev.kiln.runtime.tools.CompilePhases;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.compiler.link.LinkedText;
import dev.kiln.wasm.Wasm;
import io.github.kawamuray.wasmtime.Engine;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench/run compile [--warmup N] [--iterations N] [--jobs N] [FILE.wasm...]}: module compile
 * time of the largest non-SIMD sightglass programs on Kiln, Chicory and wasmtime-java in one warm JVM.
 * Each engine compiles each module {@code warmup} times unmeasured, then on until the JVM's JIT
 * compilers are idle, then {@code iterations} times measured; a row gives the median and the fastest
 * wall time and the median's wasm MB/s (10^6 bytes).
 *
 * <p>What each engine's compile is:
 *
 * <ul>
 *   <li>{@code kiln-jN} / {@code kiln-j1}: bytes to a finished .cwasm image in memory, exactly what
 *       {@code kiln compile} does before writing the file: decode + validate ({@code Wasm.load}),
 *       {@code Compiler.compile} on N threads (the available processors) or on one, link, emit the
 *       ELF image;
 *   <li>{@code chicory}: Chicory 1.7.5 {@code Parser.parse} (decode + validate) plus
 *       {@code MachineFactoryCompiler.compile}, its ahead-of-time translation of every function to JVM
 *       bytecode and the loading of those classes; the JVM's JIT compilation of that bytecode happens
 *       later, while the program runs, and is not included;
 *   <li>{@code wasmtime-java}: {@code Module.fromBinary} of wasmtime-java 0.19.0 (Wasmtime 7.0.1,
 *       Cranelift 0.94.1) on one {@code Engine} with its default config: decode, validate, Cranelift
 *       on every function on Wasmtime's own thread pool (parallel by default), link into executable
 *       memory; no compilation cache.
 * </ul>
 *
 * <p>After the table, one line per module gives what one single-threaded Kiln compile allocates and
 * its thread CPU time (the fewest of the measured runs: deterministic enough to compare on a loaded
 * machine, where wall time is not), then its split into phases ({@link CompilePhases}).
 */
public final class CompileTimes {
  /** The largest sightglass programs Kiln compiles (blake3-simd needs SIMD, which it refuses). */
  private static final List<String> DEFAULT_MODULES = List.of(
      "regex/benchmark.wasm", "shootout/shootout-ed25519.wasm", "pulldown-cmark/benchmark.wasm",
      "bz2/benchmark.wasm");

  /** Most compiles {@link #untilJitSettled} runs after the fixed warm-up. */
  private static final int MAX_SETTLING = 90;
  /** Consecutive quiet compiles that count as settled (one alone can fall between two JIT bursts). */
  private static final int QUIET_IN_A_ROW = 3;

  private CompileTimes() {}

  /** What to compile, and how often. */
  record Options(int warmup, int iterations, int jobs, List<Path> files) {}

  static Options options(BenchArguments a) {
    int warmup = 2;
    int iterations = 5;
    int jobs = Runtime.getRuntime().availableProcessors();
    List<Path> files = new ArrayList<>();
    while (a.hasNext()) {
      String arg = a.next();
      switch (arg) {
        case "--warmup" -> warmup = a.number(arg, 0);
        case "--iterations" -> iterations = a.count(arg);
        case "--jobs" -> jobs = a.count(arg);
        default -> files.add(a.existing(arg));
      }
    }
    if (files.isEmpty()) {
      Path corpus = Path.of("../shared/corpora/sightglass");
      DEFAULT_MODULES.forEach(m -> files.add(a.existing(corpus.resolve(m).toString())));
    }
    return new Options(warmup, iterations, jobs, files);
  }

  public static void main(String[] args) throws Exception {
    Options options = BenchArguments.parse("compile",
        "[--warmup N] [--iterations N] [--jobs N] [FILE.wasm...]", args, CompileTimes::options);
    int warmup = options.warmup();
    int iterations = options.iterations();
    int jobs = options.jobs();
    List<Path> files = options.files();
    System.out.printf(Locale.ROOT, "compile times: %d warm-up (then on until the JIT is idle) + %d measured"
        + " compiles per engine and module, %d processors, kiln-jN = %d jobs%n", warmup, iterations,
        Runtime.getRuntime().availableProcessors(), jobs);
    System.out.printf(Locale.ROOT, "%-34s %10s %-14s %12s %12s %10s%n", "module", "bytes", "engine",
        "median ms", "min ms", "MB/s");
    X64Backend backend = X64Backend.forHost();
    List<String> allocationLines = new ArrayList<>();
    List<String> phaseLines = new ArrayList<>();
    try (Engine engine = new Engine()) {
      for (Path file : files) {
        byte[] bytes = Files.readAllBytes(file);
        String name = file.getParent().getFileName() + "/" + file.getFileName();
        int jobsN = jobs;
        row(name, bytes.length, "kiln-j" + jobsN, time(warmup, iterations, () -> kiln(bytes, backend, jobsN)));
        row(name, bytes.length, "kiln-j1", time(warmup, iterations, () -> kiln(bytes, backend, 1)));
        allocationLines.add(name + ": " + ownThreadCost(iterations, () -> kiln(bytes, backend, 1)));
        row(name, bytes.length, "chicory", time(warmup, iterations,
            () -> MachineFactoryCompiler.compile(Parser.parse(bytes))));
        row(name, bytes.length, "wasmtime-java", time(warmup, iterations, () -> {
          try (var module = io.github.kawamuray.wasmtime.Module.fromBinary(engine, bytes)) {
            return module;
          }
        }));
        phaseLines.add(name + ": " + CompilePhases.measure(bytes, backend, CompileOptions.defaults()).describe());
      }
    }
    System.out.println();
    System.out.println("kiln-j1 allocation and thread CPU time per compile (fewest of " + iterations + "):");
    allocationLines.forEach(System.out::println);
    System.out.println();
    System.out.println("kiln single-threaded phases (one warm compile):");
    phaseLines.forEach(System.out::println);
  }

  /** Decode, validate, compile, link and emit: the bytes of the .cwasm. */
  private static byte[] kiln(byte[] wasm, X64Backend backend, int jobs) {
    try (CompiledModule compiled = Compiler.compile(Wasm.load(wasm), backend, new CompileOptions(jobs))) {
      LinkedText linked = ArtifactEmitter.link(compiled);
      return ArtifactEmitter.emit(compiled, linked, "bench");
    }
  }

  /**
   * {@code "A MB allocated, C ms CPU"}: the fewest bytes the calling thread allocated in one of {@code
   * runs} compiles, and the least thread CPU time (a one-job compile runs on the calling thread).
   */
  private static String ownThreadCost(int runs, Callable<?> compile) throws Exception {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    long bytes = Long.MAX_VALUE;
    long cpu = Long.MAX_VALUE;
    for (int k = 0; k < runs; k++) {
      long b0 = threads.getThreadAllocatedBytes(thread);
      long c0 = threads.getCurrentThreadCpuTime();
      compile.call();
      cpu = Math.min(cpu, threads.getCurrentThreadCpuTime() - c0);
      bytes = Math.min(bytes, threads.getThreadAllocatedBytes(thread) - b0);
    }
    return String.format(Locale.ROOT, "%.1f MB allocated, %.1f ms CPU", bytes / 1e6, cpu / 1e6);
  }

  /**
   * Wall times in nanoseconds of the measured runs, sorted. Warm-up runs at least {@code warmup}
   * compiles, then goes on until the JVM's JIT is settled ({@link #untilJitSettled}).
   */
  private static long[] time(int warmup, int iterations, Callable<?> compile) throws Exception {
    for (int k = 0; k < warmup; k++) {
      compile.call();
    }
    untilJitSettled(compile);
    long[] nanos = new long[iterations];
    for (int k = 0; k < iterations; k++) {
      long t0 = System.nanoTime();
      compile.call();
      nanos[k] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  /**
   * Compiles until {@link #QUIET_IN_A_ROW} compiles in a row each saw under 2% of their wall time in
   * JIT compilation on the JVM's compiler threads, at most {@link #MAX_SETTLING} compiles. A fixed
   * count of warm-up compiles is not enough for Kiln: C2 was still compiling its methods after 20
   * compiles of regex, and on 2 cores its threads take CPU from the compile being measured, which
   * made a 2-job compile look slower than a 1-job one (docs/history/performance-journal.md,
   * "Compile throughput in a settled JVM"); and one quiet compile alone was often followed by more
   * JIT work (the compiler's rarer paths reaching their thresholds), which left the two-job times
   * spread over 2x.
   */
  private static void untilJitSettled(Callable<?> compile) throws Exception {
    var jit = ManagementFactory.getCompilationMXBean();
    int quiet = 0;
    for (int k = 0; k < MAX_SETTLING; k++) {
      long jit0 = jit.getTotalCompilationTime();
      long t0 = System.nanoTime();
      compile.call();
      long wallMs = (System.nanoTime() - t0) / 1_000_000;
      quiet = (jit.getTotalCompilationTime() - jit0) * 50 < wallMs ? quiet + 1 : 0;
      if (quiet == QUIET_IN_A_ROW) {
        return;
      }
    }
    System.out.println("(the JIT was still compiling after " + MAX_SETTLING + " settling compiles)");
  }

  private static void row(String module, int bytes, String engine, long[] sortedNanos) {
    double median = sortedNanos[sortedNanos.length / 2] / 1e6;
    double min = sortedNanos[0] / 1e6;
    System.out.printf(Locale.ROOT, "%-34s %10d %-14s %12.1f %12.1f %10.3f%n", module, bytes, engine, median,
        min, bytes / (median * 1e3));
    System.out.flush();
  }
}
