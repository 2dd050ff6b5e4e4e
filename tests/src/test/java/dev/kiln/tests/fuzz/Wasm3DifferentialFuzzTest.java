package dev.kiln.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.UnsupportedException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing of WebAssembly 3.0 (issues 38 and 39: GC, typed function references,
 * exceptions): modules from npm's binaryen 132 ({@link Wasm3Modules}) run on Kiln's x86-64 code,
 * its AArch64 code (Unicorn) and binaryen's own interpreter ({@link BinaryenTrace}); the three
 * normalised traces ({@link Wasm3Trace}) must be equal. Kiln must accept every module binaryen
 * made: an {@code InvalidException} is a failure; an {@code UnsupportedException} (a documented
 * missing feature, e.g. a function whose type has an exnref escaping through an export) is counted
 * per reason. A trace that reaches what Kiln's host interface cannot reproduce ("unmodelled ...") is
 * compared up to that point and counted.
 *
 * <p>Seeded and reproducible: module {@code n} comes from seed {@code kiln.difffuzz.gc.seed + n}.
 * The default run is a short slice of {@code kiln.difffuzz.gc.modules} modules; {@code
 * scripts/difffuzz-gc SECONDS [SEED]} runs for longer. A mismatch is written to
 * target/difffuzz-gc-failures/ (module and the three traces). Modules once found to differ are kept
 * in src/test/resources/difffuzz-gc/regressions/ and run every time.
 */
class Wasm3DifferentialFuzzTest {
  private static final long SEED = Long.getLong("kiln.difffuzz.gc.seed", 0x6763_6675_7a7dL);
  private static final int MODULES = Integer.getInteger("kiln.difffuzz.gc.modules", 3);
  private static final long SECONDS = Long.getLong("kiln.difffuzz.gc.seconds", 0);
  private static final Path REGRESSIONS = Path.of("src/test/resources/difffuzz-gc/regressions");
  private static final Path FAILURES = Path.of("target/difffuzz-gc-failures");

  private final X64Backend x64 = X64Backend.forHost();
  private final AArch64Backend aarch64 = new AArch64Backend(true);
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final PhaseTimes times = new PhaseTimes();
  private final Map<String, Integer> refused = new TreeMap<>();
  private int unmodelled;
  private long exportCalls;

  @AfterEach
  void stopWorkers() {
    workers.shutdownNow();
  }

  @Test
  void wasm3ModulesBehaveAlikeOnKilnX64KilnAArch64AndBinaryen() throws Exception {
    Wasm3Modules binaryen = Wasm3Modules.fromNpm();
    Path work = Files.createTempDirectory("kiln-difffuzz-gc");
    try {
      long deadline = SECONDS > 0 ? System.nanoTime() + SECONDS * 1_000_000_000L : Long.MAX_VALUE;
      int limit = SECONDS > 0 ? Integer.MAX_VALUE : MODULES;
      List<String> mismatches = new ArrayList<>();
      int modules = 0;
      for (Path regression : regressions()) {
        compare(regression, BinaryenTrace.parse(binaryen.interpret(regression, 0)), mismatches);
        modules++;
      }
      int generated = 0;
      try (TtfModuleSource source = new TtfModuleSource(work, SEED, binaryen)) {
        for (; generated < limit && System.nanoTime() < deadline && mismatches.size() < 10; generated++) {
          long waited = System.nanoTime();
          Path wasm = source.next().file();
          times.add("wait for binaryen", System.nanoTime() - waited);
          Path reference = Wasm3Modules.referenceOf(wasm);
          compare(wasm, BinaryenTrace.parse(Files.readAllLines(reference)), mismatches);
          modules++;
          Files.delete(wasm);
          Files.delete(reference);
          if (modules % 100 == 0) {
            System.out.printf("difffuzz-gc: %d modules, %d mismatches so far%n", modules, mismatches.size());
          }
        }
      }
      System.out.printf("difffuzz-gc: %d modules, %d export calls, %d mismatches, %d refused by Kiln %s,"
          + " %d compared up to an unmodelled host call (seeds from %d)%n", modules, exportCalls,
          mismatches.size(), refused.values().stream().mapToInt(Integer::intValue).sum(), refused, unmodelled, SEED);
      System.out.printf("difffuzz-gc time: %s%n", times.summary());
      assertTrue(mismatches.isEmpty(), () -> String.join("\n", mismatches));
      if (SECONDS == 0) {
        assertEquals(MODULES, generated, "the default slice runs a fixed number of modules");
      }
    } finally {
      deleteTree(work);
    }
  }

  /** Runs one module on Kiln's two targets and compares with binaryen's {@code reference}. */
  private void compare(Path file, List<String> reference, List<String> mismatches) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String name = file.getFileName().toString().replace(".wasm", "");
    Module module;
    try {
      module = Wasm.load(bytes, Features.ALL);
    } catch (UnsupportedException e) {
      refused.merge(e.feature() + ": " + e.getMessage().replaceAll("[0-9]+", "N"), 1, Integer::sum);
      return;
    } catch (RuntimeException e) {
      keep(name, bytes, reference, List.of(), List.of());
      mismatches.add(name + ": Kiln rejects a module binaryen made: " + e);
      return;
    }
    Future<List<String>> onX64 = workers.submit(() -> kiln(module, x64, Target.X86_64));
    Future<List<String>> onAArch64 = workers.submit(() -> kiln(module, aarch64, Target.AARCH64));
    List<String> x = await(onX64);
    List<String> a = await(onAArch64);
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
      keep(name, bytes, reference, x, a);
      mismatches.add(name + ": traces differ (" + FAILURES.resolve(name) + ".*): "
          + firstDifference(reference, prefix(x, compared).equals(prefix(reference, compared)) ? a : x));
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

  private static void keep(String name, byte[] bytes, List<String> reference, List<String> x, List<String> a)
      throws IOException {
    Files.createDirectories(FAILURES);
    Files.write(FAILURES.resolve(name + ".wasm"), bytes);
    Files.write(FAILURES.resolve(name + ".binaryen.txt"), reference);
    Files.write(FAILURES.resolve(name + ".x86_64.txt"), x);
    Files.write(FAILURES.resolve(name + ".aarch64.txt"), a);
  }

  /** Kiln's trace, or the failure itself as the trace (so it differs from binaryen's and is kept). */
  private List<String> kiln(Module module, Backend backend, Target target) {
    try {
      return Wasm3Trace.kiln(module, backend, target, times);
    } catch (RuntimeException e) {
      return List.of("kiln failed: " + e);
    }
  }

  private static List<String> await(Future<List<String>> trace) {
    try {
      return trace.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private static String firstDifference(List<String> expected, List<String> actual) {
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      String e = i < expected.size() ? expected.get(i) : "(nothing)";
      String k = i < actual.size() ? actual.get(i) : "(nothing)";
      if (!e.equals(k)) {
        return "line " + (i + 1) + ": binaryen '" + e + "', Kiln '" + k + "'";
      }
    }
    return "same";
  }

  private static List<Path> regressions() throws IOException {
    if (!Files.isDirectory(REGRESSIONS)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(REGRESSIONS)) {
      return files.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
