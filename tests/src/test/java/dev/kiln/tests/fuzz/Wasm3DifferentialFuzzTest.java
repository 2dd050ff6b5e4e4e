package dev.kiln.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.Backend;
import dev.kiln.compiler.driver.WithoutNullChecks;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential fuzzing of WebAssembly 3.0 (issues 38 and 39: GC, typed function references,
 * exceptions): modules from npm's binaryen 132 ({@link Wasm3Modules}) run on Kiln's x86-64 code,
 * its AArch64 code (Unicorn) and binaryen's own interpreter ({@link BinaryenTrace}); the three
 * normalised traces ({@link Wasm3Trace}) must be equal. Kiln must accept every module binaryen
 * made: rejecting one is a failure. A trace that reaches what Kiln's host interface cannot
 * reproduce ("unmodelled ...") is compared up to that point and counted.
 *
 * <p>Seeded and reproducible: module {@code n} comes from seed {@code kiln.difffuzz.gc.seed + n}.
 * The default run is a short slice of {@code kiln.difffuzz.gc.modules} modules; {@code
 * scripts/difffuzz-gc SECONDS [SEED]} runs for longer. A mismatch is written to
 * target/difffuzz-gc-failures/ (module and the three traces). Modules once found to differ are kept
 * in src/test/resources/difffuzz-gc/regressions/ and run every time.
 *
 * <p>Each module runs twice: compiled as it is, and compiled by {@link WithoutNullChecks}, the
 * compiler bug of every null check left out, whose null accesses the runtime must still turn into
 * traps (fault handler, emulator) where binaryen traps; everything else must behave the same.
 * {@code kiln.difffuzz.gc.nullChecks} ({@code kept} or {@code dropped}) runs one of the two.
 */
class Wasm3DifferentialFuzzTest {
  private static final long SEED = Long.getLong("kiln.difffuzz.gc.seed", 0x6763_6675_7a7dL);
  private static final int MODULES = Integer.getInteger("kiln.difffuzz.gc.modules", 3);
  private static final long SECONDS = Long.getLong("kiln.difffuzz.gc.seconds", 0);
  private static final Path REGRESSIONS = Path.of("src/test/resources/difffuzz-gc/regressions");
  private static final Path FAILURES = Path.of("target/difffuzz-gc-failures");

  /** How the modules' null checks are compiled. */
  enum NullChecks {
    KEPT,
    DROPPED;

    Backend compiling(Backend backend) {
      return this == KEPT ? backend : new WithoutNullChecks(backend);
    }

    /** The variants {@code kiln.difffuzz.gc.nullChecks} names: one, or both when it is not set. */
    static Stream<NullChecks> selected() {
      String only = System.getProperty("kiln.difffuzz.gc.nullChecks");
      return only == null ? Stream.of(values()) : Stream.of(valueOf(only.toUpperCase(Locale.ROOT)));
    }
  }

  private final DifferentialHarness harness = new DifferentialHarness("binaryen", FAILURES);
  private final PhaseTimes times = harness.times;
  private int unmodelled;
  private long exportCalls;

  @AfterEach
  void stopWorkers() {
    harness.close();
  }

  @ParameterizedTest
  @MethodSource("dev.kiln.tests.fuzz.Wasm3DifferentialFuzzTest$NullChecks#selected")
  void wasm3ModulesBehaveAlikeOnKilnX64KilnAArch64AndBinaryen(NullChecks nullChecks) throws Exception {
    Wasm3Modules binaryen = Wasm3Modules.fromNpm();
    Path work = Files.createTempDirectory("kiln-difffuzz-gc");
    try {
      DifferentialHarness.Slice slice = DifferentialHarness.Slice.of(SECONDS, MODULES);
      List<String> mismatches = new ArrayList<>();
      List<Long> referenceFailures = new ArrayList<>();
      int modules = 0;
      for (Path regression : DifferentialHarness.regressions(REGRESSIONS)) {
        compare(regression, BinaryenTrace.parse(binaryen.interpret(regression, 0)), nullChecks, mismatches);
        modules++;
      }
      int generated = 0;
      try (TtfModuleSource source = new TtfModuleSource(work, SEED, binaryen)) {
        for (; slice.more(generated, mismatches.size()); generated++) {
          long waited = System.nanoTime();
          Path wasm;
          try {
            wasm = source.next().file();
          } catch (Wasm3Modules.ReferenceFailure e) {
            referenceFailures.add(e.seed);
            continue;
          } finally {
            times.add("wait for binaryen", System.nanoTime() - waited);
          }
          Path reference = Wasm3Modules.referenceOf(wasm);
          compare(wasm, BinaryenTrace.parse(Files.readAllLines(reference)), nullChecks, mismatches);
          modules++;
          Files.delete(wasm);
          Files.delete(reference);
          if (modules % 100 == 0) {
            System.out.printf("difffuzz-gc (null checks %s): %d modules, %d mismatches so far%n", nullChecks,
                modules, mismatches.size());
          }
        }
      }
      System.out.printf("difffuzz-gc (null checks %s): %d modules, %d export calls, %d mismatches,"
          + " %d compared up to an unmodelled host call (seeds from %d)%n", nullChecks, modules, exportCalls,
          mismatches.size(), unmodelled, SEED);
      if (!referenceFailures.isEmpty()) {
        System.out.printf("difffuzz-gc: binaryen's interpreter failed on the modules of seeds %s (not compared)%n",
            referenceFailures);
      }
      System.out.printf("difffuzz-gc time: %s%n", times.summary());
      assertTrue(mismatches.isEmpty(), () -> String.join("\n", mismatches));
      if (SECONDS == 0) {
        assertEquals(MODULES, generated, "the default slice runs a fixed number of modules");
      }
    } finally {
      DifferentialHarness.deleteTree(work);
    }
  }

  /** Runs one module on Kiln's two targets and compares with binaryen's {@code reference}. */
  private void compare(Path file, List<String> reference, NullChecks nullChecks, List<String> mismatches)
      throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String name = file.getFileName().toString().replace(".wasm", "")
        + (nullChecks == NullChecks.KEPT ? "" : "-without-null-checks");
    Module module;
    try {
      module = Wasm.load(bytes, Features.ALL);
    } catch (RuntimeException e) {
      harness.keep(name, bytes, reference, DifferentialHarness.Traces.NONE);
      mismatches.add(name + ": Kiln rejects a module binaryen made: " + e);
      return;
    }
    DifferentialHarness.Traces kiln =
        harness.start((backend, target) -> Wasm3Trace.kiln(module, nullChecks.compiling(backend), target, times))
            .await();
    List<String> x = kiln.x64();
    List<String> a = kiln.aarch64();
    exportCalls += x.stream().filter(l -> l.startsWith("export ")).count();
    int compared = Math.min(comparedLength(x), Math.min(comparedLength(a), comparedLength(reference)));
    if (compared < Math.max(x.size(), Math.max(a.size(), reference.size()))
        && (compared < x.size() && x.get(compared).startsWith("unmodelled")
            || compared < a.size() && a.get(compared).startsWith("unmodelled")
            || compared < reference.size() && reference.get(compared).startsWith("unmodelled"))) {
      unmodelled++;
    } else {
      compared = Integer.MAX_VALUE;
    }
    if (!prefix(reference, compared).equals(prefix(x, compared)) || !prefix(reference, compared).equals(prefix(a, compared))) {
      harness.keep(name, bytes, reference, kiln);
      mismatches.add(harness.mismatch(name, reference, prefix(x, compared).equals(prefix(reference, compared)) ? a : x));
    }
  }

  /** The lines before the first "unmodelled" one. */
  private static int comparedLength(List<String> trace) {
    for (int i = 0; i < trace.size(); i++) {
      if (trace.get(i).startsWith("unmodelled")) {
        return i;
      }
    }
    return trace.size();
  }

  private static List<String> prefix(List<String> trace, int length) {
    return trace.subList(0, Math.min(length, trace.size()));
  }
}
