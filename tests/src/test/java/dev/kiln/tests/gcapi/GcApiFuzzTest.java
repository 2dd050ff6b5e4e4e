package dev.kiln.tests.gcapi;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.runtime.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The GC-API fuzzer's slice of the default test run: a {@link GcApiFuzzCampaign} per target, {@value
 * #X86_64_SECONDS} seconds on x86-64 and at most {@value #AARCH64_SEQUENCES} sequences in {@value
 * #AARCH64_SECONDS} seconds on AArch64 (Unicorn is slower), with the collector at every allocation and
 * the heap verifier on. {@code -Dkiln.fuzz.seconds=N} runs each target N seconds, {@code
 * -Dkiln.fuzz.seed=S} starts at sequence seed S (a finding's replay), {@code -Dkiln.fuzz.target=T}
 * runs only target T; {@code scripts/fuzz-gcapi SECONDS [SEED] [TARGET]} sets them.
 */
class GcApiFuzzTest {
  private static final long X86_64_SECONDS = 15;
  private static final long AARCH64_SECONDS = 10;
  private static final int AARCH64_SEQUENCES = 4;
  private static final long SEED = Long.getLong("kiln.fuzz.seed", GcApiFuzzCampaign.DEFAULT_SEED);
  private static final Long SECONDS = Long.getLong("kiln.fuzz.seconds");
  private static final String TARGET = System.getProperty("kiln.fuzz.target");

  @ParameterizedTest
  @EnumSource(Target.class)
  void everyReferenceCrossingTheApiIsTheObjectTheModelSays(Target target) {
    assumeTrue(TARGET == null || TARGET.equals(target.name()), "kiln.fuzz.target names another target");
    boolean arm = target == Target.AARCH64;
    long seconds = SECONDS != null ? SECONDS : arm ? AARCH64_SECONDS : X86_64_SECONDS;
    int sequences = SECONDS == null && arm ? AARCH64_SEQUENCES : Integer.MAX_VALUE;
    // AArch64's few sequences start two seeds on, so that two of its four have the second thread
    long seed = SECONDS == null && arm ? SEED + 2 : SEED;
    GcApiFuzzCampaign.Result result = GcApiFuzzCampaign.run(target, seconds, seed, sequences);
    System.out.println(result.summary(seed));
    assertTrue(result.findings().isEmpty(), () -> String.join("\n", result.findings()));
  }
}
