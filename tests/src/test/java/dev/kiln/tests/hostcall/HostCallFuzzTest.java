package dev.kiln.tests.hostcall;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The host-call fuzzer's slice of the default test run: a {@link HostCallFuzzCampaign} of {@value
 * #DEFAULT_SECONDS} seconds (after compiling its guests), every guest included. {@code
 * -Dkiln.fuzz.seconds=N} runs longer, {@code -Dkiln.fuzz.seed=S} starts at sequence seed S (a
 * failure's replay); {@code scripts/fuzz-hostcalls SECONDS [SEED]} does both. It prints how many
 * calls it made.
 */
class HostCallFuzzTest {
  private static final long DEFAULT_SECONDS = 25;
  private static final long SEED = Long.getLong("kiln.fuzz.seed", HostCallFuzzCampaign.DEFAULT_SEED);
  private static final long SECONDS = Long.getLong("kiln.fuzz.seconds", DEFAULT_SECONDS);

  @Test
  void adversarialCallsNeverWriteWhereTheyMayNot() throws IOException {
    HostCallFuzzCampaign.Result result = HostCallFuzzCampaign.run(SECONDS, SEED);
    System.out.println(result.summary(SEED));
    assertTrue(result.findings().isEmpty(), () -> String.join("\n", result.findings()));
  }
}
