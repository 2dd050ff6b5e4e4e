package dev.kiln.cli;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.cli.args.CommandSpec;
import dev.kiln.cli.args.CommandSpec.ExitStatus;
import dev.kiln.cli.args.OptionSpec;
import dev.kiln.cli.args.ParameterSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.Subcommand;
import dev.kiln.cli.args.ValueType;
import dev.kiln.artifact.elf.ArtifactFileWriter;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompileProgress;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.compiler.driver.UnsupportedInitialiserException;
import dev.kiln.compiler.link.LinkedText;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.WasmException;
import dev.kiln.wasm.module.Module;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code kiln compile IN.wasm -o OUT.cwasm [--target x86_64] [--jobs N] [--x86-64-features LIST]
 * [--sign-key FILE]}: decode, validate, compile every function on N threads, link and write the
 * artifact (docs/ARCHITECTURE.md section 2), sealed and, with a key, signed ({@link ArtifactSeal}). The
 * file is replaced by a rename, never rewritten in place, so a process running the old one keeps
 * it. Anything wrong with the input (malformed, invalid, a feature Kiln does not compile yet, a
 * target it cannot emit) is one line on stderr and exit 1; the output file is only written on
 * success. An output path that cannot take the file (a directory, a device, a missing or
 * unwritable folder) is refused before compiling, in one line with the kernel's reason ({@link
 * ArtifactFileWriter#checkWritable}).
 */
final class CompileCommand implements Subcommand {
  private static final ParameterSpec<Path> INPUT =
      ParameterSpec.one("IN.wasm", ValueType.INPUT_FILE, "the module to compile (.wasm, or .wat text)");

  private static final OptionSpec<Path> OUTPUT = OptionSpec.single("OUT.cwasm", ValueType.PATH,
      "where to write the artifact", "-o", "--output").asRequired();

  private static final OptionSpec<String> TARGET = OptionSpec.single("ISA", ValueType.STRING,
      "instruction set to emit: x86_64 (default) or aarch64", "--target").withDefault("x86_64");

  private static final OptionSpec<Integer> JOBS = OptionSpec.single("N", ValueType.INT,
      "functions compiled at once (default: available processors; output is the same for any N)", "-j", "--jobs");

  private static final OptionSpec<Boolean> TABLE_LAZY_INIT = OptionSpec.single("true|false", ValueType.BOOLEAN,
      "funcref table slots start uninitialised and are filled on first use by compiled code (true, default), or"
          + " are all filled at instantiation (false); recorded in the artifact, which a loader or linker with the"
          + " other setting refuses", "--table-lazy-init").withDefault(true);

  private static final OptionSpec<Boolean> EXPLICIT_BOUNDS_CHECKS = OptionSpec.flag(
      "check every 32-bit memory access in the code instead of leaving accesses within the loader's 32 MiB guard"
          + " region to the hardware (an access past the end then faults and the fault becomes the same trap);"
          + " recorded in the artifact", "--explicit-bounds-checks");

  private static final OptionSpec<Boolean> NO_INLINE = OptionSpec.flag(
      "compile every direct call as a call instead of inlining small callees (a trap's backtrace names inlined"
          + " functions either way); recorded in the artifact", "--no-inline");

  private static final OptionSpec<String> X86_FEATURES = OptionSpec.single("LIST", ValueType.STRING,
      "x86-64 extensions the code may use, for a cross-compile: 'baseline' (SSE2 only, runs on every x86-64 CPU)"
          + " or a comma-separated list of lzcnt, bmi1, popcnt, sse4_1, ssse3, sse4_2, avx, avx2, bmi2"
          + " (default: those of this machine; v128 operations need ssse3 and sse4_1); recorded in the artifact,"
          + " which a loader refuses on a CPU without one of them", "--x86-64-features");

  private static final OptionSpec<Boolean> VERBOSE = OptionSpec.flag(
      "after the summary, compile the module once more on one thread, phase by phase, and print where the time"
          + " goes (decode, validate, translate, lower, regalloc, emit, link, write); then what register allocation"
          + " left in the code: spill stores, reloads and register copies (each also counted inside loops), for"
          + " the module and for every function that has any", "-v", "--verbose");

  private static final OptionSpec<Path> SIGN_KEY = OptionSpec.single("FILE", ValueType.INPUT_FILE,
      "sign the artifact with the HMAC-SHA256 key in FILE (its bytes, at least 32; e.g. head -c 32 /dev/urandom >"
          + " kiln.key), so that 'kiln run --verify-key FILE' refuses any copy changed without it", "--sign-key");

  private static final CommandSpec SPEC = new CommandSpec("compile",
      List.of("Compile a WebAssembly module ahead of time into a .cwasm artifact.",
          "Prints one summary line (with the time and MB/s of wasm compiled, from reading the input to the"
              + " finished artifact); on a terminal, a progress line on stderr while a large module compiles;"
              + " errors are one line: 'IN: malformed|invalid|unsupported: reason'."),
      CommandSpec.join(List.of(OUTPUT, TARGET, JOBS, TABLE_LAZY_INIT, EXPLICIT_BOUNDS_CHECKS, NO_INLINE),
          ExecutionLimitOptions.OPTIONS,
          List.of(X86_FEATURES, VERBOSE, SIGN_KEY)),
      List.of(INPUT),
      List.of(new ExitStatus("0", "compiled"),
          new ExitStatus("1", "malformed, invalid, unsupported, or unreadable input, or unsupported target")),
      List.of());

  private final Function<Target, Optional<Backend>> backends;

  /** The command with the backends this build has ({@link TargetBackends}). */
  CompileCommand() {
    this(TargetBackends::forTarget);
  }

  /** The command with other backends (tests). */
  CompileCommand(Function<Target, Optional<Backend>> backends) {
    this.backends = backends;
  }

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws IOException {
    Path input = args.get(INPUT);
    String target = args.get(TARGET);
    String x86Features = args.get(X86_FEATURES);
    Integer jobs = args.get(JOBS);
    Path signKey = args.get(SIGN_KEY);
    Optional<Target> isa = Target.fromName(target);
    if (isa.isEmpty()) {
      return fail(err, "error: unknown target '" + target + "' (known: "
          + Arrays.stream(Target.values()).map(Target::displayName).collect(Collectors.joining(", ")) + ")");
    }
    Optional<Backend> backend;
    if (x86Features != null) {
      if (isa.get() != Target.X86_64) {
        return fail(err, "error: --x86-64-features applies to --target x86_64, not " + isa.get());
      }
      try {
        backend = Optional.of(TargetBackends.x64(CpuFeatures.parse(x86Features)));
      } catch (IllegalArgumentException e) {
        return fail(err, "error: --x86-64-features: " + e.getMessage());
      }
    } else {
      backend = backends.apply(isa.get());
    }
    if (backend.isEmpty()) {
      return fail(err, "error: target " + isa.get() + " is not supported yet");
    }
    if (jobs != null && jobs < 1) {
      return fail(err, "error: --jobs must be at least 1, got " + jobs);
    }
    CompileOptions options = (jobs == null ? CompileOptions.defaults() : new CompileOptions(jobs))
        .withTableLazyInit(args.get(TABLE_LAZY_INIT))
        .withLimits(ExecutionLimitOptions.limits(args))
        .withMemoryGuard(args.isSet(EXPLICIT_BOUNDS_CHECKS) ? MemoryGuard.NONE : MemoryGuard.DEFAULT)
        .withInlining(!args.isSet(NO_INLINE));
    Optional<SigningKey> key;
    try {
      key = signKey == null ? Optional.empty() : Optional.of(SigningKey.read(signKey));
    } catch (IllegalArgumentException e) {
      return fail(err, "error: --sign-key " + e.getMessage());
    }

    // A path that cannot take the artifact is refused now, not after the whole compile.
    ArtifactFileWriter.checkWritable(args.get(OUTPUT));
    byte[] bytes = ModuleSource.read(input);
    long started = System.nanoTime();
    Module module;
    try {
      module = Wasm.load(bytes);
    } catch (WasmException e) {
      String verdict = switch (e) {
        case MalformedException _ -> "malformed";
        case InvalidException _ -> "invalid";
        default -> "rejected";
      };
      return fail(err, input + ": " + verdict + ": " + e.getMessage());
    }
    byte[] artifact;
    CompiledModule compiled;
    LinkedText linked;
    CompileProgress progress = ProgressLine.forStderr(input.getFileName().toString());
    try {
      compiled = Compiler.compile(module, backend.get(), options, progress);
      linked = ArtifactEmitter.link(compiled);
      artifact = ArtifactEmitter.emit(compiled, linked, KilnVersion.current());
    } catch (UnsupportedFeatureException | UnsupportedInitialiserException e) {
      ProgressLine.finish(progress);
      return fail(err, input + ": unsupported: " + e.getMessage());
    }
    ProgressLine.finish(progress);
    key.ifPresent(k -> ArtifactSeal.sign(artifact, k));
    // Never rewritten in place: a process may be running the old artifact from its mapping.
    ArtifactFileWriter.write(args.get(OUTPUT), artifact);
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(Locale.ROOT, "%s: %d functions (%d dropped as unreachable), %d bytes of code, %d-byte artifact;"
        + " %.2f s, %s MB/s of wasm on %d jobs%s%n", args.get(OUTPUT), linked.functions().size(), linked.dropped().size(),
        linked.text().length, artifact.length, seconds, megabytesPerSecond(bytes.length, seconds), options.jobs(),
        key.isPresent() ? "; signed" : "");
    if (args.isSet(VERBOSE)) {
      out.println("phases on one thread: " + CompilePhases.measure(bytes, backend.get(), options).describe());
      printMoveCounts(out, compiled);
    }
    out.flush();
    return 0;
  }

  /**
   * The module's move counts, then one line per function with any, in FuncKey order: a deterministic
   * measure of the allocator's work to compare between compiler versions without a clock.
   */
  private static void printMoveCounts(PrintWriter out, CompiledModule compiled) {
    out.println("moves: " + compiled.moveCounts().describe());
    compiled.functions().forEach((k, f) -> {
      if (!f.moveCounts().isEmpty()) {
        out.println("  " + k + ": " + f.moveCounts().describe());
      }
    });
  }

  /**
   * Wasm bytes compiled per second in MB (10^6 bytes): 1 decimal from 1 MB/s up, else three
   * significant digits, so a small module does not read "0.000" (and in plain notation: {@code %g}
   * would print a rate under 10^-4, a tiny module's slow cold compile, as "9.30e-05").
   */
  static String megabytesPerSecond(long bytes, double seconds) {
    double rate = bytes / seconds / 1e6;
    if (rate >= 1 || rate == 0 || !Double.isFinite(rate)) {
      return String.format(Locale.ROOT, "%.1f", rate);
    }
    BigDecimal rounded = new BigDecimal(rate).round(new MathContext(3));
    // Trailing zeros kept to three digits: 0.25 MB/s reads "0.250".
    return rounded.setScale(rounded.scale() + 3 - rounded.precision()).toPlainString();
  }

  private static int fail(PrintWriter err, String line) {
    err.println(line);
    err.flush();
    return 1;
  }
}
