package dev.kiln.cli;

import dev.kiln.artifact.ArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.cache.CachedArtifact;
import dev.kiln.cache.ModuleCache;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.codegen.Backend;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.compiler.driver.UnsupportedInitialiserException;
import dev.kiln.compiler.link.LinkException;
import dev.kiln.loader.exec.EmulatorException;
import dev.kiln.loader.link.Linker;
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.instance.ImportLinkException;
import dev.kiln.loader.instance.Instance;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.profile.PerfMap;
import dev.kiln.loader.runtime.WasmFrame;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.Store;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.runtime.Trap;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.WasmException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kiln run FILE.cwasm [--invoke NAME] [ARGS...]}: maps the artifact (or, given a {@code
 * .wasm}, compiles it for this host in memory first), instantiates it (running
 * its start function) and calls one export, printing each result on its own line (integers in
 * signed decimal, a v128 as {@code 0x} and 32 hex digits, byte 15 first). Without {@code --invoke} it calls {@code _start} if the module exports one
 * (WASI's command convention), else instantiates it and lists its exported functions with their
 * types (exit 2; a module that exports none has run its start function and exits 0). The module's {@code wasi_snapshot_preview1}
 * imports are WASI preview1 ({@link WasiCommandLine}: ARGS become the guest's argv, {@code --dir}
 * preopens, {@code --env} variables; a module importing nothing from WASI gets none, and these are
 * unused); a guest's proc_exit ends the run with its exit status.
 * {@code --timeout DURATION} and {@code --fuel N} bound the run (epoch interruption and fuel
 * metering, compiled into the code: a {@code .wasm} is compiled with them, a {@code .cwasm} must
 * have been); {@code --max-memory SIZE} bounds the guest's linear memory (the store's {@link
 * StoreLimits}: needing more at instantiation is an error line, growing past it makes {@code
 * memory.grow} return -1). A trap prints {@code error: trap: MESSAGE};
 * a damaged, foreign, unauthenticated ({@code --verify-key}) or incompatible file, or a module that
 * cannot be instantiated, one {@code error:} line naming the file, section and file offset; all exit 1.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    // One string per paragraph: picocli wraps each to the terminal width itself.
    description = {
      "Load a compiled module (.cwasm), instantiate it and call an export. A .wasm module is"
          + " compiled for this host in memory first (as 'kiln compile' would, without writing a file).",
      "Arguments are parsed by the export's parameter types: integers in decimal (i32 also"
          + " accepts 0..4294967295, i64 0..2^64-1), floats as Java parses them (1.5, -0.0, NaN, Infinity),"
          + " a v128 as 0x and up to 32 hex digits (one 128-bit number, lane 0 in its low bits, as v128"
          + " results print) or as lanes, SHAPE:L0,L1,... with SHAPE one of i8x16 i16x8 i32x4 i64x2 f32x4 f64x2.",
      "Without --invoke, a WASI command's _start runs and ARGS are its command-line arguments; a module"
          + " with neither lists its exports."
    },
    footer = {"", "Examples:", "  kiln compile examples/hello.wasm -o hello.cwasm && kiln run hello.cwasm --invoke fac 5",
        "  kiln run app.wasm --dir . --env LANG=C -- input.txt    # WASI; exit status = proc_exit's",
        "  kiln run app.wasm --timeout 2s                         # trap 'interrupt' after 2 seconds"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ran to completion", "1:trap, bad file, bad arguments or uninstantiable module",
        "2:no --invoke, no _start: the exported functions are listed", "N:a WASI guest's proc_exit(N)"})
final class RunCommand implements Callable<Integer> {
  /** The export {@code kiln run} calls when {@code --invoke} is not given, if present. */
  static final String DEFAULT_EXPORT = "_start";
  /** The exit status when there is neither {@code --invoke} nor {@code _start} but functions to call. */
  static final int NO_EXPORT_NAMED = 2;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the compiled module (.cwasm) or a .wasm module")
  Path file;

  @Option(names = "--invoke", paramLabel = "NAME", description = "the exported function to call")
  String invoke;

  @Option(names = "--backtrace", description = "after a trap, list the wasm frames (innermost first) on stderr")
  boolean backtrace;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
      description = "call the export N times in the same instance (default 1); results are printed once")
  int repeat;

  @Option(names = "--time", description = "after the results, print best_ms=MS: the fastest of the calls")
  boolean time;

  @Option(names = "--dir", paramLabel = "HOST[::GUEST]",
      description = "WASI: preopen directory HOST, seen by the guest as GUEST (default: HOST as written)")
  List<String> dirs = new ArrayList<>();

  @Option(names = "--env", paramLabel = "NAME=VALUE", description = "WASI: an environment variable of the guest")
  List<String> env = new ArrayList<>();

  @Option(names = "--verify-key", paramLabel = "FILE",
      description = "refuse the .cwasm unless it was signed with the key in FILE (kiln compile --sign-key FILE)")
  Path verifyKey;

  @Option(names = "--bench-timer",
      description = "provide sightglass's bench.start/bench.end imports and print bench_ms=MS on stderr")
  boolean benchTimer;

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "interrupt the guest once DURATION (e.g. 2s, 500ms, 1m) has passed: it traps 'interrupt' at its"
          + " next loop iteration or call (epoch interruption); a .cwasm must have been compiled with"
          + " --epoch-interruption")
  String timeout;

  @Option(names = "--fuel", paramLabel = "N",
      description = "give the guest N units of fuel, one per wasm operator executed (Wasmtime's cost model): it traps"
          + " 'out of fuel' once they are spent; a .cwasm must have been compiled with --consume-fuel")
  Long fuel;

  /** What {@code --profile} writes for a profiler. */
  enum Profile { perfmap }

  @Option(names = "--profile", paramLabel = "perfmap",
      description = "perfmap: write /tmp/perf-PID.map naming every function of code loaded into anonymous memory"
          + " (a .wasm compiled with --no-cache, a signed .cwasm), so perf report names it; code mapped from a"
          + " file (a .cwasm, a cache entry) is named by its own ELF symbols")
  Profile profile;

  @Option(names = "--timings",
      description = "after the run, print on stderr where its wall time went: launcher, JVM start, parsing the"
          + " command line, compiling or the cache lookup, loading, linking host functions, instantiating, the call")
  boolean timings;

  @Option(names = "--no-cache",
      description = "compile a .wasm in memory without looking in or storing into the compiled-module cache")
  boolean noCache;

  @Mixin CacheOptions cacheOptions;

  @Option(names = "--max-memory", paramLabel = "SIZE",
      description = "limit the linear memory of all the guest's memories together to SIZE (e.g. 64MiB): an"
          + " instantiation that needs more fails, memory.grow past it returns -1")
  String maxMemory;

  @Parameters(index = "1..*", paramLabel = "ARGS",
      description = "the function's arguments; without --invoke, the WASI guest's arguments (after --)")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RunTimings steps = new RunTimings(timings, System.nanoTime());
    try {
      return run(out, err, steps);
    } catch (TrapInModule t) {
      err.println("error: trap: " + t.trap().getMessage() + limitNote(t.trap()));
      if (backtrace) {
        t.frames().forEach(frame -> err.println("  at " + frame));
      }
      return 1;
    } catch (ArtifactException | ModuleInstantiationException | ImportLinkException | ResourceLimitException
        | IllegalArgumentException e) {
      err.println("error: " + file + ": " + e.getMessage());
      return 1;
    } catch (WasmException e) {
      String verdict = switch (e) {
        case MalformedException _ -> "malformed";
        case InvalidException _ -> "invalid";
        default -> "rejected";
      };
      err.println("error: " + file + ": " + verdict + ": " + e.getMessage());
      return 1;
    } catch (UnsupportedFeatureException | UnsupportedInitialiserException | LinkException e) {
      err.println("error: " + file + ": unsupported: " + e.getMessage());
      return 1;
    } catch (EmulatorException e) {
      // AArch64 code on this host runs on Unicorn; it stopped on something that is no wasm trap.
      err.println("error: " + file + ": emulator: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      steps.print(err);
      err.flush();
    }
  }

  private int run(PrintWriter out, PrintWriter err, RunTimings steps) throws IOException {
    if (profile == Profile.perfmap) {
      PerfMap.enable();
    }
    Duration interruptAfter = timeout == null ? null : EpochTimer.parse(timeout);
    if (fuel != null && fuel < 0) {
      throw new IllegalArgumentException("--fuel must be at least 0, got " + fuel);
    }
    StoreLimits storeLimits = maxMemory == null ? StoreLimits.DEFAULTS
        : StoreLimits.DEFAULTS.withMaxMemoryBytes(ByteSize.parse("--max-memory", maxMemory));
    // What the code must check is what was asked for: a .cwasm compiled otherwise is refused.
    ExecutionLimits limits = new ExecutionLimits(interruptAfter != null, fuel != null);
    Optional<SigningKey> key = verifyKey == null ? Optional.empty() : Optional.of(SigningKey.read(verifyKey));
    LoadedModule module;
    byte[] head = head(file);
    if (!isWasmBinary(head) && !isElf(head)) {
      throw new IllegalArgumentException("neither a WebAssembly module (\\0asm) nor a .cwasm (ELF)");
    }
    if (isWasmBinary(head)) {
      if (key.isPresent()) {
        throw new IllegalArgumentException("--verify-key checks a signed .cwasm; this is a .wasm, which has no tag");
      }
      module = compileForHost(err, limits, steps);
    } else {
      module = LoadedModule.open(file, null, limits, key);
    }
    steps.mark("load");
    try (Store store = new Store(storeLimits); module; EpochTimer _ = startTimer(store, interruptAfter)) {
      if (fuel != null) {
        store.setFuel(fuel);
      }
      // Host functions (WASI) are made for the module's target: emulated AArch64 code calls them too.
      Linker linker = new Linker(store, module.file().target());
      if (WasiCommandLine.importedBy(module)) {
        WasiCommandLine.define(linker, module,
            WasiCommandLine.config(file, invoke == null ? args : List.of(), dirs, env));
      }
      BenchTimer timer = benchTimer ? BenchTimer.define(linker) : null;
      steps.mark("link");
      try (Instance instance = linker.instantiate(module)) {
        steps.mark("instantiate");
        int status = call(instance, module, out);
        steps.mark("call");
        return status;
      } catch (Trap trap) {
        OptionalInt exit = WasiCommandLine.exitCode(trap);
        if (exit.isPresent()) {
          return exit.getAsInt();
        }
        // Resolved here, after the instance closed but while the module's code and tables are mapped.
        throw new TrapInModule(trap, module.backtrace(trap));
      } finally {
        if (timer != null) {
          timer.report(err);
        }
      }
    }
  }

  /** With a timeout: the deadline is the next epoch, which the timer thread reaches when it expires. */
  private static EpochTimer startTimer(Store store, Duration timeout) {
    if (timeout == null) {
      return null;
    }
    store.setEpochDeadline(1);
    return EpochTimer.start(store.epoch(), timeout);
  }

  /** What the trap line adds for the two traps the command line's own limits cause. */
  private String limitNote(Trap trap) {
    return switch (trap.code()) {
      case INTERRUPT -> " (--timeout " + timeout + " elapsed)";
      case OUT_OF_FUEL -> " (--fuel " + fuel + " spent)";
      default -> "";
    };
  }

  private int call(Instance instance, LoadedModule module, PrintWriter out) {
    String export = invoke;
    List<String> callArgs = args;
    if (export == null) {
      if (module.info().export(DEFAULT_EXPORT).isEmpty()) {
        if (!args.isEmpty()) {
          throw new IllegalArgumentException("arguments given but no --invoke NAME and no _start to pass them to");
        }
        // Instantiated (its start function ran); a module with functions to call wants one named.
        return ExportList.print(file, instance, spec.commandLine().getErr()) ? NO_EXPORT_NAMED : 0;
      }
      export = DEFAULT_EXPORT;
      callArgs = List.of(); // the ARGS went to the WASI guest's argv
    }
    FuncType type = instance.exportedFunctionType(export);
    if (callArgs.size() != type.params().size()) {
      throw new IllegalArgumentException("\"" + export + "\" takes " + type.params().size() + " argument(s) "
          + type.params() + ", got " + callArgs.size());
    }
    List<WasmValue> values = new ArrayList<>(callArgs.size());
    for (int i = 0; i < callArgs.size(); i++) {
      values.add(parse(type.params().get(i), callArgs.get(i)));
    }
    if (repeat < 1) {
      throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
    }
    List<WasmValue> results = List.of();
    long bestNanos = Long.MAX_VALUE;
    for (int i = 0; i < repeat; i++) {
      long start = System.nanoTime();
      results = instance.invoke(export, values);
      bestNanos = Math.min(bestNanos, System.nanoTime() - start);
    }
    results.forEach(out::println);
    if (time) {
      out.printf(java.util.Locale.ROOT, "best_ms=%.3f%n", bestNanos / 1e6);
    }
    return 0;
  }

  /** A trap with its frames resolved against the module it happened in (a start function's too). */
  private static final class TrapInModule extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Trap trap;
    private final transient List<WasmFrame> frames;

    TrapInModule(Trap trap, List<WasmFrame> frames) {
      super(trap.getMessage(), trap, false, false);
      this.trap = trap;
      this.frames = frames;
    }

    Trap trap() {
      return trap;
    }

    List<WasmFrame> frames() {
      return frames;
    }
  }

  /**
   * A {@code .wasm} compiled for this host as {@code kiln compile} would: mapped from the
   * compiled-module cache ({@link ModuleCache}), compiled and stored there on a miss, or with
   * {@code --no-cache} compiled into memory only. The cache never stops a run: an entry it cannot
   * store is run from memory, after one warning line.
   */
  private LoadedModule compileForHost(PrintWriter err, ExecutionLimits limits, RunTimings steps) throws IOException {
    Target host = HostTarget.current().orElseThrow(() -> new IllegalArgumentException(
        "this host (" + System.getProperty("os.arch") + ") runs no Kiln target"));
    Backend backend = TargetBackends.forTarget(host).orElseThrow(() -> new IllegalArgumentException(
        "target " + host + " is not supported yet"));
    byte[] wasm = Files.readAllBytes(file);
    CompileOptions options = CompileOptions.defaults().withLimits(limits);
    Supplier<byte[]> compile = () -> {
      CompiledModule compiled = Compiler.compile(Wasm.load(wasm), backend, options);
      return ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), KilnVersion.current());
    };
    if (noCache) {
      byte[] artifact = compile.get();
      steps.mark("compile");
      return LoadedModule.fromBytes(artifact, null, limits);
    }
    ModuleCache cache = cacheOptions.cache(Compiler.codeProducers(backend));
    CompatHeader expected = CompatHeader.current(KilnVersion.current(), host, Compiler.settings(backend, options));
    CachedArtifact cached = cache.lookup(wasm, expected, compile);
    steps.mark(cached instanceof CachedArtifact.Hit ? "cache_hit" : "compile");
    if (cached instanceof CachedArtifact.NotStored notStored) {
      // The exception's kind is the reason (an AccessDeniedException's message is only the path).
      err.println("warning: compiled-module cache " + cache.directory() + ": cannot store ("
          + notStored.reason().getClass().getSimpleName() + ": " + notStored.reason().getMessage()
          + "); running from memory");
    }
    return LoadedModule.fromCache(cached, compile, limits);
  }

  /** The file's first (up to) eight bytes. */
  private static byte[] head(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(8);
    }
  }

  /** Whether {@code head} starts with the wasm binary magic (spec 5.5.16). */
  private static boolean isWasmBinary(byte[] head) {
    return head.length >= 4 && head[0] == 0 && head[1] == 'a' && head[2] == 's' && head[3] == 'm'
        && !CwasmFile.looksLikeCwasm(MemorySegment.ofArray(head));
  }

  /** Whether {@code head} starts with the ELF magic (a .cwasm is ELF64; the loader checks the rest). */
  private static boolean isElf(byte[] head) {
    return head.length >= 4 && head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
  }

  /** {@code text} read as a value of {@code type}. */
  static WasmValue parse(ValType type, String text) {
    try {
      return switch (type) {
        case I32 -> new WasmValue.I32((int) scalarBits(ValType.I32, text));
        case I64 -> new WasmValue.I64(scalarBits(ValType.I64, text));
        case F32 -> new WasmValue.F32(Float.parseFloat(text));
        case F64 -> new WasmValue.F64(Double.parseDouble(text));
        case V128 -> V128Text.parse(text);
        case FUNCREF, EXTERNREF -> throw new IllegalArgumentException(
            "cannot pass a " + type.name().toLowerCase(java.util.Locale.ROOT) + " from the command line");
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a " + type.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** An integer of {@code type} in decimal, signed or unsigned, as its bits. */
  static long scalarBits(ValType type, String text) {
    return switch (type) {
      case I32 -> text.startsWith("-") ? Integer.parseInt(text) & 0xFFFF_FFFFL
          : Integer.toUnsignedLong(Integer.parseUnsignedInt(text));
      case I64 -> text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
      default -> throw new IllegalArgumentException(type + " is not an integer type");
    };
  }
}
