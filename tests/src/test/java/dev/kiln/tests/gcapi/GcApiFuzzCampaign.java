package dev.kiln.tests.gcapi;

import dev.kiln.loader.runtime.GcStress;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.WasmModule;
import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A GC-API fuzzing campaign: {@link GcApiFuzzer} sequences on one target for a time budget.
 * Sequence {@code i} uses seed {@code seed + i}, which picks the guest's family member ({@code seed %
 * 4}), whether a second thread collects on the first store ({@code seed / 4} odd), and whether the
 * stores collect at every allocation and check the heap after each collection ({@link GcStress}:
 * {@code seed / 8} even; the other stores collect when their heap fills), so a campaign started at a
 * finding's seed replays it first. The campaign goes on until {@value #MAX_FINDINGS} kinds of finding
 * (a finding with its numbers stripped) and reports each kind once, with the seeds that met it and
 * how long the campaign ran before the first.
 *
 * <p>{@link GcApiFuzzTest} runs a short campaign per target; {@code main(SECONDS, [SEED], [TARGET])}
 * a long one ({@code scripts/fuzz-gcapi}).
 */
final class GcApiFuzzCampaign {
  static final long DEFAULT_SEED = 0x67636170L;
  private static final int MAX_FINDINGS = 20;
  private static final int OPERATIONS_PER_SEQUENCE = 400;
  /** The compiled family members per target, once per JVM. */
  private static final Map<String, WasmModule> MODULES = new ConcurrentHashMap<>();
  private static final Map<Target, Engine> ENGINES = new ConcurrentHashMap<>();

  /** What a campaign did. */
  record Result(Target target, long operations, int sequences, long churns, List<String> findings) {
    String summary(long seed) {
      return String.format("gc-api fuzz on %s: %d operations in %d sequences from seed %d, %d collecting calls of"
          + " the second thread, %d findings", target, operations, sequences, seed, churns, findings.size());
    }
  }

  private GcApiFuzzCampaign() {}

  /** Fuzzes for {@code args[0]} seconds from seed {@code args[1]} on {@code args[2]}; exits 1 with the findings. */
  public static void main(String[] args) {
    long seconds = Long.parseLong(args[0]);
    long seed = args.length > 1 ? Long.parseLong(args[1]) : DEFAULT_SEED;
    Target target = args.length > 2 ? Target.valueOf(args[2]) : Target.X86_64;
    Result result = run(target, seconds, seed, Integer.MAX_VALUE);
    System.out.println(result.summary(seed));
    result.findings().forEach(System.out::println);
    System.exit(result.findings().isEmpty() ? 0 : 1);
  }

  /** Runs sequences until {@code seconds} have passed or {@code maxSequences} ran (at least one). */
  static Result run(Target target, long seconds, long seed, int maxSequences) {
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    long operations = 0;
    long churns = 0;
    int sequences = 0;
    Map<String, List<String>> distinct = new LinkedHashMap<>();
    String before = System.getProperty(GcStress.PROPERTY);
    try {
      for (; (sequences == 0 || System.nanoTime() < deadline && sequences < maxSequences)
          && distinct.size() < MAX_FINDINGS; sequences++) {
        long sequenceSeed = seed + sequences;
        int variant = (int) Long.remainderUnsigned(sequenceSeed, 4);
        boolean secondThread = (Long.remainderUnsigned(sequenceSeed, 8) & 4) != 0;
        boolean stress = (Long.remainderUnsigned(sequenceSeed, 16) & 8) == 0;
        // read when a store makes its GC heap, which the sequence's first store does
        System.setProperty(GcStress.PROPERTY, Boolean.toString(stress));
        // before the sequence runs: a JVM crash cannot print the seed of the sequence that caused it
        System.out.println("gc-api fuzz: " + target + " sequence " + sequenceSeed + (secondThread ? ", two threads" : "")
            + (stress ? ", collecting at every allocation" : ""));
        System.out.flush();
        GcApiFuzzer fuzzer = new GcApiFuzzer(engine(target), module(target, variant), sequenceSeed, secondThread);
        fuzzer.run(OPERATIONS_PER_SEQUENCE);
        operations += fuzzer.operations();
        churns += fuzzer.churns();
        for (String finding : fuzzer.findings()) {
          long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
          List<String> kind = distinct.computeIfAbsent(signature(finding), k -> new ArrayList<>());
          kind.add(target + " " + finding + " (first after " + elapsed + " s)");
          if (kind.size() == 1) {
            // at once, so that a later JVM crash does not lose it
            System.out.println("gc-api fuzz: finding " + kind.get(0));
          }
        }
      }
    } finally {
      if (before == null) {
        System.clearProperty(GcStress.PROPERTY);
      } else {
        System.setProperty(GcStress.PROPERTY, before);
      }
    }
    List<String> findings = new ArrayList<>();
    distinct.forEach((signature, all) -> findings.add(all.get(0) + (all.size() > 1
        ? " [and " + (all.size() - 1) + " more like it, the first seeds " + seeds(all) + "]" : "")));
    return new Result(target, operations, sequences, churns, findings);
  }

  /** A finding without its seed, operation and numbers: findings of one kind share it. */
  static String signature(String finding) {
    return finding.replaceFirst("^seed \\d+( \\(two threads\\))?, operation #\\d+", "").replaceAll("\\d+", "N");
  }

  private static String seeds(List<String> all) {
    return all.stream().limit(6).map(f -> f.replaceFirst("^\\S+ seed (\\d+).*$", "$1")).toList().toString();
  }

  private static Engine engine(Target target) {
    return ENGINES.computeIfAbsent(target, t -> Engine.builder().target(t).build());
  }

  private static WasmModule module(Target target, int variant) {
    return MODULES.computeIfAbsent(target + "/" + variant,
        key -> WasmModule.compile(engine(target), Wat.toBinaryWithNames(GcApiGuest.wat(variant), "gcapi.wat")));
  }
}
