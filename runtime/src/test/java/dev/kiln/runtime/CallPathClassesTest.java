package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once an engine has started and a first instance is made, calls into the store (every way in),
 * host calls, traps, collections and the closes and frees of instances and stores initialise no
 * class with a static initialiser, Kiln's or the JDK's: such a class first initialised by a call
 * near the end of a thread's stack, where its initialiser overflowed, stays erroneous for the JVM's
 * life (JLS 12.4.2), and the path with it (red team 22 F4: {@code StringConcatFactory}, and every
 * string concatenation not yet linked; {@code StackEndSweep} found {@code StackBounds}, which every
 * outermost entry needs, and every call of the process failing after it). Counted in a child JVM's {@code -Xlog:class+init}, where HotSpot
 * logs each initialisation and marks a class without an initialiser "(no method)".
 */
class CallPathClassesTest {
  /** Every operation {@link StackEndSweep} attempts, each once at the top here. */
  private static final List<String> OPERATIONS = List.of("DIRECT_0", "DIRECT_1", "DIRECT_2", "DIRECT_3",
      "DIRECT_4", "DIRECT_ARRAY", "DIRECT_MADE_THERE", "TYPED", "TYPED_MADE_THERE", "FUNC_CALL", "GLOBAL",
      "HOST_CALLBACK", "HOST_CALLBACK_INSIDE", "TRAP", "HOST_FAILURE", "GC_COLLECT", "GC_OBJECT", "INSTANTIATE",
      "INSTANCE_CLOSE", "STORE_CLOSE", "NEW_STORE");

  @Test
  void theCallAndClosePathsInitialiseNoClassAfterTheFirstInstance(@TempDir Path dir) throws Exception {
    for (String allocation : List.of("on-demand", "pooled")) {
      Path log = dir.resolve(allocation + ".log");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED", "-Xlog:class+init=info:file=" + log, "-cp",
          System.getProperty("java.class.path"), StackEndSweep.class.getName(), "paths", allocation));
      command.addAll(OPERATIONS);
      Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the child did not finish");
      assertEquals(0, child.exitValue(), output);
      assertTrue(output.contains("done") && !output.contains("FAIL"), output);
      assertEquals(List.of(), initialisedOnThePaths(Files.readAllLines(log)), allocation + ": " + output);
    }
  }

  /**
   * The classes with a static initialiser that the log shows initialised after the marker class
   * ({@link StackEndSweep.PathsBegin}), but for the test's own and the classes the JDK spins at run
   * time for method handles (hidden classes, named with a "+0x" suffix, and bound method handle
   * species), which no list of names could initialise ahead.
   */
  private static List<String> initialisedOnThePaths(List<String> log) {
    List<String> found = new ArrayList<>();
    boolean begun = false;
    for (String line : log) {
      int at = line.indexOf("Initializing '");
      if (at < 0) {
        continue;
      }
      String name = line.substring(at + "Initializing '".length(), line.indexOf('\'', at + "Initializing '".length()));
      if (name.equals("dev/kiln/runtime/StackEndSweep$PathsBegin")) {
        begun = true;
        continue;
      }
      boolean hasInitialiser = !line.contains("(no method)");
      if (begun && hasInitialiser && !name.startsWith("dev/kiln/runtime/StackEndSweep") && !name.contains("+0x")
          && !name.contains("$Species_") && !name.equals("java/lang/Shutdown")) {
        found.add(name);
      }
    }
    assertTrue(begun, "no line of the marker class in the log");
    return found;
  }
}
