package dev.kiln.tests.fuzz;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * What the two differential fuzzers share ({@link DifferentialFuzzTest} against V8, {@link
 * Wasm3DifferentialFuzzTest} against binaryen's interpreter): Kiln's two targets run a module on two
 * worker threads while the reference engine answers on the caller's; the bounds of a run (a fixed
 * slice of modules, or a number of seconds); the modules kept as regressions; the files a mismatch
 * leaves; and the first line where two traces differ. Each fuzzer keeps only what it compares and
 * how.
 */
final class DifferentialHarness implements AutoCloseable {
  /** Where each phase's time went, printed at the end of a run. */
  final PhaseTimes times = new PhaseTimes();
  private final X64Backend x64 = X64Backend.forHost();
  private final AArch64Backend aarch64 = new AArch64Backend(true);
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final String referenceName;
  private final Path failures;

  /**
   * @param referenceName the reference engine as reports name it ({@code V8}, {@code binaryen});
   *     in lower case, it names the reference trace's file
   * @param failures where a mismatch's module and traces are written
   */
  DifferentialHarness(String referenceName, Path failures) {
    this.referenceName = referenceName;
    this.failures = failures;
  }

  /** Kiln's trace of one module on one target. */
  @FunctionalInterface
  interface KilnTrace {
    List<String> run(Backend backend, Target target);
  }

  /** Kiln's traces of one module on its two targets. */
  record Traces(List<String> x64, List<String> aarch64) {
    static final Traces NONE = new Traces(List.of(), List.of());
  }

  /** Both targets' traces, being made on the workers. */
  record Running(Future<List<String>> x64, Future<List<String>> aarch64) {
    /** Waits for both. */
    Traces await() {
      return new Traces(result(x64), result(aarch64));
    }

    private static List<String> result(Future<List<String>> trace) {
      try {
        return trace.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  /**
   * Starts {@code trace} for x86-64 (native) and AArch64 (Unicorn) on the workers. A failure of
   * Kiln becomes the trace itself ({@code kiln failed: ...}), so it differs from the reference's and
   * the module is kept.
   */
  Running start(KilnTrace trace) {
    return new Running(workers.submit(() -> orFailure(trace, x64, Target.X86_64)),
        workers.submit(() -> orFailure(trace, aarch64, Target.AARCH64)));
  }

  private static List<String> orFailure(KilnTrace trace, Backend backend, Target target) {
    try {
      return trace.run(backend, target);
    } catch (RuntimeException e) {
      return List.of("kiln failed: " + e);
    }
  }

  /**
   * How many generated modules a run makes: {@code modules} by default, as many as {@code seconds}
   * allow when that is above 0; a run stops early at ten mismatches either way.
   */
  record Slice(int limit, long deadline) {
    static Slice of(long seconds, int modules) {
      return seconds > 0 ? new Slice(Integer.MAX_VALUE, System.nanoTime() + seconds * 1_000_000_000L)
          : new Slice(modules, Long.MAX_VALUE);
    }

    /** Whether to make module number {@code generated} (from 0), with {@code mismatches} found so far. */
    boolean more(int generated, int mismatches) {
      return generated < limit && System.nanoTime() < deadline && mismatches < 10;
    }
  }

  /** Writes the module and the three traces of a mismatch to the failures directory, for reducing. */
  void keep(String name, byte[] module, List<String> reference, Traces kiln) throws IOException {
    Files.createDirectories(failures);
    Files.write(failures.resolve(name + ".wasm"), module);
    Files.write(failures.resolve(name + "." + referenceName.toLowerCase(Locale.ROOT) + ".txt"), reference);
    Files.write(failures.resolve(name + ".x86_64.txt"), kiln.x64());
    Files.write(failures.resolve(name + ".aarch64.txt"), kiln.aarch64());
  }

  /** The mismatch line a report shows: where {@link #keep} wrote the files, and the first difference. */
  String mismatch(String name, List<String> reference, List<String> kiln) {
    return name + ": traces differ (" + failures.resolve(name) + ".*): " + firstDifference(reference, kiln);
  }

  /** The first line where Kiln's trace differs from the reference's, both shown. */
  String firstDifference(List<String> reference, List<String> kiln) {
    for (int i = 0; i < Math.max(reference.size(), kiln.size()); i++) {
      String r = i < reference.size() ? reference.get(i) : "(nothing)";
      String k = i < kiln.size() ? kiln.get(i) : "(nothing)";
      if (!r.equals(k)) {
        return "line " + (i + 1) + ": " + referenceName + " '" + r + "', Kiln '" + k + "'";
      }
    }
    return "same";
  }

  /** The modules once found to differ, kept in {@code dir} and run every time, in name order. */
  static List<Path> regressions(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
    }
  }

  /** Deletes the scratch directory of generated modules. */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
