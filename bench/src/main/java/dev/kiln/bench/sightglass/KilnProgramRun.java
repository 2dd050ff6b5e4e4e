package dev.kiln.bench.sightglass;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.regalloc.MoveCounts;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.wasi.Preopen;
import dev.kiln.wasi.ProcExit;
import dev.kiln.wasi.WasiConfig;
import dev.kiln.wasi.WasiHost;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One sightglass program on Kiln: {@code KilnProgramRun MODULE.wasm SCRATCH [x86_64|aarch64
 * [epochs|fuel]]}. With {@code epochs} or {@code fuel} the code is compiled with epoch-deadline or
 * fuel checks and runs with a deadline and fuel it never reaches, so the run measures what the
 * checks cost.
 * Compiles the module for the target (default x86-64; AArch64 runs emulated on an x86-64 host) in memory (decode, validate, compile, link, emit: the compile time), loads and
 * instantiates it with WASI preview1 (the scratch folder preopened as ".", stdout/stderr into
 * SCRATCH/stdout and SCRATCH/stderr) and bench.start/bench.end (the instantiate time), runs
 * {@code _start} and prints one {@link ResultLine}, with the allocator's move counts ({@link MoveCounts}:
 * {@code spill_stores}, {@code reloads}, {@code copies} and their {@code loop_} counterparts). A module the compiler refuses prints {@code
 * reason=refused: MESSAGE}; a trap {@code reason=trap: MESSAGE}.
 */
public final class KilnProgramRun {
  private KilnProgramRun() {}

  public static void main(String[] args) throws Exception {
    Target target = args.length > 2 ? Target.valueOf(args[2].toUpperCase(java.util.Locale.ROOT))
        : Target.X86_64;
    ExecutionLimits limits = ExecutionLimits.NONE;
    int runs = 1;
    for (int i = 3; i < args.length; i++) {
      switch (args[i]) {
        case "epochs" -> limits = new ExecutionLimits(true, false);
        case "fuel" -> limits = new ExecutionLimits(false, true);
        case "warm" -> runs = 1 + WARM_UP_RUNS;
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (epochs, fuel, warm)");
      }
    }
    System.out.println(run(Path.of(args[0]), Path.of(args[1]), target, limits, runs));
  }

  /**
   * How many times {@code warm} runs the program in the same JVM before the run it reports: enough
   * for the JVM to have loaded, linked and JIT-compiled every Java path the guest reaches (WASI
   * calls, upcall dispatch), so the reported run shows what the cold process's run would cost
   * without the JVM's warm-up (issue 13: fresh within 1.1x of warm).
   */
  static final int WARM_UP_RUNS = 2;

  /**
   * Runs the program at {@code modulePath} in {@code scratch}, compiled for {@code target} (AArch64
   * code on an x86-64 host runs on the loader's Unicorn executor), {@code runs} times over in this
   * JVM, each time in a new store and instance (the compile only once); the {@link ResultLine} text
   * of the last run.
   */
  static String run(Path modulePath, Path scratch, Target target, ExecutionLimits limits, int runs)
      throws java.io.IOException {
    byte[] wasm = Files.readAllBytes(modulePath);
    long t0 = System.nanoTime();
    byte[] artifact;
    MoveCounts moves;
    try {
      Module module = Wasm.load(wasm);
      Backend backend = target == Target.X86_64 ? X64Backend.forHost() : new AArch64Backend(false);
      try (CompiledModule compiled = Compiler.compile(module, backend, CompileOptions.defaults().withLimits(limits))) {
        artifact = ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "bench");
        moves = compiled.moveCounts();
      }
    } catch (RuntimeException e) {
      return ResultLine.formatFailure("refused: " + e.getClass().getSimpleName() + ": "
          + e.getMessage());
    }
    double compileMs = (System.nanoTime() - t0) / 1e6;
    String last = null;
    for (int i = 0; i < runs; i++) {
      last = execute(modulePath, scratch, artifact, limits, compileMs);
      if (ResultLine.parse(last).get("reason").isPresent()) {
        return last;
      }
    }
    return last + " spill_stores=" + moves.spillStores() + " reloads=" + moves.reloads()
        + " copies=" + moves.copies() + " loop_spill_stores=" + moves.loopSpillStores()
        + " loop_reloads=" + moves.loopReloads() + " loop_copies=" + moves.loopCopies();
  }

  /** Loads the artifact, instantiates it with WASI and bench.start/end, runs _start: the result line. */
  private static String execute(Path modulePath, Path scratch, byte[] artifact,
      ExecutionLimits limits, double compileMs) throws java.io.IOException {
    long[] bench = new long[2];
    long[] benchCpu = new long[2];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int exit = 0;
    long t2;
    long t3;
    long t4;
    try (OutputStream stdout = new BufferedOutputStream(Files.newOutputStream(scratch.resolve("stdout")));
         OutputStream stderr = new BufferedOutputStream(Files.newOutputStream(scratch.resolve("stderr")));
         NativeStore store = new NativeStore();
         LoadedModule loaded = LoadedModule.fromBytes(artifact, null, limits)) {
      t2 = System.nanoTime();
      store.setEpochDeadline(Long.MAX_VALUE);
      store.setFuel(Long.MAX_VALUE);
      ImportNamespace linker = new ImportNamespace(store, loaded.file().target());
      WasiConfig config = WasiConfig.builder()
          .arg(modulePath.getFileName().toString())
          .stdin(java.io.InputStream.nullInputStream())
          .stdout(stdout)
          .stderr(stderr)
          .preopen(new Preopen(scratch, "."))
          .build();
      WasiHost wasi = WasiHost.define(linker, config, WasiHost.importedBy(loaded.info().imports()));
      FuncType none = new FuncType(List.of(), List.of());
      // Host calls run on the guest's thread, natively and on the emulator.
      linker.defineFunction("bench", "start", none, a -> {
        bench[0] = System.nanoTime();
        benchCpu[0] = threads.getCurrentThreadCpuTime();
        return List.of();
      });
      linker.defineFunction("bench", "end", none, a -> {
        bench[1] = System.nanoTime();
        benchCpu[1] = threads.getCurrentThreadCpuTime();
        return List.of();
      });
      try (LoadedInstance instance = linker.instantiate(loaded)) {
        t3 = System.nanoTime();
        try {
          instance.invoke("_start");
        } catch (TrapException trap) {
          exit = ProcExit.in(trap).map(ProcExit::code).orElseThrow(() -> trap);
        }
        t4 = System.nanoTime();
      } finally {
        wasi.wasi().close();
      }
    } catch (TrapException trap) {
      return ResultLine.formatFailure("trap: " + trap.getMessage());
    } catch (RuntimeException e) {
      return ResultLine.formatFailure("failed: " + e.getClass().getSimpleName() + ": "
          + e.getMessage());
    }
    return ResultLine.format(exit, compileMs, (t3 - t2) / 1e6, (bench[1] - bench[0]) / 1e6,
        (t4 - t2) / 1e6)
        + String.format(java.util.Locale.ROOT, " bench_cpu_ms=%.3f", (benchCpu[1] - benchCpu[0]) / 1e6);
  }
}
