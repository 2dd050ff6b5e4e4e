package dev.kiln.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.tests.support.Corpora;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.WasmException;
import dev.kiln.wasm.module.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of decode + validate: every mutant of a real module must either load or fail with
 * one of the taxonomy's exceptions ({@link WasmException}); anything else escaping (an
 * IndexOutOfBounds, a NegativeArraySize, an OutOfMemoryError from a size taken on trust) is a bug.
 * And differentially: {@link Wasm#load}, which leaves the bodies' instructions to validation
 * ({@link Wasm#decodeUnscanned}), must accept exactly the mutants that {@link Wasm#decode} then
 * {@link Wasm#validate} accept, with the same facts about their bodies, and fail on the others with
 * the same error.
 *
 * <p>Seeded and reproducible: a failure names its seed, and {@code -Dkiln.fuzz.seed=S} replays it.
 * The default run is short; {@code scripts/fuzz SECONDS} runs for longer. Failing mutants are kept
 * under {@code target/fuzz-failures/} for the decoder's own regression tests.
 */
class DecoderFuzzTest {
  private static final long SEED = Long.getLong("kiln.fuzz.seed", 0x6b696c6eL);
  private static final int ITERATIONS = Integer.getInteger("kiln.fuzz.iterations", 2_000);
  private static final long SECONDS = Long.getLong("kiln.fuzz.seconds", 0);

  @Test
  void mutantsOfRealModulesFailOnlyWithTheTaxonomy() throws IOException {
    List<byte[]> corpus = loadCorpus();
    assumeTrue(!corpus.isEmpty(), "sightglass corpus not found");
    long deadline = SECONDS > 0 ? System.nanoTime() + SECONDS * 1_000_000_000L : Long.MAX_VALUE;
    int limit = SECONDS > 0 ? Integer.MAX_VALUE : ITERATIONS;
    List<String> failures = new ArrayList<>();
    int runs = 0;
    for (; runs < limit && System.nanoTime() < deadline && failures.size() < 20; runs++) {
      long seed = SEED + runs;
      SplittableRandom random = new SplittableRandom(seed);
      byte[] mutant = Mutator.mutate(corpus.get(random.nextInt(corpus.size())), random);
      // The standard features on odd seeds: the decoder and the validator must agree on those too.
      Features features = seed % 2 == 0 ? Features.ALL : Features.STANDARD;
      try {
        String reference = outcome(() -> {
          Module module = Wasm.decode(mutant, features);
          Wasm.validate(module, features);
          return module;
        });
        String loaded = outcome(() -> Wasm.load(mutant, features, 1));
        String unscanned = outcome(
            () -> Wasm.validateUnscanned(Wasm.decodeUnscanned(mutant, features), features, 1));
        if (!loaded.equals(reference)) {
          failures.add("seed " + seed + ": decode then validate gave " + reference + ", load " + loaded);
          keep(seed, mutant);
        } else if (reference.startsWith("loads") ? !unscanned.equals(reference) : unscanned.startsWith("loads")) {
          failures.add("seed " + seed + ": decode then validate gave " + reference + ", the unscanned path " + unscanned);
          keep(seed, mutant);
        }
      } catch (Throwable bug) {
        failures.add("seed " + seed + ": " + bug + " at " + firstFrame(bug));
        keep(seed, mutant);
      }
    }
    System.out.printf("decoder fuzz: %d mutants from seed %d, %d failed%n", runs, SEED, failures.size());
    assertTrue(failures.isEmpty(), () -> "exceptions outside the taxonomy or paths that disagree:\n"
        + String.join("\n", failures));
  }

  /**
   * What loading gives, as text to compare: "loads" with the facts about the bodies, or the error
   * (the taxonomy's: a verdict on the input, which is what bad input must get).
   */
  private static String outcome(Supplier<Module> load) {
    try {
      Module m = load.get();
      return "loads, tables written " + new TreeSet<>(m.tablesWrittenByCode()) + ", first exception instruction "
          + m.firstExceptionInstruction();
    } catch (WasmException expected) {
      return expected.getClass().getSimpleName() + ": " + expected.getMessage();
    }
  }

  private static List<byte[]> loadCorpus() throws IOException {
    Path dir = Corpora.sightglass();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<byte[]> modules = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".wasm")).sorted().toList()) {
        modules.add(Files.readAllBytes(p));
      }
    }
    return modules;
  }

  private static String firstFrame(Throwable t) {
    StackTraceElement[] trace = t.getStackTrace();
    return trace.length == 0 ? "?" : trace[0].toString();
  }

  private static void keep(long seed, byte[] mutant) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
      Files.write(dir.resolve("seed-" + seed + ".wasm"), mutant);
    } catch (IOException e) {
      System.err.println("could not keep mutant of seed " + seed + ": " + e);
    }
  }
}
