package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.ArtifactCommandsTest.Run;
import dev.kiln.compiler.testsupport.HostileShapes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln run app.wasm --timeout T} bounds the compile of the module too (issue 35, finding 4):
 * a module shaped to take long to compile ends the run with one error line, no stack trace, and
 * nothing in the cache; the same module within a generous timeout runs.
 */
class RunCompileTimeoutTest {
  @TempDir Path dir;

  @Test
  void aCompileThatOutlastsTheTimeoutIsOneErrorLine() throws IOException {
    // Tens of thousands of nested blocks: hundreds of milliseconds of compile at least.
    Path wasm = dir.resolve("nested.wasm");
    Files.write(wasm, HostileShapes.NESTED_BLOCKS.module(20_000));
    Path cache = dir.resolve("cache");
    Run run = kiln("run", "--cache-dir", cache.toString(), "--timeout", "1ms", wasm.toString(), "--invoke", "f", "1");
    assertEquals(1, run.exit(), run.err());
    assertEquals("", run.out());
    assertEquals("error: " + wasm + ": compile took longer than its budget of 1 ms (--timeout 1ms elapsed)\n",
        run.err());
    assertTrue(Files.notExists(cache) || isEmpty(cache), "nothing stored for a compile that did not finish");
  }

  @Test
  void aCompileWithinTheTimeoutRuns() throws IOException {
    Path wasm = dir.resolve("small.wasm");
    Files.write(wasm, HostileShapes.NESTED_BLOCKS.module(10));
    // With 0, no br_if leaves early: every block's own code adds its number, 0 + 1 + ... + 9.
    Run run = kiln("run", "--no-cache", "--timeout", "1m", wasm.toString(), "--invoke", "f", "0");
    assertEquals(new Run(0, "45\n", ""), run);
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      return files.noneMatch(p -> p.toString().endsWith(".cwasm"));
    }
  }
}
