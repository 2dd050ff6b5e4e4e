package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A closed store is garbage, whatever its code called in Java: a host function, the GC slow path,
 * the exception unwinder (red team 24 F1: each store with such code made upcall stubs whose
 * targets were bound to its objects, JNI global roots that kept every closed store, +2.5 KiB of
 * heap and ~1 KiB of code cache a store on x86-64 and +69 KiB of heap emulated, for the JVM's
 * life). Counted in a child JVM with a 64 MiB heap ({@link ClosedStoreCycles}): after N and 2N
 * cycles no closed store is reachable, none is left in the upcall registry, and the number of
 * native upcall stubs, C-heap blocks and reserved address space does not grow with N.
 */
class ClosedStoreReachabilityTest {
  private static final int CYCLES = 150;

  @ParameterizedTest
  @ValueSource(strings = {"x86_64", "aarch64"})
  void closedStoresWithUpcallsAreGarbage(String target) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-cp",
        System.getProperty("java.class.path"), ClosedStoreCycles.class.getName(), target, Integer.toString(CYCLES))
        .redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the cycles did not finish");
    assertEquals(0, child.exitValue(), output);
    String afterN = line(output, "after N: ");
    String after2N = line(output, "after 2N: ");
    assertTrue(afterN.startsWith("live stores=0 registered=0 "), "after " + CYCLES + " closed stores: " + afterN);
    assertTrue(after2N.startsWith("live stores=0 registered=0 "), "after " + 2 * CYCLES + " closed stores: " + after2N);
    assertEquals(afterN, after2N, "stubs, blocks, reservations after " + CYCLES + " stores and after twice as many");
  }

  private static String line(String output, String prefix) {
    return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no \"" + prefix + "\" in\n" + output)).substring(prefix.length());
  }
}
