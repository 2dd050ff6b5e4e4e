package dev.kiln.tests.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.cli.Main;
import dev.kiln.tests.support.ForkedJvm;
import dev.kiln.wat.Wat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 35, finding 1, end to end: a wasm guest reads a file through {@code fd_read} over 1,025
 * iovecs whose first entry covers entry 1,024, so the file's first 8 bytes rewrite that entry, after
 * the host checked it, to point past the guest's memory: past the committed page into the 4 GiB
 * reservation of a 32-bit memory, and past the 64 KiB guard of a memory64 memory whose maximum is
 * one page (host memory: the JVM's own mappings). A host that read the array again would make the
 * kernel write there (EFAULT from the reservation, corruption or a crash of the JVM past the guard).
 * The guest exits 0 only when the read filled exactly the 1,024 entries it was allowed to
 * (1,031 bytes) and left its own untaken buffer alone; it runs with {@code kiln run} in a child JVM,
 * so a regression that crashes the JVM fails this test instead of the build.
 */
class IovecRewriteEscapeTest {
  private static final int ARRAY = 4096;
  private static final int TAKEN = 1024;
  private static final int VICTIM = ARRAY + TAKEN * 8;
  private static final int SCRATCH = 16384;
  private static final int HONEST = 32768;
  private static final int PAGE = 65536;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} memory{1}")
  @CsvSource({"x86_64, 32", "x86_64, 64", "aarch64, 32", "aarch64, 64"})
  void aFileCannotRewriteAnIovecTheHostAlreadyChecked(String target, int addressBits) throws Exception {
    boolean memory64 = addressBits == 64;
    // 32-bit: the page after the memory (reserved, not committed). memory64: past the guard.
    int forged = memory64 ? 2 * PAGE + 16 : PAGE + 16;
    Path root = Files.createDirectory(dir.resolve("root"));
    byte[] payload = new byte[8 + TAKEN + 64];
    Arrays.fill(payload, (byte) 0xEE);
    ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).putInt(forged).putInt(64);
    Files.write(root.resolve("payload"), payload);

    Path program = dir.resolve("attack.wasm");
    Files.write(program, Wat.toBinaryWithNames(guest(memory64), "test.wat"));
    if (target.equals("aarch64")) {
      Path compiled = dir.resolve("attack.cwasm");
      assertEquals(0, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
          "compile", "--target", "aarch64", program.toString(), "-o", compiled.toString()));
      program = compiled;
    }
    ForkedJvm.Outcome run = ForkedJvm.run(Main.class, "run", program.toString(), "--dir", root + "::.");
    assertEquals(0, run.exit(), "exit 100+errno: the read failed (21: EFAULT); 2: it filled more than the"
        + " entries taken; 3: it wrote an untaken buffer; 134: the JVM crashed\n" + run.describe());
  }

  /** The attacking guest; its exit status says what the read did. */
  private static String guest(boolean memory64) {
    String a = memory64 ? "i64" : "i32";
    String at = memory64 ? "(i64.extend_i32_u (local.get $i))" : "(local.get $i)";
    return """
        (module
          (import "wasi_snapshot_preview1" "path_open"
            (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") A 1 1)
          (data (A.const 0) "payload")
          (func (export "_start") (local $i i32) (local $errno i32)
            ;; fd_read and fd_seek rights (witx bits 1 and 2) on "payload", its fd at 16
            (local.set $errno (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 7)
              (i32.const 0) (i64.const 6) (i64.const 0) (i32.const 0) (i32.const 16)))
            (if (local.get $errno) (then (call $proc_exit (i32.const 99))))
            ;; entry 0 covers entry 1024; entries 1..1023 one scratch byte each; entry 1024 honest
            (i32.store (A.const ARRAY) (i32.const VICTIM))
            (i32.store (A.const ARRAY_4) (i32.const 8))
            (local.set $i (i32.const 1))
            (loop $fill
              (i32.store (A.add (A.const ARRAY) (A.mul AT (A.const 8))) (i32.add (i32.const SCRATCH) (local.get $i)))
              (i32.store (A.add (A.const ARRAY_4) (A.mul AT (A.const 8))) (i32.const 1))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $fill (i32.lt_u (local.get $i) (i32.const TAKEN))))
            (i32.store (A.const VICTIM) (i32.const HONEST))
            (i32.store (A.const VICTIM_4) (i32.const 64))
            (local.set $errno (call $fd_read (i32.load (A.const 16)) (i32.const ARRAY) (i32.const ENTRIES)
              (i32.const 24)))
            (if (local.get $errno) (then (call $proc_exit (i32.add (i32.const 100) (local.get $errno)))))
            (if (i32.ne (i32.load (A.const 24)) (i32.const READ))
              (then (call $proc_exit (i32.const 2))))
            (if (i32.load8_u (A.const HONEST)) (then (call $proc_exit (i32.const 3))))
            (call $proc_exit (i32.const 0))))
        """
        .replace("ARRAY_4", Integer.toString(ARRAY + 4))
        .replace("VICTIM_4", Integer.toString(VICTIM + 4))
        .replace("ARRAY", Integer.toString(ARRAY))
        .replace("VICTIM", Integer.toString(VICTIM))
        .replace("SCRATCH", Integer.toString(SCRATCH))
        .replace("HONEST", Integer.toString(HONEST))
        .replace("ENTRIES", Integer.toString(TAKEN + 1))
        .replace("TAKEN", Integer.toString(TAKEN))
        .replace("READ", Integer.toString(8 + TAKEN - 1))
        .replace("AT", at)
        .replace("A.", a + ".")
        .replace(" A ", memory64 ? " i64 " : " ");
  }
}
