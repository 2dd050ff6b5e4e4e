package dev.kiln.tests.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.loader.exec.Executors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Thousands of damaged artifacts through the loader in this one JVM: every {@link Mutation} of
 * every {@link CorruptionSubject} (several modules, x86-64 run natively and AArch64 on Unicorn),
 * half of them as damaged (the seal must refuse them), half resealed after the damage so that the
 * structural checks behind the seal meet it too. Each must be refused with one clear line or run
 * and give exactly the right answer ({@link MutantTrial}); a JVM crash would end the run.
 *
 * <p>Seeded and reproducible: mutant {@code i} uses seed {@code SEED + i}, and a violation names
 * it. {@code -Dkiln.cwasm.fuzz.seconds=S} runs for S seconds instead of the default count ({@code
 * scripts/fuzz-cwasm S}); violating mutants are kept under {@code target/cwasm-fuzz-failures/}.
 */
class CwasmCorruptionTest {
  private static final long SEED = Long.getLong("kiln.cwasm.fuzz.seed", 0x6b696c6e_0c0aL);
  private static final int MUTANTS = Integer.getInteger("kiln.cwasm.fuzz.mutants", 3_000);
  private static final long SECONDS = Long.getLong("kiln.cwasm.fuzz.seconds", 0);

  @Test
  void everyDamagedArtifactIsRefusedOrRunsCorrectly() throws IOException {
    assumeTrue(Executors.canRun(Target.AARCH64) && Executors.canRun(Target.X86_64),
        "needs both executors (an x86-64 host with libunicorn2)");
    List<CorruptionSubject> subjects = CorruptionSubject.all();
    List<MutantTrial> trials = subjects.stream().map(MutantTrial::new).toList();

    long deadline = SECONDS > 0 ? System.nanoTime() + SECONDS * 1_000_000_000L : Long.MAX_VALUE;
    int limit = SECONDS > 0 ? Integer.MAX_VALUE : MUTANTS;
    Map<String, EnumMap<MutantTrial.Outcome, Integer>> tally = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    int mutants = 0;
    for (; mutants < limit && System.nanoTime() < deadline && violations.size() < 20; mutants++) {
      long seed = SEED + mutants;
      SplittableRandom random = new SplittableRandom(seed);
      int which = random.nextInt(subjects.size());
      CorruptionSubject subject = subjects.get(which);
      Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
      boolean resealed = (mutants & 1) == 1;
      StringBuilder what = new StringBuilder();
      byte[] mutant = mutation.apply(subject.artifact(), subject.layout(), random, what);
      if (resealed && mutant.length >= ArtifactSeal.SIZE) {
        ArtifactSeal.seal(mutant);
      }
      String row = String.format(Locale.ROOT, "%-8s %-12s", resealed ? "resealed" : "sealed", mutation);
      try {
        MutantTrial.Outcome outcome = trials.get(which).judge(mutant);
        tally.computeIfAbsent(row, r -> new EnumMap<>(MutantTrial.Outcome.class)).merge(outcome, 1, Integer::sum);
      } catch (MutantTrial.Violation v) {
        violations.add("seed " + seed + " " + subject + " " + row.strip() + ":" + what + ": " + v.getMessage());
        keep(seed, subject, mutant);
      }
    }
    print(mutants, tally, violations.size());
    assertTrue(violations.isEmpty(), () -> "damaged artifacts that were neither refused nor run correctly:\n"
        + String.join("\n", violations));
    int sealedChanged = tally.entrySet().stream().filter(e -> e.getKey().startsWith("sealed"))
        .mapToInt(e -> e.getValue().getOrDefault(MutantTrial.Outcome.CHANGED_INSTANTIATED, 0)
            + e.getValue().getOrDefault(MutantTrial.Outcome.CHANGED_LOADED, 0)).sum();
    assertEquals(0, sealedChanged, "the seal let changed tables or code through");
  }

  private static void print(int mutants, Map<String, EnumMap<MutantTrial.Outcome, Integer>> tally, int violations) {
    System.out.printf(Locale.ROOT, "cwasm corruption: %d mutants from seed %d, %d violations%n", mutants, SEED,
        violations);
    // Columns: refused; ran with the exact answer; accepted changed content, instantiated only;
    // accepted changed code or index (or the module has a start function), loaded only.
    System.out.printf(Locale.ROOT, "  %-21s %8s %8s %8s %8s%n", "", "refused", "ran ok", "chg inst", "chg load");
    MutantTrial.Outcome[] outcomes = MutantTrial.Outcome.values();
    int[] total = new int[outcomes.length];
    tally.forEach((row, counts) -> {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-21s", row));
      for (int i = 0; i < outcomes.length; i++) {
        int count = counts.getOrDefault(outcomes[i], 0);
        line.append(String.format(Locale.ROOT, " %8d", count));
        total[i] += count;
      }
      System.out.println(line);
    });
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-21s", "total"));
    for (int count : total) {
      line.append(String.format(Locale.ROOT, " %8d", count));
    }
    System.out.println(line);
  }

  private static void keep(long seed, CorruptionSubject subject, byte[] mutant) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "cwasm-fuzz-failures"));
      Files.write(dir.resolve(subject.name().replace(' ', '-') + "-" + subject.target() + "-seed-" + seed + ".cwasm"),
          mutant);
    } catch (IOException e) {
      System.err.println("could not keep mutant of seed " + seed + ": " + e);
    }
  }
}
