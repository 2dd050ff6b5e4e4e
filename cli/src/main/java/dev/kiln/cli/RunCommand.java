package dev.kiln.cli;

import dev.kiln.cli.args.CommandSpec;
import dev.kiln.cli.args.CommandSpec.ExitStatus;
import dev.kiln.cli.args.OptionSpec;
import dev.kiln.cli.args.ParameterSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.Subcommand;
import dev.kiln.cli.args.ValueType;
import dev.kiln.runtime.CacheUse;
import dev.kiln.runtime.CompileTimeout;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.ExportType;
import dev.kiln.runtime.Frame;
import dev.kiln.runtime.Func;
import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tag;
import dev.kiln.runtime.TagType;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.Trap;
import dev.kiln.runtime.Val;
import dev.kiln.runtime.WasiOptions;
import dev.kiln.runtime.WasiExit;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmThrow;
import dev.kiln.runtime.tools.CommandLineFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

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
 * It runs on the public embedding API ({@code dev.kiln.runtime}), as any embedder would: an {@link
 * Engine} with the run's settings, a {@link WasmModule} compiled (through the compiled-module cache)
 * or loaded, a {@link Store}, a {@link Linker} and the {@link Instance}'s {@link Func}.
 * {@code --timeout DURATION} and {@code --fuel N} bound the run (epoch interruption and fuel
 * metering, compiled into the code: a {@code .wasm} is compiled with them, a {@code .cwasm} must
 * have been); the timeout counts from the start of the run, so compiling a {@code .wasm} spends of
 * it, and a compile that outlasts it ends the run with one {@code error:} line; {@code --max-memory
 * SIZE} bounds the bytes the guest's memories and tables commit and {@code --max-table-elements N}
 * its tables' elements (the {@link Store}'s limits: needing more at instantiation is an error
 * line, growing past it makes {@code memory.grow} or {@code table.grow} return -1); {@code
 * --max-open-files N} bounds the descriptors a WASI guest holds open (EMFILE past it). A trap prints
 * {@code error: trap in FUNCTION @ OFFSET: MESSAGE}, the
 * innermost wasm frame ({@code --backtrace} lists every frame after it); a wasm exception nothing
 * caught prints {@code error: uncaught exception in FUNCTION @ OFFSET: tag "NAME" (PAYLOAD)}, the
 * tag by export name or as {@code tag #N} (and the frames with {@code --backtrace});
 * a damaged, foreign, unauthenticated ({@code --verify-key}) or incompatible file, or a module that
 * cannot be instantiated, one {@code error:} line naming the file, section and file offset; all exit 1.
 */
final class RunCommand implements Subcommand {
  /** The export {@code kiln run} calls when {@code --invoke} is not given, if present. */
  static final String DEFAULT_EXPORT = "_start";
  /** The exit status when there is neither {@code --invoke} nor {@code _start} but functions to call. */
  static final int NO_EXPORT_NAMED = 2;

  /** What {@code --profile} writes for a profiler. */
  enum Profile { perfmap }

  private static final ParameterSpec<Path> FILE =
      ParameterSpec.one("FILE", ValueType.INPUT_FILE, "the compiled module (.cwasm), or a .wasm or .wat module");

  private static final ParameterSpec<String> ARGS = ParameterSpec.rest("ARGS", ValueType.STRING,
      "the function's arguments; without --invoke, the WASI guest's arguments (after --)");

  private static final OptionSpec<String> INVOKE =
      OptionSpec.single("NAME", ValueType.STRING, "the exported function to call", "--invoke");

  private static final OptionSpec<Boolean> BACKTRACE =
      OptionSpec.flag("after a trap, list the wasm frames (innermost first) on stderr", "--backtrace");

  private static final OptionSpec<Integer> REPEAT = OptionSpec.single("N", ValueType.INT,
      "call the export N times in the same instance (default 1); results are printed once", "--repeat")
      .withDefault(1);

  private static final OptionSpec<Boolean> TIME =
      OptionSpec.flag("after the results, print best_ms=MS: the fastest of the calls", "--time");

  private static final OptionSpec<String> DIR = OptionSpec.repeated("HOST[::GUEST]", ValueType.STRING,
      "WASI: preopen directory HOST, seen by the guest as GUEST (default: HOST as written)", "--dir");

  private static final OptionSpec<String> ENV =
      OptionSpec.repeated("NAME=VALUE", ValueType.STRING, "WASI: an environment variable of the guest", "--env");

  private static final OptionSpec<Path> VERIFY_KEY = OptionSpec.single("FILE", ValueType.INPUT_FILE,
      "refuse the .cwasm unless it was signed with the key in FILE (kiln compile --sign-key FILE)", "--verify-key");

  private static final OptionSpec<Boolean> BENCH_TIMER = OptionSpec.flag(
      "provide sightglass's bench.start/bench.end imports and print bench_ms=MS on stderr", "--bench-timer");

  private static final OptionSpec<String> TIMEOUT = OptionSpec.single("DURATION", ValueType.STRING,
      "interrupt the guest once DURATION (e.g. 2s, 500ms, 1m) has passed: it traps 'interrupt' at its next loop"
          + " iteration or call (epoch interruption); a .cwasm must have been compiled with --epoch-interruption",
      "--timeout");

  private static final OptionSpec<Long> FUEL = OptionSpec.single("N", ValueType.LONG,
      "give the guest N units of fuel, one per wasm operator executed (Wasmtime's cost model): it traps 'out of"
          + " fuel' once they are spent; a .cwasm must have been compiled with --consume-fuel", "--fuel");

  private static final OptionSpec<Profile> PROFILE = OptionSpec.single("perfmap", ValueType.oneOf(Profile.class),
      "perfmap: write /tmp/perf-PID.map naming every function of the module, whose code runs from a private copy"
          + " in anonymous memory where perf finds no file to name it from", "--profile");

  private static final OptionSpec<Boolean> TIMINGS = OptionSpec.flag(
      "after the run, print on stderr where its wall time went: launcher, JVM start, parsing the command line,"
          + " compiling or the cache lookup, loading, setting up WASI, linking host functions, instantiating,"
          + " the call", "--timings");

  private static final OptionSpec<Boolean> NO_CACHE = OptionSpec.flag(
      "compile a .wasm in memory without looking in or storing into the compiled-module cache", "--no-cache");

  private static final OptionSpec<String> MAX_MEMORY = OptionSpec.single("SIZE", ValueType.STRING,
      "limit what the guest's memories and tables commit together to SIZE (e.g. 64MiB; a table takes 8 bytes per"
          + " element, in whole pages): an instantiation that needs more fails, memory.grow and table.grow past it"
          + " return -1", "--max-memory");

  private static final OptionSpec<Long> MAX_TABLE_ELEMENTS = OptionSpec.single("N", ValueType.LONG,
      "limit the elements of all the guest's tables together to N (default " + Store.DEFAULT_MAX_TABLE_ELEMENTS
          + "): an instantiation that needs more fails, table.grow past it returns -1", "--max-table-elements");

  private static final OptionSpec<String> MAX_ADDRESS_SPACE = OptionSpec.single("SIZE", ValueType.STRING,
      "limit the address space the guest's memories and tables reserve together to SIZE (default 1TiB; every"
          + " 32-bit memory reserves 4 GiB and a guard region whatever its size): an instantiation that needs more"
          + " fails", "--max-address-space");

  private static final OptionSpec<Integer> MAX_OPEN_FILES = OptionSpec.single("N", ValueType.INT,
      "WASI: let the guest hold at most N descriptors open at once, its standard streams and --dir preopens"
          + " included (default " + WasiOptions.DEFAULT_MAX_OPEN_FILES + "): a path_open past it fails with EMFILE",
      "--max-open-files");

  private static final CommandSpec SPEC = new CommandSpec("run",
      List.of(
          "Load a compiled module (.cwasm), instantiate it and call an export. A .wasm module (or a .wat"
              + " text module) is compiled for this host in memory first (as 'kiln compile' would, without writing a file).",
          "Arguments are parsed by the export's parameter types: integers in decimal (i32 also"
              + " accepts 0..4294967295, i64 0..2^64-1), floats as Java parses them (1.5, -0.0, NaN, Infinity),"
              + " a v128 as 0x and up to 32 hex digits (one 128-bit number, lane 0 in its low bits, as v128"
              + " results print) or as lanes, SHAPE:L0,L1,... with SHAPE one of i8x16 i16x8 i32x4 i64x2 f32x4 f64x2.",
          "Without --invoke, a WASI command's _start runs and ARGS are its command-line arguments; a module"
              + " with neither lists its exports."),
      CommandSpec.join(List.of(INVOKE, BACKTRACE, REPEAT, TIME, DIR, ENV, VERIFY_KEY, BENCH_TIMER, TIMEOUT, FUEL,
          PROFILE, TIMINGS, NO_CACHE), CacheOptions.OPTIONS, List.of(MAX_MEMORY, MAX_TABLE_ELEMENTS,
          MAX_ADDRESS_SPACE, MAX_OPEN_FILES)),
      List.of(FILE, ARGS),
      List.of(new ExitStatus("0", "ran to completion"),
          new ExitStatus("1", "trap, bad file, bad arguments or uninstantiable module"),
          new ExitStatus("2", "no --invoke, no _start: the exported functions are listed"),
          new ExitStatus("N", "a WASI guest's proc_exit(N), N below 126 (a larger N is a trap: 1)")),
      List.of("", "Examples:",
          "  kiln compile examples/hello.wasm -o hello.cwasm && kiln run hello.cwasm --invoke fac 5",
          "  kiln run app.wasm --dir . --env LANG=C -- input.txt    # WASI; exit status = proc_exit's",
          "  kiln run app.wasm --timeout 2s                         # trap 'interrupt' after 2 seconds"));

  // This run's values, read from the command line when it starts.
  private Path file;
  private String invoke;
  private boolean backtrace;
  private String timeout;
  private Long fuel;
  private List<String> args;

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public int run(ParsedArgs parsed, PrintWriter out, PrintWriter err) throws IOException {
    RunTimings steps = new RunTimings(parsed.isSet(TIMINGS), System.nanoTime());
    file = parsed.get(FILE);
    invoke = parsed.get(INVOKE);
    backtrace = parsed.isSet(BACKTRACE);
    timeout = parsed.get(TIMEOUT);
    fuel = parsed.get(FUEL);
    args = parsed.all(ARGS);
    try {
      return run(parsed, out, err, steps);
    } catch (Trap trap) {
      err.println("error: trap" + innermost(trap.backtrace()) + ": " + trap.getMessage() + limitNote(trap));
      if (backtrace) {
        trap.backtrace().forEach(frame -> err.println("  at " + frame));
      }
      return 1;
    } catch (PrecompiledRefused e) {
      err.println("error: " + e.getMessage()); // the API's message names the file
      return 1;
    } catch (CompileTimeout e) {
      err.println("error: " + file + ": " + e.getMessage() + " (--timeout " + timeout + " elapsed)");
      return 1;
    } catch (KilnException | IllegalArgumentException e) {
      if (UserErrorHandler.causedByError(e)) {
        throw e; // out of memory or stack on a compile thread: UserErrorHandler's one line
      }
      err.println("error: " + file + ": " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      steps.print(err);
      err.flush();
    }
  }

  /** Whether the user named {@code file} as a compiled artifact: {@code *.cwasm}. */
  private static boolean namesAnArtifact(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().endsWith(".cwasm");
  }

  private int run(ParsedArgs parsed, PrintWriter out, PrintWriter err, RunTimings steps) throws IOException {
    Duration interruptAfter = timeout == null ? null : EpochTimer.parse(timeout);
    // One deadline for the whole run: compiling a .wasm spends of it, and the guest gets the rest.
    long startNanos = System.nanoTime();
    if (fuel != null && fuel < 0) {
      throw new IllegalArgumentException("--fuel must be at least 0, got " + fuel);
    }
    // What the code must check is what was asked for: a .cwasm compiled otherwise is refused.
    Engine.Builder settings = Engine.builder().epochInterruption(interruptAfter != null).consumeFuel(fuel != null)
        .perfMap(parsed.get(PROFILE) == Profile.perfmap);
    Path verifyKey = parsed.get(VERIFY_KEY);
    if (verifyKey != null) {
      settings.verifyKey(verifyKey);
    }
    CommandLineFiles.requireRegularFile(file, "a module or .cwasm");
    byte[] head = head(file);
    Optional<Target> precompiled = WasmModule.precompiledTarget(head);
    boolean binary = CommandLineFiles.startsWithWasmMagic(head);
    boolean elf = isElf(head);
    // Neither magic: the whole file decides whether it is text, and is then the module read; but
    // only one that can begin as a text module is read at all.
    boolean maybeText = !binary && !elf && ModuleSource.mayBeText(file);
    if (!binary && !elf && !maybeText) {
      throw neitherModuleNorArtifact();
    }
    if (verifyKey != null && !elf) {
      throw new IllegalArgumentException("--verify-key checks a signed .cwasm; this is a module, which has no tag");
    }
    byte[] whole = maybeText ? CommandLineFiles.read(file, "a module") : null;
    boolean text = maybeText && ModuleSource.isText(file, whole);
    if (maybeText && !text) {
      throw neitherModuleNorArtifact();
    }
    if (elf && !namesAnArtifact(file)) {
      // A .cwasm is native code Kiln runs as trusted (docs/SECURITY.md); a module is sandboxed. The
      // name is what the user chose to trust, so an artifact under a module's name (app.wasm, built
      // by whoever shipped it) is refused rather than run by its first bytes (red team 12 F2).
      throw new IllegalArgumentException("a compiled artifact (ELF: native code run as trusted) under a name that is"
          + " not *.cwasm; Kiln runs modules sandboxed, and an artifact only from a file named *.cwasm");
    }
    Engine engine;
    WasmModule module;
    if (binary || text) {
      engine = hostEngine(parsed, settings, interruptAfter);
      module = compileForHost(engine, whole, err, steps);
    } else {
      // Code for another target than the host's (AArch64 on x86-64) runs on the emulator.
      if (interruptAfter != null) {
        settings.compileTimeout(interruptAfter); // reading the artifact back spends of the run's time too
      }
      engine = settings.target(precompiled.or(Target::host).orElse(Target.X86_64)).build();
      try {
        module = WasmModule.load(engine, file);
      } catch (CompileTimeout e) {
        throw e;
      } catch (KilnException e) {
        throw new PrecompiledRefused(e);
      }
    }
    steps.mark("load");
    try (Store store = storeSettings(parsed, engine).build(); module;
        EpochTimer _ = startTimer(engine, store, remaining(interruptAfter, startNanos))) {
      if (fuel != null) {
        store.setFuel(fuel);
      }
      Linker linker = new Linker(store);
      if (WasiCommandLine.importedBy(module)) {
        WasiCommandLine.define(linker, module,
            WasiCommandLine.options(file, invoke == null ? args : List.of(), parsed.all(DIR), parsed.all(ENV),
                parsed.get(MAX_OPEN_FILES)));
        steps.mark("wasi");
      }
      BenchTimer timer = parsed.isSet(BENCH_TIMER) ? BenchTimer.define(linker) : null;
      steps.mark("link");
      try (Instance instance = linker.instantiate(module)) {
        steps.mark("instantiate");
        try {
          int status = call(instance, module, parsed, out, err);
          steps.mark("call");
          return status;
        } catch (WasmThrow thrown) {
          String payload = thrown.payload().isEmpty() ? ""
              : thrown.payload().stream().map(ValText::format).collect(Collectors.joining(", ", " (", ")"));
          err.println("error: uncaught exception" + innermost(thrown.backtrace()) + ": "
              + tagName(instance, thrown.tag()) + payload);
          if (backtrace) {
            thrown.backtrace().forEach(frame -> err.println("  at " + frame));
          }
          return 1;
        }
      } catch (WasiExit exit) {
        return exit.status();
      } finally {
        if (timer != null) {
          timer.report(err);
        }
      }
    }
  }

  /**
   * The engine that compiles a {@code .wasm} for this host: with the compiled-module cache unless
   * {@code --no-cache}, and {@code --timeout} bounding the compile too (a hostile module can be
   * shaped to make it long; the budget changes no code, so the cache key is the same either way).
   */
  private static Engine hostEngine(ParsedArgs parsed, Engine.Builder settings, Duration timeout) {
    Target host = Target.host().orElseThrow(() -> new IllegalArgumentException(
        "this host (" + System.getProperty("os.arch") + ") runs no Kiln target"));
    settings.target(host);
    if (!parsed.isSet(NO_CACHE)) {
      CacheOptions cache = CacheOptions.from(parsed);
      settings.moduleCache(cache.directory(), cache.maxBytes());
    }
    if (timeout != null) {
      settings.compileTimeout(timeout);
    }
    return settings.build();
  }

  /**
   * A {@code .wasm} compiled for this host as {@code kiln compile} would: loaded from the
   * compiled-module cache, compiled and stored there on a miss, or with {@code --no-cache} compiled
   * into memory only ({@link WasmModule#compile}). The cache never stops a run: an entry it cannot
   * store, or a cache it refuses (not the user's alone), is run from memory, after one warning line.
   *
   * @param content the file's bytes if they were read already (a text module), else null
   */
  private WasmModule compileForHost(Engine engine, byte[] content, PrintWriter err, RunTimings steps)
      throws IOException {
    byte[] wasm = content == null ? ModuleSource.read(file) : ModuleSource.binary(file, content);
    WasmModule module = WasmModule.compile(engine, wasm);
    steps.mark(module.cacheUse() instanceof CacheUse.Hit ? "cache_hit" : "compile");
    // instanceof, not a pattern switch: a switch spins a class at its first run, on every run of a
    // .wasm (ValText.format says why that counts).
    if (module.cacheUse() instanceof CacheUse.NotStored notStored) {
      err.println("warning: compiled-module cache " + notStored.directory()
          + ": cannot store (" + UserErrorHandler.describe(notStored.reason()) + "); running from memory");
    } else if (module.cacheUse() instanceof CacheUse.Refused refused) {
      err.println("warning: compiled-module cache " + refused.directory()
          + ": not used, someone else could have written it (" + UserErrorHandler.describe(refused.reason())
          + "); running from memory");
    }
    return module;
  }

  /**
   * The store's limits: {@code --max-memory}, {@code --max-table-elements} and {@code
   * --max-address-space} over the defaults.
   */
  private static Store.Builder storeSettings(ParsedArgs parsed, Engine engine) {
    Store.Builder store = Store.builder(engine);
    String maxMemory = parsed.get(MAX_MEMORY);
    if (maxMemory != null) {
      store.maxMemoryBytes(ByteSize.parse("--max-memory", maxMemory));
    }
    Long maxTableElements = parsed.get(MAX_TABLE_ELEMENTS);
    if (maxTableElements != null) {
      if (maxTableElements < 0) {
        throw new IllegalArgumentException("--max-table-elements must be at least 0, got " + maxTableElements);
      }
      store.maxTableElements(maxTableElements);
    }
    String maxAddressSpace = parsed.get(MAX_ADDRESS_SPACE);
    if (maxAddressSpace != null) {
      store.maxAddressSpace(ByteSize.parse("--max-address-space", maxAddressSpace));
    }
    return store;
  }

  /** What is left of {@code budget} (null: none) since {@code startNanos}, at least zero. */
  private static Duration remaining(Duration budget, long startNanos) {
    if (budget == null) {
      return null;
    }
    Duration left = budget.minusNanos(System.nanoTime() - startNanos);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** With a timeout: the deadline is the next epoch, which the timer thread reaches when it expires. */
  private static EpochTimer startTimer(Engine engine, Store store, Duration timeout) {
    if (timeout == null) {
      return null;
    }
    store.setEpochDeadline(1);
    return EpochTimer.start(engine::incrementEpoch, timeout);
  }

  /** What the trap line adds for the two traps the command line's own limits cause. */
  private String limitNote(Trap trap) {
    return switch (trap.reason()) {
      case Trap.INTERRUPT -> " (--timeout " + timeout + " elapsed)";
      case Trap.OUT_OF_FUEL -> " (--fuel " + fuel + " spent)";
      default -> "";
    };
  }

  /**
   * A tag as the module names it: {@code tag "NAME"} when the instance exports it, else {@code tag
   * #N}, its index in the instance's tag index space, else (a tag of another instance, passed
   * through a host function) {@code a tag of another instance}.
   */
  private static String tagName(Instance instance, Tag tag) {
    for (ExportType export : instance.exports()) {
      if (export.type() instanceof TagType && instance.tag(export.name()).equals(tag)) {
        return "tag \"" + export.name() + "\"";
      }
    }
    OptionalInt index = instance.tagIndex(tag);
    return index.isPresent() ? "tag #" + index.getAsInt() : "a tag of another instance";
  }

  /**
   * Where the trap happened, for its one line, before the message (which may end with a host
   * exception's own text): the innermost frame of a function the module defines (a trap in a
   * builtin or a host function names its wasm caller, one in inlined code the inlined function),
   * e.g. {@code " in fac (wasm[0]::function[1]) @ 0x3a"}; empty when no frame resolves. {@code
   * --backtrace} lists them all.
   */
  private static String innermost(List<Frame> frames) {
    return frames.isEmpty() ? "" : " in " + frames.getFirst();
  }

  private int call(Instance instance, WasmModule module, ParsedArgs parsed, PrintWriter out, PrintWriter err) {
    String export = invoke;
    List<String> callArgs = args;
    if (export == null) {
      if (exportNamed(module, DEFAULT_EXPORT).isEmpty()) {
        if (!args.isEmpty()) {
          throw new IllegalArgumentException("arguments given but no --invoke NAME and no _start to pass them to");
        }
        // Instantiated (its start function ran); a module with functions to call wants one named.
        return ExportList.print(file, instance, err) ? NO_EXPORT_NAMED : 0;
      }
      export = DEFAULT_EXPORT;
      callArgs = List.of(); // the ARGS went to the WASI guest's argv
    }
    Func func = exportedFunction(instance, module, export);
    FuncType type = func.type();
    if (callArgs.size() != type.params().size()) {
      throw new IllegalArgumentException("\"" + export + "\" takes " + type.params().size() + " argument(s) "
          + type.params() + ", got " + callArgs.size());
    }
    Val[] values = new Val[callArgs.size()];
    for (int i = 0; i < callArgs.size(); i++) {
      values[i] = ValText.parse(type.params().get(i), callArgs.get(i));
    }
    int repeat = parsed.get(REPEAT);
    if (repeat < 1) {
      throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
    }
    List<Val> results = List.of();
    long bestNanos = Long.MAX_VALUE;
    for (int i = 0; i < repeat; i++) {
      long start = System.nanoTime();
      results = func.call(values);
      bestNanos = Math.min(bestNanos, System.nanoTime() - start);
    }
    results.forEach(value -> out.println(ValText.format(value)));
    if (parsed.isSet(TIME)) {
      out.println("best_ms=" + Millis.of(bestNanos, 3));
    }
    return 0;
  }

  private static Optional<ExportType> exportNamed(WasmModule module, String name) {
    return module.exports().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The function {@code --invoke} names, or a line saying what the module has under that name. */
  private static Func exportedFunction(Instance instance, WasmModule module, String name) {
    ExportType export = exportNamed(module, name).orElseThrow(() -> new IllegalArgumentException(
        "no export named \"" + name + "\""));
    if (!(export.type() instanceof FuncType)) {
      throw new IllegalArgumentException("export \"" + name + "\" is a " + ValText.kindName(export.type())
          + ", not a function");
    }
    return instance.func(name);
  }

  /** A {@code .cwasm} the API would not load: its message names the file already. */
  private static final class PrecompiledRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PrecompiledRefused(KilnException e) {
      super(e.getMessage(), e, false, false);
    }
  }

  /** The file's first (up to) 64 bytes: an ELF header's worth, for {@link WasmModule#precompiledTarget}. */
  private static byte[] head(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(64);
    }
  }

  private static IllegalArgumentException neitherModuleNorArtifact() {
    return new IllegalArgumentException("neither a WebAssembly module (\\0asm or .wat text) nor a .cwasm (ELF)");
  }

  /** Whether {@code head} starts with the ELF magic (a .cwasm is ELF64; the loader checks the rest). */
  private static boolean isElf(byte[] head) {
    return head.length >= 4 && head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
  }
}
