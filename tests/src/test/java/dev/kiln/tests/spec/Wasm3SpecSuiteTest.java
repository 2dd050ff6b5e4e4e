package dev.kiln.tests.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.exec.Executors;
import dev.kiln.tests.support.Corpora;
import dev.kiln.wast.FileReport;
import dev.kiln.wast.FrontEnd;
import dev.kiln.wast.Outcome;
import dev.kiln.wast.ReportPrinter;
import dev.kiln.wast.Tally;
import dev.kiln.wast.Target;
import dev.kiln.wast.TextScriptSource;
import dev.kiln.wast.WastRunner;
import dev.kiln.wast.X64Codegen;
import dev.kiln.wat.Edition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The current spec suite ({@code ../shared/corpora/wasm3-testsuite}: WebAssembly 3.0, the 257
 * scripts at its root and the 4 of {@code legacy/}), run by the same engine as {@code kiln wast
 * --edition 3.0} on x86-64 and on AArch64 (natively or emulated on Unicorn), one dynamic test per
 * script. Kiln implements all of WebAssembly 3.0, so each script must run every command on both
 * targets: a failure fails the script, and so does a skip (a command the runner or compiler could
 * not carry out), with its reason.
 *
 * <p>The other directories of the suite ({@code proposals/}, {@code custom/}) are proposals past 3.0,
 * not run here.
 */
class Wasm3SpecSuiteTest {
  /** Scripts at the suite's root plus {@code legacy/} at the pinned commit (193e551). */
  private static final int SCRIPTS = 261;

  private static final TextScriptSource SUITE_3 = new TextScriptSource(Edition.WASM_3);

  private static final Map<Target, AtomicReference<Tally>> TOTALS = new EnumMap<>(Map.of(
      Target.X86_64, new AtomicReference<>(Tally.ZERO), Target.AARCH64, new AtomicReference<>(Tally.ZERO)));
  private static final Map<Target, AtomicLong> NANOS = new EnumMap<>(Map.of(
      Target.X86_64, new AtomicLong(), Target.AARCH64, new AtomicLong()));

  static Path suite() {
    return Corpora.root().resolve("wasm3-testsuite");
  }

  static List<Path> scripts(Path suite) throws IOException {
    List<Path> scripts = new ArrayList<>();
    for (Path dir : List.of(suite, suite.resolve("legacy"))) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> p.toString().endsWith(".wast")).forEach(scripts::add);
      }
    }
    scripts.sort(null);
    return scripts;
  }

  private static String name(Path suite, Path script) {
    return suite.relativize(script).toString().replace('\\', '/');
  }

  /** The targets this host executes: x86-64, and AArch64 when it runs natively or on Unicorn. */
  private static List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    if (Executors.canRun(dev.kiln.artifact.Target.X86_64)) {
      targets.add(Target.X86_64);
    }
    if (Executors.canRun(dev.kiln.artifact.Target.AARCH64)) {
      targets.add(Target.AARCH64);
    }
    return targets;
  }

  @TestFactory
  Stream<DynamicTest> currentSuiteOnBothTargets() throws IOException {
    Path suite = suite();
    assertTrue(Files.isDirectory(suite), () -> "the current spec suite is not at " + suite);
    List<Path> scripts = scripts(suite);
    assertEquals(SCRIPTS, scripts.size(), "number of .wast files at the root and in legacy/ of " + suite);
    List<Target> targets = targets();
    assertEquals(2, targets.size(), "this host must run x86-64 and AArch64 code (an x86-64 host with"
        + " Debian's libunicorn2 runs both); it runs " + targets);
    Map<Target, WastRunner> runners = new EnumMap<>(Target.class);
    for (Target target : targets) {
      runners.put(target, new WastRunner(SUITE_3, target, FrontEnd.KILN, X64Codegen.HOST, ExecutionLimits.NONE));
    }
    return scripts.stream().map(script -> {
      String name = name(suite, script);
      return dynamicTest(name, script.toUri(), () -> {
        for (Target target : targets) {
          long start = System.nanoTime();
          FileReport report = runners.get(target).run(script, name);
          NANOS.get(target).addAndGet(System.nanoTime() - start);
          TOTALS.get(target).accumulateAndGet(report.tally(), Tally::plus);
          check(target, report);
        }
      });
    });
  }

  /** Fails on a failed or a skipped command, listing each with Kiln's reason. */
  private static void check(Target target, FileReport report) {
    List<String> faults = report.results().stream()
        .<String>mapMulti((r, out) -> {
          switch (r.outcome()) {
            case Outcome.Failed f -> out.accept(ReportPrinter.describeFailure(r, f));
            case Outcome.Skipped s -> out.accept(r.location() + ": " + r.command() + ": skipped: " + s.reason());
            case Outcome.Passed _ -> { }
          }
        }).toList();
    if (!faults.isEmpty()) {
      fail(target + " " + report.file() + ": " + report.tally() + "\n" + String.join("\n", faults));
    }
  }

  @AfterAll
  static void printTotals() {
    for (Target target : targets()) {
      System.out.printf(Locale.ROOT, "current spec suite, %s: %s in %.1f s (read, decode, validate, compile, load,"
          + " run)%n", target, TOTALS.get(target).get(), NANOS.get(target).get() / 1e9);
    }
  }
}
