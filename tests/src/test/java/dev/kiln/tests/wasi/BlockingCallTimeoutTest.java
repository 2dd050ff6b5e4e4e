package dev.kiln.tests.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.Main;
import dev.kiln.tests.support.ForkedJvm;
import dev.kiln.wat.Wat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 35, finding 4, end to end: {@code kiln run --timeout 5s} on a guest that waits in the host
 * instead of looping in wasm (poll_oneoff on a clock due in 2^64 - 1 ns; a read of stdin, a pipe its
 * parent never writes) must end with the {@code interrupt} trap (exit 1, "--timeout 5s elapsed"),
 * on both targets. Each runs in a child JVM whose stdin is such a pipe; without the fix the child
 * waits until the hang guard kills it, which fails the test.
 */
class BlockingCallTimeoutTest {
  private static final String POLL_FOREVER = """
      (module
        (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        ;; one subscription at 0: a monotonic clock (id 1 at 16), relative timeout u64 max (at 24)
        (data (i32.const 16) "\\01\\00\\00\\00\\00\\00\\00\\00\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff")
        (func (export "_start") (drop (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))))
      """;
  private static final String READ_STDIN = """
      (module
        (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 0) "\\10\\00\\00\\00\\10\\00\\00\\00") ;; one iovec: 16 bytes at 16
        (func (export "_start") (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 64)))))
      """;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"x86_64, poll", "x86_64, stdin", "aarch64, poll", "aarch64, stdin"})
  void aGuestWaitingInTheHostEndsAtTheTimeout(String target, String wait) throws Exception {
    Path program = dir.resolve("wait.wasm");
    Files.write(program, Wat.toBinaryWithNames(wait.equals("poll") ? POLL_FOREVER : READ_STDIN, "test.wat"));
    // Compiled first on both targets, so the run's --timeout is all the guest's: a compile counts
    // against it too, and a cold compile on a busy machine could pass 1 s (RunCompileTimeoutTest).
    Path compiled = dir.resolve("wait.cwasm");
    assertEquals(0, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        "compile", "--target", target, "--epoch-interruption", program.toString(), "-o", compiled.toString()));
    program = compiled;
    // 5 s, not 1: the timeout also bounds the child JVM's loading, which took over a second at a
    // load average of 25 (the run then ended in loading, not in the blocked call this test is about).
    ForkedJvm.Outcome run = ForkedJvm.run(Main.class, "run", "--timeout", "5s", program.toString());
    assertEquals(1, run.exit(), run.describe());
    assertTrue(run.err().contains("interrupt") && run.err().contains("--timeout 5s elapsed"), run.describe());
  }
}
