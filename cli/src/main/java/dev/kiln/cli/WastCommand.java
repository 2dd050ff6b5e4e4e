package dev.kiln.cli;

import dev.kiln.cli.args.CommandSpec;
import dev.kiln.cli.args.CommandSpec.ExitStatus;
import dev.kiln.cli.args.OptionSpec;
import dev.kiln.cli.args.ParameterSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.Subcommand;
import dev.kiln.cli.args.ValueType;
import dev.kiln.runtime.tools.CommandLineFiles;
import dev.kiln.wast.FileReport;
import dev.kiln.wast.FrontEnd;
import dev.kiln.wast.ReportPrinter;
import dev.kiln.wast.ScriptSource;
import dev.kiln.wast.ShouldFailList;
import dev.kiln.wast.Tally;
import dev.kiln.wast.Target;
import dev.kiln.wast.TextScriptSource;
import dev.kiln.wast.WastRunner;
import dev.kiln.wast.X64Codegen;
import dev.kiln.wat.Edition;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** {@code kiln wast}: the command-line face of the spec-script engine ({@code dev.kiln.wast}). */
public final class WastCommand implements Subcommand {
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final OptionSpec<Target> TARGET = OptionSpec.single("ISA", Target::parse,
      "x86_64 (default) or aarch64 (emulated on an x86-64 host)", "--target").withDefault(Target.X86_64);

  private static final OptionSpec<String> X86_FEATURES = OptionSpec.single("LIST", ValueType.STRING,
      "compile x86_64 code for these extensions instead of this machine's: 'baseline' or a comma-separated list"
          + " as kiln compile takes", "--x86-64-features");

  private static final OptionSpec<Edition> EDITION = OptionSpec.single("2.0|3.0", WastCommand::edition,
      "the spec edition the scripts were written for: its text rules and features (2.0: the 2022 suite, a proposal"
          + " only from its proposals/NAME/ folder; 3.0, the default: everything 3.0 made standard)",
      "--edition").withDefault(Edition.WASM_3);

  private static final OptionSpec<Boolean> VERBOSE = OptionSpec.flag(
      "also report reason texts worded differently from the script's, and why cases were skipped", "-v", "--verbose");

  private static final OptionSpec<Path> SHOULD_FAIL = OptionSpec.single("FILE", ValueType.INPUT_FILE,
      "cases known to fail ('file.wast:LINE  reason' lines, # comments): a listed failure counts as skipped, a"
          + " listed case that passes counts as failed", "--should-fail");

  private static final ParameterSpec<Path> INPUTS = ParameterSpec.rest("FILE.wast|DIR", ValueType.INPUT_FILE_OR_DIRECTORY,
      "scripts to run; a folder means every .wast under it").asRequired();

  private static final CommandSpec SPEC = new CommandSpec("wast",
      List.of(
          "Run WebAssembly spec test scripts (.wast) against Kiln.",
          "",
          "Each script is read by Kiln's own script reader (no external tool) and its commands run in order. "
              + "module: decode + validate, then compile, load and "
              + "instantiate; assert_return, assert_trap, assert_exhaustion and actions run on that "
              + "instance, results compared bit for bit (an (either ...) result: any one of its alternatives); assert_malformed (a module quote must not parse, "
              + "a binary must not decode) and assert_invalid check the rejection. Commands that reach a "
              + "function the compiler refuses (named in the reason), or that the runner does not carry out "
              + "(thread, wait), are skipped and counted; a compiler, linker or loader error on a valid module is a "
              + "failure. v128 results compare lane by lane in the script's shape, NaN patterns per "
              + "lane. x86_64 runs on an x86-64 host; aarch64 runs natively on an AArch64 host and "
              + "emulated (Unicorn) on an x86-64 host.",
          "",
          "Prints one line of counts per file, then its failures (file:line; -v adds notes "
              + "and skip reasons); the last line is exactly 'N passed, N failed, N skipped'."),
      // Compiled in, in a store whose deadline and fuel are never reached: the scripts' outcomes must not change.
      CommandSpec.join(List.of(TARGET, X86_FEATURES, EDITION, VERBOSE, SHOULD_FAIL),
          ExecutionLimitOptions.OPTIONS),
      List.of(INPUTS),
      List.of(new ExitStatus("0", "nothing failed"), new ExitStatus("1", "a case failed"),
          new ExitStatus("2", "usage error, missing file or unreadable should-fail list")),
      List.of());

  /** The command; the values of a command line come with each {@link #run}. */
  public WastCommand() {}

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws IOException {
    List<Path> inputs = args.all(INPUTS);
    Path shouldFail = args.get(SHOULD_FAIL);
    String x86Features = args.get(X86_FEATURES);
    Target target = args.get(TARGET);
    List<Input> scripts = new ArrayList<>();
    for (Path input : inputs) {
      if (!Files.exists(input)) {
        err.println("error: no such file: " + input);
        return USAGE;
      }
      int before = scripts.size();
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          walk.filter(p -> p.toString().endsWith(".wast") && isScriptFile(p)).sorted()
              .forEach(p -> scripts.add(new Input(p, slashes(p))));
        }
      } else {
        scripts.add(new Input(input, slashes(input)));
      }
      if (scripts.size() == before) {
        err.println("error: no .wast files under " + input);
        return USAGE;
      }
    }
    ShouldFailList list;
    try {
      list = shouldFail == null ? ShouldFailList.EMPTY : ShouldFailList.read(shouldFail);
    } catch (IOException | IllegalArgumentException e) {
      err.println("error: should-fail list: " + e.getMessage());
      return USAGE;
    }
    X64Codegen x64 = X64Codegen.HOST;
    if (x86Features != null) {
      try {
        x64 = X64Codegen.unchecked(x86Features);
      } catch (IllegalArgumentException e) {
        err.println("error: --x86-64-features: " + e.getMessage());
        return USAGE;
      }
    }

    ScriptSource source = new TextScriptSource(args.get(EDITION));

    long start = System.nanoTime();
    WastRunner runner = new WastRunner(source, target, FrontEnd.KILN, x64,
        ExecutionLimitOptions.epochInterruption(args), ExecutionLimitOptions.consumeFuel(args));
    ReportPrinter printer = new ReportPrinter(out, args.isSet(VERBOSE));
    Tally totals = Tally.ZERO;
    for (Input s : scripts) {
      FileReport report = list.apply(runner.run(s.path(), s.reportedName()));
      printer.printFile(report);
      totals = totals.plus(report.tally());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    out.println(String.format(Locale.ROOT, "%d file%s in %.1f s, target %s%s",
        scripts.size(), scripts.size() == 1 ? "" : "s", seconds, target,
        target == Target.X86_64 ? " (" + x64.featureNames() + ")" : ""));
    printer.printTotals(totals);
    return totals.failed() > 0 ? FAILED : 0;
  }

  private static Edition edition(String text) {
    return switch (text) {
      case "2.0", "2" -> Edition.WASM_2;
      case "3.0", "3" -> Edition.WASM_3;
      default -> throw new IllegalArgumentException("'" + text + "' is not an edition (2.0 or 3.0)");
    };
  }

  private static String slashes(Path p) {
    return p.normalize().toString().replace('\\', '/');
  }

  /** A script to run and the name it is reported under. */
  private record Input(Path path, String reportedName) {}

  /**
   * Whether a {@code .wast} found under a folder is read: only a file a named script could be ({@link
   * CommandLineFiles#requireRegularFile}); a FIFO, a device or a kernel interface (a link to {@code
   * /proc/kmsg} blocked the run) is passed over, as other files are.
   */
  private static boolean isScriptFile(Path p) {
    try {
      CommandLineFiles.requireRegularFile(p, "a .wast script");
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
