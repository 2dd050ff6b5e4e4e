package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.cli.ArtifactCommandsTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln run} of a guest whose wasm exception nothing catches: one {@code error:} line naming
 * where it was thrown and the tag (its export name, else {@code tag #N}) with the payload, exit 1;
 * {@code --backtrace} adds the wasm frames, innermost first, as it does after a trap.
 */
class RunUncaughtExceptionTest {
  private static final String WAT = """
      (module
        (tag $e (export "boom") (param i32 i64))
        (tag $hidden (param f64))
        (tag $empty)
        (func $inner (param i32) (throw $e (local.get 0) (i64.const -7)))
        (func $outer (export "go") (param i32) (call $inner (local.get 0)))
        (func $hide (export "hidden") (throw $hidden (f64.const 1.5)))
        (func $legacy (export "legacy") (result i32)
          (try (result i32)
            (do (call $inner (i32.const 3)) (i32.const 0))
            (catch $hidden (drop) (i32.const 1))
            (catch $empty (i32.const 2))))
        (func $none (export "empty") (throw $empty)))
      """;

  @TempDir Path dir;

  private Run run(String... args) throws IOException {
    Path module = Files.writeString(dir.resolve("throws.wat"), WAT);
    List<String> all = new java.util.ArrayList<>(List.of("run", module.toString()));
    all.addAll(List.of(args));
    return ArtifactCommandsTest.kiln(all.toArray(String[]::new));
  }

  @Test
  void anUncaughtExceptionIsOneLineNamingItsTag() throws IOException {
    Run go = run("--invoke", "go", "5");
    assertEquals(1, go.exit());
    assertEquals(List.of("error: uncaught exception in inner (wasm[0]::function[0]) @ 0x62: tag \"boom\" (5, -7)"),
        go.err().lines().toList());
    Run hidden = run("--invoke", "hidden");
    assertEquals(1, hidden.exit());
    assertEquals(List.of("error: uncaught exception in hide (wasm[0]::function[2]) @ 0x77: tag #1 (1.5)"),
        hidden.err().lines().toList());
    Run empty = run("--invoke", "empty");
    assertEquals(List.of("error: uncaught exception in none (wasm[0]::function[4]) @ 0x91: tag #2"),
        empty.err().lines().toList());
    Run legacy = run("--invoke", "legacy");
    assertEquals(1, legacy.exit());
    // no clause of the legacy try matches: its dispatch throws the exception on, from its frame
    assertEquals(List.of("error: uncaught exception in legacy (wasm[0]::function[3]) @ 0x84: tag \"boom\" (3, -7)"),
        legacy.err().lines().toList());
  }

  @Test
  void withBacktraceTheFramesFollow() throws IOException {
    Run go = run("--backtrace", "--invoke", "go", "5");
    assertEquals(1, go.exit());
    assertEquals(List.of(
        "error: uncaught exception in inner (wasm[0]::function[0]) @ 0x62: tag \"boom\" (5, -7)",
        "  at inner (wasm[0]::function[0]) @ 0x62",
        "  at outer (wasm[0]::function[1]) @ 0x69"), go.err().lines().toList());
  }
}
