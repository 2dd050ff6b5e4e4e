package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln run --timeout} ends even when the guest filled the pipe on standard error and nobody
 * reads it: the guest's blocked write ends at the deadline, and {@link Main#main} writes kiln's own
 * error line through a bounded wait (it once blocked in {@code PrintStream.flush} for as long as the
 * reader stayed away). Only a child JVM shows this: the wiring is in {@code main}, and the pipe must
 * be the process's real descriptor 2. The child's standard error is a pipe this test never reads.
 */
class StderrFloodExitTest {
  /** Writes 64 KiB to fd 2 (WASI fd_write, iovec at address 0) for ever. */
  private static final String FLOOD_STDERR = """
      (module
        (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 2)
        (func (export "_start")
          (i32.store (i32.const 0) (i32.const 64))
          (i32.store (i32.const 4) (i32.const 65536))
          (loop $again
            (drop (call $write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
            (br $again))))
      """;

  @TempDir Path dir;

  @Test
  void aFullUnreadStderrPipeDoesNotHoldTheProcessPastItsDeadline() throws Exception {
    Assumptions.assumeTrue(Target.host().isPresent(), "a host Kiln runs no code on");
    Path guest = dir.resolve("flood.wat");
    Files.writeString(guest, FLOOD_STDERR);
    // Compiled here, so that the child's deadline is spent in the guest, however loaded the machine.
    Path artifact = dir.resolve("flood.cwasm");
    assertEquals(0, kiln("compile", "--epoch-interruption", guest.toString(), "-o", artifact.toString()).exit());
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "run", "--timeout", "3s", artifact.toString());
    Process child = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start(); // standard error stays a pipe, and this test never reads it
    try {
      // A hang detector, not a timing threshold: without the bounded write the child never exits
      // while the pipe stays unread.
      boolean exited = child.waitFor(120, TimeUnit.SECONDS);
      assertTrue(exited, "kiln run blocked writing to a full standard error pipe");
      assertNotEquals(0, child.exitValue(), "a guest stopped at its deadline must fail the run");
    } finally {
      child.destroyForcibly();
      child.getErrorStream().close();
    }
  }
}
