package dev.kiln.cli;

import dev.kiln.cli.args.CommandSpec;
import dev.kiln.cli.args.CommandSpec.ExitStatus;
import dev.kiln.cli.args.OptionSpec;
import dev.kiln.cli.args.ParameterSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.Subcommand;
import dev.kiln.cli.args.ValueType;
import dev.kiln.runtime.CompileTimeout;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.tools.CommandLineFiles;
import dev.kiln.runtime.tools.CompileReport;
import dev.kiln.runtime.tools.Compilations;
import dev.kiln.runtime.tools.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code kiln compile IN.wasm -o OUT.cwasm [--target x86_64] [--jobs N] [--x86-64-features LIST]
 * [--timeout DURATION] [--sign-key FILE]}: decode, validate, compile every function on N threads, link and write the
 * artifact (docs/ARCHITECTURE.md section 2), sealed and, with a key, signed: {@link
 * Engine#precompile}'s compile, with the figures and progress of {@link Compilations}. The
 * file is replaced by a rename, never rewritten in place, so a process running the old one keeps
 * it. Anything wrong with the input (malformed, invalid, a feature Kiln does not compile yet, a
 * target it cannot emit) is one line on stderr and exit 1; the output file is only written on
 * success. An output path that cannot take the file (a directory, a device, a missing or
 * unwritable folder) is refused before compiling, in one line with the kernel's reason, and so is
 * one that names the input module or another existing module ({@link
 * CommandLineFiles#checkArtifactTarget}): a mistyped {@code -o} must not destroy a module.
 */
final class CompileCommand implements Subcommand {
  /**
   * The module size from which the old generation is kept near what the compile holds ({@link
   * OldGenerationLimit}): a smaller compile's heap stays under the limit's floor anyway.
   */
  static final int LARGE_MODULE_BYTES = 8_000_000;

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

  private static final OptionSpec<String> TIMEOUT = OptionSpec.single("DURATION", ValueType.STRING,
      "stop the compile once DURATION (e.g. 2s, 500ms, 1m) has passed, with one error line naming the phase and"
          + " no artifact written: for modules from someone you do not trust (as 'kiln run --timeout' bounds a"
          + " run's compile)", "--timeout");

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
          List.of(X86_FEATURES, TIMEOUT, VERBOSE, SIGN_KEY)),
      List.of(INPUT),
      List.of(new ExitStatus("0", "compiled"),
          new ExitStatus("1", "malformed, invalid, unsupported, or unreadable input, unsupported target, or"
              + " --timeout elapsed")),
      List.of());

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
    Engine.Builder settings = Engine.builder().target(isa.get())
        .tableLazyInit(args.get(TABLE_LAZY_INIT))
        .epochInterruption(ExecutionLimitOptions.epochInterruption(args))
        .consumeFuel(ExecutionLimitOptions.consumeFuel(args))
        .explicitBoundsChecks(args.isSet(EXPLICIT_BOUNDS_CHECKS))
        .inlining(!args.isSet(NO_INLINE));
    if (x86Features != null) {
      if (isa.get() != Target.X86_64) {
        return fail(err, "error: --x86-64-features applies to --target x86_64, not " + isa.get().displayName());
      }
      try {
        settings.x86Features(x86Features);
      } catch (IllegalArgumentException e) {
        return fail(err, "error: --x86-64-features: " + e.getMessage());
      }
    }
    if (jobs != null) {
      if (jobs < 1) {
        return fail(err, "error: --jobs must be at least 1, got " + jobs);
      }
      settings.compileJobs(jobs);
    }
    String timeout = args.get(TIMEOUT);
    if (timeout != null) {
      try {
        // Red team 27 (F1, F2): a module can be shaped to compile for minutes; kiln compile is
        // bounded as kiln run --timeout bounds a run's compile (Engine.Builder.compileTimeout).
        settings.compileTimeout(EpochTimer.parse(timeout));
      } catch (IllegalArgumentException e) {
        return fail(err, "error: " + e.getMessage());
      }
    }
    if (signKey != null) {
      try {
        settings.signKey(signKey);
      } catch (IllegalArgumentException e) {
        return fail(err, "error: --sign-key " + e.getMessage());
      }
    }
    Engine engine = settings.build();

    // A path that cannot take the artifact, or that holds the input or another module, is refused
    // now, not after the whole compile.
    CommandLineFiles.checkArtifactTarget(input, args.get(OUTPUT));
    byte[] bytes = ModuleSource.read(input);
    long started = System.nanoTime();
    CompileReport report;
    ProgressListener line = ProgressLine.forStderr(input.getFileName().toString());
    ProgressListener progress = bytes.length >= LARGE_MODULE_BYTES
        ? OldGenerationLimit.limiting(line, OldGenerationLimit.FLOOR_BYTES) : line;
    try {
      // Written as it is laid out, replacing the file by a rename: never rewritten in place (a
      // process may be running the old artifact from its mapping), only written on success.
      report = Compilations.compile(engine, bytes, progress, args.get(OUTPUT), args.isSet(VERBOSE));
    } catch (CompileTimeout e) {
      return fail(err, "error: " + input + ": " + e.getMessage() + " (--timeout " + timeout + " elapsed)");
    } catch (KilnException e) {
      if (UserErrorHandler.causedByError(e)) {
        throw e; // out of memory or stack on a compile thread: UserErrorHandler's one line
      }
      return fail(err, "error: " + input + ": " + e.getMessage());
    } finally {
      ProgressLine.finish(line);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(Locale.ROOT, "%s: %d functions (%d dropped as unreachable), %d bytes of code, %d-byte artifact;"
        + " %.2f s, %s MB/s of wasm on %d jobs%s%n", args.get(OUTPUT), report.functions(), report.dropped(),
        report.codeBytes(), report.artifactBytes(), seconds, megabytesPerSecond(bytes.length, seconds),
        Compilations.jobs(engine), signKey != null ? "; signed" : "");
    if (args.isSet(VERBOSE)) {
      out.println("phases on one thread: " + Compilations.phases(engine, bytes));
      printMoveCounts(out, report);
    }
    out.flush();
    return 0;
  }

  /**
   * The module's move counts, then one line per function with any, in FuncKey order: a deterministic
   * measure of the allocator's work to compare between compiler versions without a clock.
   */
  private static void printMoveCounts(PrintWriter out, CompileReport report) {
    out.println("moves: " + report.moves());
    report.functionMoves().forEach(f -> out.println("  " + f.function() + ": " + f.moves()));
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
