package dev.kiln.tests.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.wast.FileReport;
import dev.kiln.wast.FrontEnd;
import dev.kiln.wast.ShouldFailList;
import dev.kiln.wast.Tally;
import dev.kiln.wast.Target;
import dev.kiln.wast.TextScriptSource;
import dev.kiln.wast.WastRunner;
import dev.kiln.wast.X64Codegen;
import dev.kiln.tests.support.Corpora;
import dev.kiln.wat.Edition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The WebAssembly spec test suite ({@code ../shared/corpora/spec-testsuite}, all 173 scripts), run by
 * the same engine as {@code kiln wast}: one dynamic test per script, failing with the list of its
 * unexpected failures, or when it skips anything but its should-fail entries ({@link
 * SpecExpectations}). Known failures go to {@code spec/should-fail.txt}, each with a reason; a listed
 * case that passes fails its script's test, so the list cannot go stale.
 *
 * <p>Modules are compiled for this host with the register allocation checker on, loaded and
 * instantiated, and every action the pipeline supports is executed (see {@code kiln wast --help});
 * on a host with AVX that first run executes the VEX-encoded vector forms.
 * The integer and float scripts run a second time with code for baseline x86-64, so the sequences
 * that stand in for LZCNT, TZCNT and POPCNT, and the SSE2 rounding that stands in for SSE4.1's
 * ROUNDSS/ROUNDSD (floor, ceil, trunc, nearest), execute too; the SIMD scripts run a second time
 * with code for the v128 baseline (SSSE3 and SSE4.1 only), so the sequences that stand in for
 * SSE4.2 and AVX execute too. The control-flow scripts run once more with epoch and fuel checks
 * compiled in, which must change no outcome. {@code scripts/spec-matrix} runs every script in every
 * shape (host, v128 baseline, AArch64).
 *
 * <p>Scripts are read by Kiln's own script reader with the 2.0 edition's text rules and features
 * (the suite's time), so every text-form command ({@code module quote}, text {@code
 * assert_malformed}) is judged too and no external tool is needed.
 */
class SpecSuiteTest {
  /** The suite's size at the pinned commit; a different count means the corpus is not the expected one. */
  private static final int SCRIPTS = 173;

  /**
   * Scripts that exercise the bit-counting instructions and float rounding, run again on baseline
   * x86-64 (no LZCNT/TZCNT/POPCNT, no SSE4.1).
   */
  private static final List<String> BASELINE_SCRIPTS = List.of("core/i32.wast", "core/i64.wast",
      "core/int_exprs.wast", "core/f32.wast", "core/f64.wast", "core/conversions.wast",
      "core/float_exprs.wast");

  /**
   * Scripts whose control flow (loops, br_table edges, if/else, calls, tail calls, traps) the fuel
   * count and the epoch checks thread through, run again with both compiled in. {@code kiln wast
   * --epoch-interruption --consume-fuel [--target aarch64]} runs the whole suite that way.
   */
  private static final List<String> LIMITS_SCRIPTS = List.of("core/loop.wast", "core/br_table.wast",
      "core/if.wast", "core/call_indirect.wast", "core/unreachable.wast",
      "proposals/tail-call/return_call.wast", "proposals/tail-call/return_call_indirect.wast");

  /** The 2022 suite is read with the text rules and features of its time. */
  private static final TextScriptSource SUITE_2022 = new TextScriptSource(Edition.WASM_2);

  private static final AtomicReference<Tally> TOTALS = new AtomicReference<>(Tally.ZERO);
  private static final AtomicLong NANOS = new AtomicLong();

  @TestFactory
  Stream<DynamicTest> specSuite() throws IOException {
    Path suite = Corpora.specTestsuite();
    assertTrue(Files.isDirectory(suite), () -> "spec test suite not found at " + suite
        + " (expected ../shared/corpora beside the repository, or -Dkiln.corpora=DIR)");
    List<Path> scripts = scripts(suite);
    assertEquals(SCRIPTS, scripts.size(), "number of .wast files under " + suite);
    SpecExpectations expect = SpecExpectations.load();
    WastRunner runner = new WastRunner(SUITE_2022, Target.X86_64, FrontEnd.KILN,
        X64Codegen.HOST_CHECKED, ExecutionLimits.NONE);
    return scripts.stream().map(script -> {
      String name = name(suite, script);
      return dynamicTest(name, script.toUri(), () -> {
        long start = System.nanoTime();
        FileReport report = expect.shouldFail().apply(runner.run(script, name));
        NANOS.addAndGet(System.nanoTime() - start);
        TOTALS.accumulateAndGet(report.tally(), Tally::plus);
        expect.assertComplete("x86_64", report);
      });
    });
  }

  @TestFactory
  Stream<DynamicTest> bitCountingAndRoundingScriptsOnBaselineX64() throws IOException {
    Path suite = Corpora.specTestsuite();
    SpecExpectations expect = SpecExpectations.load();
    WastRunner runner = new WastRunner(SUITE_2022, Target.X86_64, FrontEnd.KILN,
        X64Codegen.BASELINE_CHECKED, ExecutionLimits.NONE);
    return BASELINE_SCRIPTS.stream().map(name -> dynamicTest(name + " (baseline x86-64)", () -> {
      FileReport report = expect.shouldFail().apply(runner.run(suite.resolve(name), name));
      expect.assertComplete("baseline x86_64", report);
      assertTrue(report.tally().passed() > 100, () -> name + " executed too little: " + report.tally());
    }));
  }

  @TestFactory
  Stream<DynamicTest> controlFlowScriptsWithEpochAndFuelChecks() throws IOException {
    Path suite = Corpora.specTestsuite();
    SpecExpectations expect = SpecExpectations.load();
    WastRunner plain = new WastRunner(SUITE_2022, Target.X86_64, FrontEnd.KILN, X64Codegen.HOST, ExecutionLimits.NONE);
    WastRunner limited = new WastRunner(SUITE_2022, Target.X86_64, FrontEnd.KILN,
        X64Codegen.HOST_CHECKED, new ExecutionLimits(true, true));
    return LIMITS_SCRIPTS.stream().map(name -> dynamicTest(name + " (epoch and fuel checks)", () -> {
      FileReport report = expect.shouldFail().apply(limited.run(suite.resolve(name), name));
      expect.assertComplete("x86_64 with epoch and fuel checks", report);
      assertEquals(expect.shouldFail().apply(plain.run(suite.resolve(name), name)).tally(), report.tally(),
          name + ": the checks change which cases run");
    }));
  }

  @TestFactory
  Stream<DynamicTest> simdScriptsOnTheV128BaselineX64() throws IOException {
    Path suite = Corpora.specTestsuite();
    SpecExpectations expect = SpecExpectations.load();
    WastRunner runner = new WastRunner(SUITE_2022, Target.X86_64, FrontEnd.KILN,
        X64Codegen.SIMD_BASELINE_CHECKED, ExecutionLimits.NONE);
    return scripts(suite).stream().filter(p -> p.getFileName().toString().startsWith("simd_"))
        .map(script -> {
          String name = name(suite, script);
          return dynamicTest(name + " (ssse3,sse4_1 x86-64)", () -> expect.assertComplete(
              "ssse3,sse4_1 x86_64", expect.shouldFail().apply(runner.run(script, name))));
        });
  }

  /** Every entry names a script of the suite (entries for lines of run scripts are checked there). */
  @Test
  void shouldFailEntriesNameScriptsOfTheSuite() throws IOException {
    Path suite = Corpora.specTestsuite();
    List<String> names = scripts(suite).stream().map(p -> name(suite, p)).toList();
    SpecExpectations expect = SpecExpectations.load();
    List<String> unknown = expect.shouldFail().entries().stream()
        .filter(e -> names.stream().noneMatch(n -> n.equals(e.file()) || n.endsWith("/" + e.file())))
        .map(ShouldFailList.Entry::toString).toList();
    assertTrue(unknown.isEmpty(), () -> "should-fail.txt names scripts not in the suite:\n"
        + String.join("\n", unknown));
  }

  private static String name(Path suite, Path script) {
    return suite.relativize(script).toString().replace('\\', '/');
  }

  @AfterAll
  static void printTotals() {
    System.out.printf(Locale.ROOT, "spec suite: %s in %.1f s (read, decode, validate, compile, load, run)%n",
        TOTALS.get(), NANOS.get() / 1e9);
  }

  private static List<Path> scripts(Path suite) throws IOException {
    try (Stream<Path> walk = Files.walk(suite)) {
      return walk.filter(p -> p.toString().endsWith(".wast")).sorted().toList();
    }
  }

}
