package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM AOT training run ./kiln makes after a build: every command in it succeeds on the examples
 * (a failing one would leave the launcher without a cache), and a failing command stops it.
 */
class AotTrainingTest {
  @TempDir Path dir;

  @Test
  void theTrainingRunsEveryCommandOnTheExamples() {
    assertDoesNotThrow(() -> AotTraining.main(new String[] {"../examples/hello.wasm", "../examples/cat.wasm"}));
  }

  @Test
  void aFailingCommandEndsTheTraining() {
    // hello.wasm has no _start: run as the WASI command with arguments, it fails instead of exiting 12.
    assertThrows(IllegalStateException.class,
        () -> AotTraining.main(new String[] {"../examples/hello.wasm", "../examples/hello.wasm"}));
  }
}
