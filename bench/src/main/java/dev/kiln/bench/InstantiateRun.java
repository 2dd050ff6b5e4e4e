package dev.kiln.bench;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasiOptions;
import dev.kiln.runtime.WasmModule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code bench/run instantiate [THREADS...] [--no-wasmtime] [--no-cycles] [--yosys FILE] [--yosys-rounds N]}:
 * an instance per request (issue 41) in one run, Kiln beside Wasmtime 49.
 * <ol>
 *   <li>{@link InstantiateBenchmark}'s cycles per second for each {@link #CASES case} (hello on
 *       demand; the memory module on demand and pooled) on 1, 2 and 16 threads (or the counts
 *       given), each with its speed-up over the case's first count (not with {@code --no-cycles});
 *   <li>the same cycle of both modules on Wasmtime 49 through wasmtime-py ({@code
 *       bench/instantiate-wasmtime.py}, best of its three rounds), and Kiln's one-thread figure as a
 *       ratio of it;
 *   <li>with {@code --yosys}: the time to instantiate that module (a {@code .cwasm} is loaded, a
 *       {@code .wasm} compiled first) with WASI linked and {@code _start} not run, the median and
 *       best of N instantiations and the first one alone, and the same on Wasmtime.
 * </ol>
 * The machine's load matters here: say it beside the numbers.
 */
public final class InstantiateRun {
  private InstantiateRun() {}

  /** A module and an allocation strategy of {@link InstantiateBenchmark}. */
  private record Case(CycleModule module, String allocation) {
    String label() {
      return module.label() + "/" + allocation;
    }
  }

  private static final List<Case> CASES = List.of(new Case(CycleModule.HELLO, "on-demand"),
      new Case(CycleModule.MEMORY, "on-demand"), new Case(CycleModule.MEMORY, "pooled"));

  private record Options(List<Integer> threads, boolean wasmtime, boolean cycles, Path yosys, int yosysRounds) {}

  public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
    Options options = BenchArguments.parse("instantiate", "[THREADS...] [--no-wasmtime] [--no-cycles] [--yosys FILE] [--yosys-rounds N]",
        args, a -> {
          List<Integer> counts = new ArrayList<>();
          boolean wasmtime = true;
          boolean cycles = true;
          Path yosys = null;
          int rounds = 20;
          while (a.hasNext()) {
            String arg = a.next();
            switch (arg) {
              case "--no-wasmtime" -> wasmtime = false;
              case "--no-cycles" -> cycles = false;
              case "--yosys" -> yosys = a.existing(a.value(arg));
              case "--yosys-rounds" -> rounds = a.count(arg);
              default -> counts.add(a.count("THREADS", arg));
            }
          }
          return new Options(counts.isEmpty() ? List.of(1, 2, 16) : List.copyOf(counts), wasmtime, cycles, yosys,
              rounds);
        });
    double[] oneThreadMicros = new double[CycleModule.values().length];
    Arrays.fill(oneThreadMicros, Double.NaN);
    for (Case c : options.cycles() ? CASES : List.<Case>of()) {
      double first = 0;
      for (int n : options.threads()) {
        RunResult result = new Runner(new OptionsBuilder().include(InstantiateBenchmark.class.getName())
            .param("module", c.module().label()).param("allocation", c.allocation())
            .threads(n).verbosity(VerboseMode.SILENT).build()).runSingle();
        double perSecond = result.getPrimaryResult().getScore();
        if (first == 0) {
          first = perSecond;
          if (n == 1) {
            int slot = c.module().ordinal();
            oneThreadMicros[slot] = Double.isNaN(oneThreadMicros[slot]) ? 1e6 / perSecond
                : Math.min(oneThreadMicros[slot], 1e6 / perSecond);
          }
        }
        System.out.printf(Locale.ROOT, "kiln instantiate/%s/threads-%d %.0f cycles/s (%.2f us a cycle; %.2fx %d thread%s)%n",
            c.label(), n, perSecond, n * 1e6 / perSecond, perSecond / first, options.threads().getFirst(),
            options.threads().getFirst() == 1 ? "" : "s");
      }
    }
    if (options.wasmtime() && options.cycles()) {
      for (CycleModule module : CycleModule.values()) {
        double wasmtime = wasmtimeBestMicros(module.label(), "20000");
        double kiln = oneThreadMicros[module.ordinal()];
        System.out.printf(Locale.ROOT, "wasmtime-py instantiate/%s %.1f us a cycle (best of 3 rounds)%s%n",
            module.label(), wasmtime, Double.isNaN(kiln) ? ""
                : String.format(Locale.ROOT, "; Kiln's best one-thread cycle %.2f us = %.3fx", kiln, kiln / wasmtime));
      }
    }
    if (options.yosys() != null) {
      instantiateLarge(options.yosys(), options.yosysRounds());
      if (options.wasmtime() && options.yosys().toString().endsWith(".wasm")) {
        double wasmtime = wasmtimeBestMicros(options.yosys().toString(), Integer.toString(options.yosysRounds()));
        System.out.printf(Locale.ROOT, "wasmtime-py instantiate %s: %.3f ms (best of 3 rounds' means)%n",
            options.yosys().getFileName(), wasmtime / 1000);
      }
    }
  }

  /**
   * Instantiates {@code file} {@code rounds} times in a store each, WASI linked and no export
   * called: what a server pays per request for a large module before its first call (its data
   * segments are a memory image where they can be).
   */
  private static void instantiateLarge(Path file, int rounds) {
    Engine engine = Engine.create();
    long began = System.nanoTime();
    try (WasmModule module = file.toString().endsWith(".cwasm") ? WasmModule.load(engine, file)
        : WasmModule.compile(engine, file)) {
      System.out.printf(Locale.ROOT, "kiln %s %s in %.1f s%n", file.toString().endsWith(".cwasm") ? "loaded" : "compiled",
          file.getFileName(), (System.nanoTime() - began) / 1e9);
      long[] nanos = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        try (Store store = new Store(engine)) {
          long start = System.nanoTime();
          new Linker(store).wasi(WasiOptions.builder().build(), module).instantiate(module);
          nanos[i] = System.nanoTime() - start;
        }
      }
      long first = nanos[0];
      Arrays.sort(nanos);
      System.out.printf(Locale.ROOT, "kiln instantiate %s: median %.3f ms, best %.3f ms, worst %.3f ms of %d instantiations"
          + " (the first %.3f ms)%n", file.getFileName(), nanos[rounds / 2] / 1e6, nanos[0] / 1e6, nanos[rounds - 1] / 1e6,
          rounds, first / 1e6);
    }
  }

  /**
   * The best of {@code bench/instantiate-wasmtime.py}'s three rounds, in microseconds a cycle: a
   * cycle module's whole cycle, or for a file an instantiation with WASI linked.
   */
  private static double wasmtimeBestMicros(String module, String cycles) throws IOException, InterruptedException {
    Path peer = Path.of("..", "shared", "peers", "wasmtime-py", "setup.sh").toAbsolutePath().normalize();
    Process process = new ProcessBuilder("bash", "-c", "venv=$(\"$0\") && exec \"$venv/bin/python\" \"$@\"",
        peer.toString(), Path.of("bench", "instantiate-wasmtime.py").toString(), cycles, module)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    double best = Double.MAX_VALUE;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        String[] words = line.split(" ");
        if (words.length > 3 && words[3].equals("us/cycle")) {
          best = Math.min(best, Double.parseDouble(words[2]));
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || best == Double.MAX_VALUE) {
      throw new IllegalStateException("bench/instantiate-wasmtime.py " + cycles + " " + module + " failed (exit " + exit + ")");
    }
    return best;
  }
}
