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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Red-team finding (issue 35): {@code kiln run --timeout 5s flood.wasm | sleep 100}, a guest
 * writing 64 KiB to stdout in a loop, ran until the reader went away, because the write blocked in
 * the kernel on the full pipe where no deadline reached it. The guest's stdout is now the process's
 * descriptor, whose writes wait for room in slices of the deadline, so the run ends with the {@code
 * interrupt} trap. The child JVM's stdout is a pipe the test never reads; without the fix the child
 * waits until the hang guard kills it, which fails the test. Both targets.
 */
class StdoutFloodTimeoutTest {
  private static final String FLOOD = """
      (module
        (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 2)
        (data (i32.const 0) "\\00\\04\\00\\00\\00\\00\\01\\00") ;; one iovec: 65536 bytes at 1024
        (func (export "_start")
          (loop $again
            (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (br $again))))
      """;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"x86_64", "aarch64"})
  void aGuestFloodingAPipeNobodyReadsEndsAtTheTimeout(String target) throws Exception {
    Path program = dir.resolve("flood.wasm");
    Files.write(program, Wat.toBinaryWithNames(FLOOD, "test.wat"));
    Path compiled = dir.resolve("flood.cwasm");
    // Compiled first, so the run's --timeout is all the guest's (it counts a .wasm's compile too).
    assertEquals(0, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        "compile", "--target", target, "--epoch-interruption", program.toString(), "-o", compiled.toString()));
    // 5 s, not 1: the timeout also bounds the child JVM's loading, which took over a second at a
    // load average of 25 (the run then ended in loading, not in the blocked call this test is about).
    ForkedJvm.Outcome run = ForkedJvm.runWithUnreadStdout(Main.class, "run", "--timeout", "5s", compiled.toString());
    assertEquals(1, run.exit(), run.describe());
    // the interrupt trap, raised inside the blocked fd_write (so "through 1 host call"), at the deadline
    assertTrue(run.err().contains(": interrupt (") && run.err().contains("(--timeout 5s elapsed)"), run.describe());
  }
}
