package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The instance-per-request cycle leaves nothing behind, counted rather than timed ({@link
 * CycleFootprint}, in a JVM of its own): what Kiln holds of the process after {@value
 * CycleFootprint#CYCLES} cycles on each of two threads equals what it holds after twice as many,
 * pooled and on demand; with a pool, every slot is back.
 */
class CycleFootprintTest {
  @ParameterizedTest
  @ValueSource(strings = {"pooled", "on-demand"})
  void whatACycleTakesIsGivenBack(String allocation) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), CycleFootprint.class.getName(), allocation)
        .redirectErrorStream(true).start();
    assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the cycles did not finish");
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), output);
    String afterN = line(output, "footprint after N: ");
    String after2N = line(output, "footprint after 2N: ");
    assertEquals(afterN, after2N, "after " + CycleFootprint.CYCLES + " cycles a thread and after twice as many");
    if (allocation.equals("pooled")) {
      assertTrue(after2N.endsWith("freeSlots=4]"), "every slot back in the pool: " + after2N);
    }
  }

  private static String line(String output, String prefix) {
    return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no \"" + prefix + "\" in\n" + output)).substring(prefix.length());
  }
}
