package dev.kiln.bench.sightglass;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A runtime the runner measures, as the command that runs one program in a process of its own (a
 * crash or hang of one engine on one program then costs only that cell) and where that command
 * leaves the guest's stdout/stderr.
 */
public enum Engine {
  /** Kiln: compile in memory, load, instantiate with WASI, run _start ({@link KilnProgramRun}). */
  KILN("kiln") {
    @Override
    Invocation invocation(Program p, Path scratch, Path root) {
      return java(KilnProgramRun.class, p, scratch);
    }
  },
  /**
   * Kiln run {@value KilnProgramRun#WARM_UP_RUNS} times in one JVM before the measured run, so the
   * measured run's JVM is warm (its classes loaded and linked, its host-call paths compiled): beside
   * {@link #KILN} (a fresh JVM) in one run, what the cold JVM adds to a program's bench time
   * (issue 13). Not in the default set.
   */
  KILN_WARM("kiln-warm") {
    @Override
    Invocation invocation(Program p, Path scratch, Path root) {
      return java(KilnProgramRun.class, p, scratch, "x86_64", "warm");
    }
  },
  /**
   * Kiln as a person runs it: {@code ./kiln run --bench-timer --dir=. FILE.wasm} in a fresh process,
   * through the launcher, the JVM's AOT cache of the run and the compiled-module cache (the first of
   * the rounds compiles and fills the cache; {@code --repeat} reports the best). Beside {@link
   * #KILN_WARM} in one run, what a cold start still costs a user inside the bench window (issue 13).
   * The launcher is the {@code ./kiln} of the working directory ({@code bench/run} runs from the
   * checkout). Not in the default set.
   */
  KILN_CLI("kiln-cli") {
    @Override
    Invocation invocation(Program p, Path scratch, Path root) {
      // The guest's stderr and the launcher's bench_ms line share stderr: split them, then print the
      // runner's result line (no compile or instantiate split: the process does both, or neither).
      String script = String.join("\n",
          "start=$(date +%s%N)",
          "\"$0\" run --bench-timer --dir=. \"$1\" >stdout 2>stderr.all",
          "rc=$?",
          "end=$(date +%s%N)",
          "grep -v '^bench_ms=' stderr.all >stderr",
          "bench=$(grep '^bench_ms=' stderr.all | tail -n 1 | cut -d= -f2)",
          "echo \"" + ResultLine.PREFIX
              + "exit=$rc bench_ms=${bench:-NaN} total_ms=$(( (end - start) / 1000000 ))\"");
      return new Invocation(
          List.of("bash", "-c", script, Path.of("kiln").toAbsolutePath().toString(),
              p.module().toString()),
          Map.of(), scratch.resolve("stdout"), scratch.resolve("stderr"));
    }
  },
  /**
   * Kiln's AArch64 code, emulated (Unicorn) on an x86-64 host: checks the second backend on real
   * programs; its times measure the emulator, not AArch64 hardware. Not in the default set.
   */
  KILN_AARCH64("kiln-aarch64") {
    @Override
    Invocation invocation(Program p, Path scratch, Path root) {
      return java(KilnProgramRun.class, p, scratch, "aarch64");
    }
  },
  /**
   * Kiln with epoch-deadline checks compiled in and a deadline never reached: beside {@link #KILN}
   * in one run, the cost of epoch interruption. Not in the default set.
   */
  KILN_EPOCHS("kiln-epochs") {
    @Override
    Invocation invocation(Program p, Path scratch, Path root) {
      return java(KilnProgramRun.class, p, scratch, "x86_64", "epochs");
    }
  },
  /** Kiln with fuel metering compiled in and unbounded fuel: the cost of fuel. Not in the default set. */
  KILN_FUEL("kiln-fuel") {
    @Override
    Invocation invocation(Program p, Path scratch, Path root) {
      return java(KilnProgramRun.class, p, scratch, "x86_64", "fuel");
    }
  },
  /** Wasmtime 7 / Cranelift through wasmtime-java ({@link WasmtimeJavaProgramRun}). */
  WASMTIME_JAVA("wasmtime-java") {
    @Override
    Invocation invocation(Program p, Path scratch, Path root) {
      return java(WasmtimeJavaProgramRun.class, p, scratch);
    }
  },
  /**
   * Current Wasmtime (49, its Cranelift) through its official Python bindings: the shared
   * {@code peers/wasmtime-py/sightglass.py} beside the corpora (its {@code setup.sh} makes the
   * virtual environment once), which like run-node.mjs preopens the benchmark folder itself and
   * prints one {@code exit=... compile_ms=... bench_ms=... total_ms=...} line. The project's
   * yardstick for generated code speed (issue 15).
   */
  WASMTIME("wasmtime") {
    @Override
    Invocation invocation(Program p, Path scratch, Path root) {
      Path peer = root.resolve("../../peers/wasmtime-py").normalize();
      Path out = scratch.getParent().resolve("wasmtime-out");
      Path folder = out.resolve(p.dir().getFileName());
      return new Invocation(
          List.of("bash", "-c", "venv=$(\"$0\") && exec \"$venv/bin/python\" \"$@\"",
              peer.resolve("setup.sh").toString(), peer.resolve("sightglass.py").toString(),
              p.dir().toString(), p.wasm()),
          Map.of("OUT_DIR", out.toString()),
          folder.resolve(p.name() + ".stdout"), folder.resolve(p.name() + ".stderr"));
    }
  },
  /** Chicory 1.7.5, wasm to JVM bytecode at run time ({@link ChicoryProgramRun}). */
  CHICORY("chicory") {
    @Override
    Invocation invocation(Program p, Path scratch, Path root) {
      return java(ChicoryProgramRun.class, p, scratch);
    }
  },
  /**
   * Node's V8 through the corpus's own run-node.mjs, which preopens the benchmark folder itself and
   * writes the guest's output under $OUT_DIR/FOLDER/NAME.stdout|stderr.
   */
  NODE("node") {
    @Override
    Invocation invocation(Program p, Path scratch, Path root) {
      Path out = scratch.getParent().resolve("node-out");
      Path folder = out.resolve(p.dir().getFileName());
      return new Invocation(
          List.of("node", "--no-warnings", root.resolve("run-node.mjs").toString(),
              p.dir().toString(), p.wasm()),
          Map.of("OUT_DIR", out.toString()),
          folder.resolve(p.name() + ".stdout"), folder.resolve(p.name() + ".stderr"));
    }
  };

  private final String label;

  Engine(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  abstract Invocation invocation(Program program, Path scratch, Path root) throws IOException;

  /** Whether Kiln compiles the program for this engine (its run reports the allocator's move counts). */
  boolean compiledByKiln() {
    return label.startsWith("kiln") && this != KILN_CLI;
  }

  public static Engine byLabel(String label) {
    for (Engine e : values()) {
      if (e.label.equals(label)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown engine " + label + " (" + labels(", ") + ")");
  }

  /** Every engine's label, joined by {@code separator}. */
  static String labels(String separator) {
    return String.join(separator, java.util.Arrays.stream(values()).map(e -> e.label).toList());
  }

  /** A command line, extra environment, and the guest output files it produces. */
  record Invocation(List<String> command, Map<String, String> environment, Path stdout,
      Path stderr) {}

  /**
   * This JVM, its class path, native access and a deep stack, running {@code main} with the
   * program's module, the scratch folder and {@code extra}; the guest's output goes to {@code
   * scratch/stdout} and {@code scratch/stderr}.
   */
  private static Invocation java(Class<?> main, Program p, Path scratch, String... extra) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Xss16m");
    command.add("-cp");
    // Absolute: the process runs in the program's scratch folder.
    command.add(java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)));
    command.add(main.getName());
    command.add(p.module().toString());
    command.add(scratch.toString());
    command.addAll(List.of(extra));
    return new Invocation(command, Map.of(), scratch.resolve("stdout"), scratch.resolve("stderr"));
  }
}
