package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link OldGenerationLimit}: under the serial collector (the launcher's for {@code kiln compile})
 * objects that die after being copied into the old generation make it grow, not be collected; with
 * the limit it is collected once it doubles what its last collection left. Counted in a JVM of its
 * own ({@link OldGenerationChurn}): the old generation's peak use, and the full collections.
 */
class OldGenerationLimitTest {
  private static String churn(String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmn8m", "-Xmx1g", "-cp",
        System.getProperty("java.class.path"), OldGenerationChurn.class.getName(), mode)
        .redirectErrorStream(true).start();
    assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the churn did not finish");
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), output);
    return output;
  }

  private static long number(String output, String prefix) {
    return Long.parseLong(output.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no \"" + prefix + "\" in\n" + output)).substring(prefix.length()));
  }

  @Test
  void theOldGenerationIsCollectedInsteadOfGrown() throws Exception {
    String free = churn("free");
    String limited = churn("limited");
    // Without the limit the dead copies pile up (the control: this is what the limit is for).
    assertTrue(number(free, "old peak MB: ") >= 300, free);
    // With it, the old generation stays near twice the 24 MB the churn holds.
    assertTrue(number(limited, "full collections: ") > 0, limited);
    assertTrue(number(limited, "old peak MB: ") < 200, limited);
  }
}
