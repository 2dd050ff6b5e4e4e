package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.ArtifactCommandsTest.Run;
import java.nio.file.Path;
import java.util.OptionalLong;
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

  @Test
  void theLaunchersEpochTimesAreReadInEitherLocale() {
    assertEquals(OptionalLong.of(1_763_900_000_123_456L), RunTimings.epochMicros("1763900000.123456"));
    assertEquals(OptionalLong.of(1_763_900_000_123_456L), RunTimings.epochMicros("1763900000,123456"));
    for (String bad : new String[] {"", "1.12345", "1763900000.12345", "17639x0000.123456", "1763900000:123456",
        "1763900000.1234567"}) {
      assertEquals(OptionalLong.empty(), RunTimings.epochMicros(bad), bad);
    }
    assertEquals(OptionalLong.empty(), RunTimings.epochMicros(null));
  }

  @Test
  void millisecondsArePrintedRoundedWithTheirDecimals() {
    assertEquals("6.214", Millis.of(6_213_500, 3));
    assertEquals("6.213", Millis.of(6_213_499, 3));
    assertEquals("0.005", Millis.of(4_500, 3));
    assertEquals("0.000", Millis.of(0, 3));
    assertEquals("1000.0", Millis.of(999_950_000L, 1));
    assertEquals("12", Millis.of(12_499_999, 0));
    assertEquals("0.000001", Millis.of(1, 6));
    assertEquals("-2.5", Millis.of(-2_450_000, 1));
    assertThrows(IllegalArgumentException.class, () -> Millis.of(1, 7));
  }
}
