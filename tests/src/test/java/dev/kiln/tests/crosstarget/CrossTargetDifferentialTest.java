package dev.kiln.tests.crosstarget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kiln.wast.CaseResult;
import dev.kiln.wast.FileReport;
import dev.kiln.wast.FrontEnd;
import dev.kiln.wast.Outcome;
import dev.kiln.wast.Target;
import dev.kiln.wast.TextScriptSource;
import dev.kiln.wast.WastRunner;
import dev.kiln.wast.X64Codegen;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.exec.Executors;
import dev.kiln.wat.Edition;
import dev.kiln.tests.spec.SpecExpectations;
import dev.kiln.tests.support.Corpora;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every script of the spec suite run twice by {@code kiln wast}'s engine: compiled for x86-64 and
 * run natively, and compiled for AArch64 and run on the Unicorn executor. Each run must be complete
 * on its own (no failure, no skip but the should-fail entries: {@code SpecExpectations}), and for each
 * command both targets executed the outcomes must be identical: the same verdict, and for a failure
 * the same actual result; any difference fails the script's test with the list.
 *
 * <p>Both runs compare against the script's expectations, so two passing outcomes mean the same
 * values (bit-exact, NaNs by class), traps and link errors.
 */
class CrossTargetDifferentialTest {
  private static final AtomicInteger COMPARED = new AtomicInteger();
  private static final AtomicInteger ONLY_ONE = new AtomicInteger();

  @TestFactory
  Stream<DynamicTest> everySpecScriptBehavesTheSameOnBothTargets() throws IOException {
    assumeTrue(Executors.canRun(dev.kiln.artifact.Target.AARCH64)
            && Executors.canRun(dev.kiln.artifact.Target.X86_64),
        "this host runs only one of x86-64 and AArch64 (an x86-64 host with libunicorn2 runs both)");
    Path suite = Corpora.specTestsuite();
    assertTrue(Files.isDirectory(suite), () -> "spec test suite not found at " + suite);
    List<Path> scripts;
    try (Stream<Path> walk = Files.walk(suite)) {
      scripts = walk.filter(p -> p.toString().endsWith(".wast")).sorted().toList();
    }
    // The 2022 suite, read with the text rules and features of its time (as SpecSuiteTest reads it).
    TextScriptSource suite2022 = new TextScriptSource(Edition.WASM_2);
    WastRunner x64 = new WastRunner(suite2022, Target.X86_64, FrontEnd.KILN, X64Codegen.HOST, ExecutionLimits.NONE);
    WastRunner aarch64 = new WastRunner(suite2022, Target.AARCH64, FrontEnd.KILN, X64Codegen.HOST, ExecutionLimits.NONE);
    SpecExpectations expect = SpecExpectations.load();
    return scripts.stream().map(script -> {
      String name = suite.relativize(script).toString().replace('\\', '/');
      return dynamicTest(name, script.toUri(), () -> {
        FileReport x = expect.shouldFail().apply(x64.run(script, name));
        FileReport a = expect.shouldFail().apply(aarch64.run(script, name));
        compare(name, x, a);
        expect.assertComplete("x86_64", x);
        expect.assertComplete("aarch64", a);
      });
    });
  }

  private static void compare(String name, FileReport x64, FileReport aarch64) {
    List<CaseResult> left = x64.results();
    List<CaseResult> right = aarch64.results();
    assertEquals(left.size(), right.size(), name + ": both runs see the same commands");
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < left.size(); i++) {
      CaseResult a = left.get(i);
      CaseResult b = right.get(i);
      assertEquals(a.line(), b.line(), name + ": command " + i);
      boolean aRan = !(a.outcome() instanceof Outcome.Skipped);
      boolean bRan = !(b.outcome() instanceof Outcome.Skipped);
      if (aRan && bRan) {
        COMPARED.incrementAndGet();
        if (!a.outcome().equals(b.outcome())) {
          differences.add(a.location() + " " + a.command() + ": x86_64 " + a.outcome() + ", aarch64 " + b.outcome());
        }
      } else if (aRan != bRan) {
        ONLY_ONE.incrementAndGet();
      }
    }
    if (!differences.isEmpty()) {
      fail(name + ": " + differences.size() + " command(s) differ between x86_64 and aarch64\n"
          + String.join("\n", differences));
    }
  }

  @AfterAll
  static void printTotals() {
    System.out.printf(Locale.ROOT, "cross-target: %d commands executed on both targets and compared, %d executed on"
        + " one target only%n", COMPARED.get(), ONLY_ONE.get());
  }
}
