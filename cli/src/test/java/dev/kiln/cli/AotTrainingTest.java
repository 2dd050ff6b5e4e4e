package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM AOT training runs ./kiln makes after a build: every command in them succeeds on the examples
 * (a failing one would leave the launcher without a cache), and a failing command stops them.
 */
class AotTrainingTest {
  @TempDir Path dir;

  @Test
  void theTrainingRunsEveryCommandOnTheExamples() {
    assertDoesNotThrow(() -> AotTraining.main(new String[] {"../examples/hello.wasm", "../examples/cat.wasm"}));
  }

  @Test
  void theRunTrainingRunsWhatTheFirstLeftWithoutCompiling() throws Exception {
    AotTraining.main(new String[] {"../examples/hello.wasm", "../examples/cat.wasm", dir.toString()});
    assertTrue(Files.isRegularFile(dir.resolve("hello.cwasm")) && Files.isDirectory(dir.resolve("cache")));
    assertDoesNotThrow(() -> AotTraining.main(new String[] {"--run", dir.toString()}));
    // Without the artifacts the first training leaves, the run training fails rather than train on errors.
    Files.delete(dir.resolve("hello.cwasm"));
    assertThrows(IllegalStateException.class, () -> AotTraining.main(new String[] {"--run", dir.toString()}));
  }

  @Test
  void aFailingCommandEndsTheTraining() {
    // hello.wasm has no _start: run as the WASI command with arguments, it fails instead of exiting 12.
    assertThrows(IllegalStateException.class,
        () -> AotTraining.main(new String[] {"../examples/hello.wasm", "../examples/hello.wasm"}));
  }
}
