package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input is one error line also when it is the first thing a process does. In one test JVM an
 * earlier test has always made an engine, which sets up what the error path needs; a person's
 * {@code kiln inspect damaged.cwasm} has not (it once printed an internal error and a stack trace,
 * because the translation of the reader's failure ran before any engine existed). So each command
 * here runs in a child JVM of its own.
 */
class FreshProcessErrorsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"inspect", "objdump", "run"})
  void aDamagedArtifactIsOneLineInANewProcess(String command) throws Exception {
    Path damaged = dir.resolve("damaged.cwasm");
    Files.write(damaged, "\u007fELF but nothing an artifact needs".getBytes(StandardCharsets.US_ASCII));
    Process child = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", // as the launcher runs it: no JDK warnings
            "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            command, damaged.toString()))
        .redirectErrorStream(true)
        .start();
    String output = readAll(child);
    assertEquals(1, child.waitFor(), output);
    assertEquals(1, output.lines().count(), output);
    assertTrue(output.startsWith("error: "), output);
    assertTrue(output.contains("damaged.cwasm"), output);
    assertFalse(output.contains("Exception"), output);
  }

  private static String readAll(Process child) throws IOException {
    return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
