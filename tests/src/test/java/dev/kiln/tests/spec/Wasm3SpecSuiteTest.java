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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The current spec suite ({@code ../shared/corpora/wasm3-testsuite}: WebAssembly 3.0, the 257
 * scripts at its root and the 4 of {@code legacy/}), run by the same engine as {@code kiln wast
 * --edition 3.0} on x86-64 and on AArch64 (natively or emulated on Unicorn), one dynamic test per
 * script. Each script must have no failure, and skip exactly the commands {@code
 * spec/wasm3-expected-skips.txt} lists for it, per WebAssembly 3.0 feature Kiln does not have yet
 * ({@code dev.kiln.wasm.MissingFeature}), on both targets: a skip that names no such feature fails,
 * and so do MORE skips (a module Kiln used to run is now refused) and FEWER (a feature landed: the
 * list only shrinks, and is rewritten with {@code -Dkiln.bless=true} or {@code KILN_BLESS=1}, which
 * never accepts a failure).
 *
 * <p>The other directories of the suite ({@code proposals/}, {@code custom/}) are proposals past 3.0,
 * not run here.
 */
class Wasm3SpecSuiteTest {
  /** Scripts at the suite's root plus {@code legacy/} at the pinned commit (193e551). */
  private static final int SCRIPTS = 261;

  /** The expected skips, read and (when blessing) written in the source tree. */
  private static final Path EXPECTED_SKIPS = Path.of("src", "test", "resources", "spec", "wasm3-expected-skips.txt");

  private static final String HEADER = """
      # The current spec suite's (WebAssembly 3.0) expected skips: per script, how many commands are skipped
      # because Kiln does not have a 3.0 feature yet (dev.kiln.wasm.MissingFeature), one line per feature:
      #   script  count  feature
      # Wasm3SpecSuiteTest fails when a script skips more or fewer than listed, on x86-64 or AArch64, so the
      # list only shrinks: when a feature lands, rerun the test with -Dkiln.bless=true (or KILN_BLESS=1) to
      # rewrite it, and commit the smaller list. A script not listed skips nothing.
      """;

  private static final TextScriptSource SUITE_3 = new TextScriptSource(Edition.WASM_3);

  /** The counts every script gave, kept for blessing. */
  private static final Map<String, SortedMap<String, Integer>> OBSERVED = new ConcurrentSkipListMap<>();
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
    Map<String, SortedMap<String, Integer>> expected = readExpectedSkips();
    Map<Target, WastRunner> runners = new EnumMap<>(Target.class);
    for (Target target : targets) {
      runners.put(target, new WastRunner(SUITE_3, target, FrontEnd.KILN, X64Codegen.HOST, ExecutionLimits.NONE));
    }
    return scripts.stream().map(script -> {
      String name = name(suite, script);
      return dynamicTest(name, script.toUri(), () -> {
        SortedMap<String, Integer> first = null;
        for (Target target : targets) {
          long start = System.nanoTime();
          FileReport report = runners.get(target).run(script, name);
          NANOS.get(target).addAndGet(System.nanoTime() - start);
          TOTALS.get(target).accumulateAndGet(report.tally(), Tally::plus);
          SortedMap<String, Integer> skips = check(target, report);
          if (first != null && !first.equals(skips)) {
            fail(name + ": the targets skip differently: " + targets.getFirst() + " " + first + ", " + target + " "
                + skips);
          }
          first = skips;
        }
        OBSERVED.put(name, first);
        SortedMap<String, Integer> listed = expected.getOrDefault(name, new TreeMap<>());
        if (!blessing() && !listed.equals(first)) {
          fail(name + ": skips " + first + " per missing feature, " + EXPECTED_SKIPS + " lists " + listed + ". "
              + (fewer(first, listed) ? "Fewer skips: rerun with -Dkiln.bless=true to shrink the list."
                  : "More skips: a command Kiln ran before is refused now; fix that (bless only when a skip"
                      + " moved to another feature)."));
        }
      });
    });
  }

  /**
   * Fails on a failed command or on a skip that names no missing feature; returns the skips per
   * feature.
   */
  private static SortedMap<String, Integer> check(Target target, FileReport report) {
    List<String> failures = report.failures().stream()
        .map(r -> ReportPrinter.describeFailure(r, (Outcome.Failed) r.outcome())).toList();
    if (!failures.isEmpty()) {
      fail(target + " " + report.file() + ": " + report.tally() + "\n" + String.join("\n", failures));
    }
    List<String> unnamed = report.results().stream()
        .filter(r -> r.outcome() instanceof Outcome.Skipped s && s.feature().isEmpty())
        .map(r -> r.location() + ": " + r.command() + ": " + ((Outcome.Skipped) r.outcome()).reason()).toList();
    if (!unnamed.isEmpty()) {
      fail(target + " " + report.file() + ": skips that name no missing WebAssembly 3.0 feature:\n"
          + String.join("\n", unnamed));
    }
    return report.skipsByFeature();
  }

  /** Whether {@code actual} skips fewer commands than {@code listed} for some feature and none more. */
  private static boolean fewer(Map<String, Integer> actual, Map<String, Integer> listed) {
    boolean more = actual.entrySet().stream().anyMatch(e -> e.getValue() > listed.getOrDefault(e.getKey(), 0));
    return !more;
  }

  /** Every script the list names is one of the suite's, and every count is positive. */
  @Test
  void theExpectedSkipsNameScriptsOfTheSuite() throws IOException {
    Path suite = suite();
    List<String> names = scripts(suite).stream().map(p -> name(suite, p)).toList();
    List<String> unknown = readExpectedSkips().keySet().stream().filter(s -> !names.contains(s)).toList();
    assertTrue(unknown.isEmpty(), () -> EXPECTED_SKIPS + " names scripts not in the suite: " + unknown);
  }

  static boolean blessing() {
    return Boolean.getBoolean("kiln.bless") || "1".equals(System.getenv("KILN_BLESS"));
  }

  /** {@code script count feature} lines; {@code #} comments and blank lines ignored. */
  static Map<String, SortedMap<String, Integer>> readExpectedSkips() {
    List<String> lines;
    try {
      lines = Files.readAllLines(EXPECTED_SKIPS, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(EXPECTED_SKIPS + " cannot be read", e);
    }
    Map<String, SortedMap<String, Integer>> skips = new TreeMap<>();
    for (String line : lines) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] parts = l.split("\\s+", 3);
      int count = parts.length == 3 ? Integer.parseInt(parts[1]) : 0;
      if (count <= 0 || skips.computeIfAbsent(parts[0], s -> new TreeMap<>()).put(parts[2], count) != null) {
        throw new IllegalArgumentException(EXPECTED_SKIPS + ": want 'script count feature', a positive count, once per"
            + " script and feature: " + line);
      }
    }
    return skips;
  }

  @AfterAll
  static void blessAndPrintTotals() throws IOException {
    for (Target target : targets()) {
      System.out.printf(Locale.ROOT, "current spec suite, %s: %s in %.1f s (read, decode, validate, compile, load,"
          + " run)%n", target, TOTALS.get(target).get(), NANOS.get(target).get() / 1e9);
    }
    // Only a complete run may rewrite the list: a filtered one would drop the scripts it did not run.
    if (blessing() && OBSERVED.size() == SCRIPTS) {
      String lines = OBSERVED.entrySet().stream()
          .flatMap(script -> script.getValue().entrySet().stream()
              .map(f -> script.getKey() + "  " + f.getValue() + "  " + f.getKey()))
          .collect(Collectors.joining("\n", "", "\n"));
      Files.writeString(EXPECTED_SKIPS, HEADER + lines, StandardCharsets.UTF_8);
      System.out.println("blessed " + EXPECTED_SKIPS);
    }
  }
}
