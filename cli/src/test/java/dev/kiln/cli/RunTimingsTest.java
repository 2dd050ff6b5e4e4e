package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.ArtifactCommandsTest.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln run --timings}: one line on stderr naming every step, after the results; none without it. */
class RunTimingsTest {
  private static final String STEP = "=\\d+\\.\\d/\\d+\\.\\d";

  @TempDir Path dir;

  @Test
  void eachStepOfACompiledAndACachedRunIsTimed() {
    String[] args = {"run", "--timings", "--cache-dir", dir.toString(), "../examples/hello.wasm", "--invoke", "fac",
        "5"};
    Run compiled = kiln(args);
    assertEquals("120\n", compiled.out());
    // Called as a library (no main, no launcher): the steps of the command itself.
    assertTrue(compiled.err().matches("timings \\(wall/thread cpu ms\\): compile" + STEP + " load" + STEP + " link"
        + STEP + " instantiate" + STEP + " call" + STEP + " total=\\d+\\.\\d process_cpu=\\d+\\.\\d\\n"),
        compiled.err());
    Run cached = kiln(args);
    assertTrue(cached.err().startsWith("timings (wall/thread cpu ms): cache_hit="), cached.err());
    Run quiet = kiln("run", "--cache-dir", dir.toString(), "../examples/hello.wasm", "--invoke", "fac", "5");
    assertEquals(new Run(0, "120\n", ""), quiet);
  }
}
