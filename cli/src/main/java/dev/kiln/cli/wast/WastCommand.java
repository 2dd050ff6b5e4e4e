package dev.kiln.cli.wast;

import dev.kiln.cli.ExecutionLimitOptions;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code kiln wast}: the spec-test runner's command-line face. */
@Command(
    name = "wast",
    mixinStandardHelpOptions = true,
    description = {
      "Run WebAssembly spec test scripts (.wast) against Kiln.",
      "",
      "Each script is converted with wast2json (Debian's wabt) and its commands run in order. "
          + "module: decode + validate, then compile, load and "
          + "instantiate; assert_return, assert_trap, assert_exhaustion and actions run on that "
          + "instance, results compared bit for bit; assert_malformed (binary form) and "
          + "assert_invalid check the rejection. Commands that reach an operator Kiln does not "
          + "compile yet, and modules kept as text (module quote, text-form assert_malformed), are "
          + "skipped and counted; a compiler, linker or loader error on a valid module is a "
          + "failure. v128 results compare lane by lane in the script's shape, NaN patterns per "
          + "lane. x86_64 runs on an x86-64 host; aarch64 runs natively on an AArch64 host and "
          + "emulated (Unicorn) on an x86-64 host.",
      "",
      "Prints one line of counts per file followed by its failures (file:line), and as its last "
          + "line exactly 'N passed, N failed, N skipped'."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:nothing failed",
      "1:a case failed",
      "2:usage error, missing file, unreadable should-fail list, or wast2json missing"
    })
public final class WastCommand implements Callable<Integer> {
  static final int FAILED = 1;
  static final int USAGE = 2;

  @Spec CommandSpec spec;

  @Option(
      names = "--target",
      paramLabel = "ISA",
      defaultValue = "x86_64",
      converter = TargetConverter.class,
      description = "x86_64 (default) or aarch64 (emulated on an x86-64 host)")
  Target target;

  @Option(
      names = "--x86-64-features",
      paramLabel = "LIST",
      description = "compile x86_64 code for these extensions instead of this machine's: 'baseline' or a"
          + " comma-separated list as kiln compile takes")
  String x86Features;

  @Option(names = {"-v", "--verbose"}, description = "also report reason texts worded differently "
      + "from the script's, and why cases were skipped")
  boolean verbose;

  @Option(
      names = "--should-fail",
      paramLabel = "FILE",
      description = "cases known to fail ('file.wast:LINE  reason' lines, # comments): a listed failure "
          + "counts as skipped, a listed case that passes counts as failed")
  Path shouldFail;

  @Option(
      names = "--build-dir",
      paramLabel = "DIR",
      description = "where wast2json's output goes and is reused from (default: ${DEFAULT-VALUE})",
      defaultValue = "${sys:java.io.tmpdir}/kiln-wast-${sys:user.name}")
  Path buildDir;

  /** Compiled in, in a store whose deadline and fuel are never reached: the scripts' outcomes must not change. */
  @Mixin ExecutionLimitOptions limits;

  @Parameters(paramLabel = "FILE.wast|DIR", arity = "1..*",
      description = "scripts to run; a folder means every .wast under it")
  List<Path> inputs;

  /** Picocli builds the command and fills its fields from the command line. */
  public WastCommand() {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Input> scripts = new ArrayList<>();
    for (Path input : inputs) {
      if (!Files.exists(input)) {
        err.println("error: no such file: " + input);
        return USAGE;
      }
      int before = scripts.size();
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          walk.filter(p -> p.toString().endsWith(".wast") && Files.isRegularFile(p)).sorted()
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
    Wast2Json converter;
    try {
      converter = Wast2Json.locate();
    } catch (ToolMissingException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    }

    X64Codegen x64 = X64Codegen.HOST;
    if (x86Features != null) {
      try {
        x64 = new X64Codegen(CpuFeatures.parse(x86Features), false);
      } catch (IllegalArgumentException e) {
        err.println("error: --x86-64-features: " + e.getMessage());
        return USAGE;
      }
    }

    long start = System.nanoTime();
    WastRunner runner = new WastRunner(converter, buildDir, target, FrontEnd.KILN, x64, limits.limits());
    ReportPrinter printer = new ReportPrinter(out, verbose);
    Tally totals = Tally.ZERO;
    for (Input s : scripts) {
      FileReport report = list.apply(runner.run(s.path(), s.reportedName()));
      printer.printFile(report);
      totals = totals.plus(report.tally());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    out.println(String.format(Locale.ROOT, "%d file%s in %.1f s, target %s%s",
        scripts.size(), scripts.size() == 1 ? "" : "s", seconds, target,
        target == Target.X86_64 ? " (" + x64.features().text() + ")" : ""));
    printer.printTotals(totals);
    return totals.failed() > 0 ? FAILED : 0;
  }

  private static String slashes(Path p) {
    return p.normalize().toString().replace('\\', '/');
  }

  /** A script to run and the name it is reported under. */
  private record Input(Path path, String reportedName) {}

  static final class TargetConverter implements ITypeConverter<Target> {
    @Override
    public Target convert(String value) {
      try {
        return Target.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
