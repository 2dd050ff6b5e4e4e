package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln run app.wasm --dir ... -- args}: a WASI command compiled in memory, with its argv, a
 * preopened directory and proc_exit's status as the exit code. The guest is
 * examples/cat.wasm, the binary of examples/cat.wat beside it.
 */
class WasiRunTest {
  private static final Path CAT = Path.of("../examples/cat.wasm");

  @TempDir Path dir;

  private record Guest(int exit, String stdout, String stderr, String cliErr) {}

  /** Runs kiln with the process's stdout/stderr captured, where a WASI guest writes. */
  private static Guest kiln(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      ArtifactCommandsTest.Run run = ArtifactCommandsTest.kiln(args);
      return new Guest(run.exit(), out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8), run.err());
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @Test
  void catPrintsItsArgumentAndAFileUnderTheDirAndExitsWithTheLength() throws Exception {
    Files.writeString(dir.resolve("in.txt"), "twelve bytes");
    Guest g = kiln("run", CAT.toString(), "--dir", dir + "::.", "--", "héllo", "in.txt");
    assertEquals("héllo\ntwelve bytes", g.stdout(), g.cliErr());
    assertEquals(12, g.exit(), g.cliErr());
  }

  @Test
  void theSandboxHoldsAndMissingArgumentsAreTheGuestsOwnExit() throws Exception {
    Files.writeString(dir.resolve("in.txt"), "x");
    Path inner = Files.createDirectory(dir.resolve("inner"));
    Guest escape = kiln("run", CAT.toString(), "--dir", inner.toString(), "--", "a", "../in.txt");
    assertEquals(101, escape.exit(), "path_open fails inside the guest: " + escape.cliErr());
    Guest noDir = kiln("run", CAT.toString(), "--", "a", "in.txt");
    assertEquals(101, noDir.exit(), "without --dir there is no fd 3");
    Guest tooFew = kiln("run", CAT.toString(), "--dir", dir.toString());
    assertEquals(100, tooFew.exit());
  }

  @Test
  void aSightglassProgramRunsWithTheBenchTimer() throws Exception {
    Path noop = Path.of(System.getProperty("kiln.corpora", "../../shared/corpora"), "sightglass/noop");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(noop), "no sightglass corpus");
    Guest g = kiln("run", noop.resolve("benchmark.wasm").toString(), "--bench-timer", "--dir", dir + "::.");
    assertEquals(0, g.exit(), g.cliErr());
    assertEquals(Files.readString(noop.resolve("benchmark.stdout.expected")), g.stdout());
    assertTrue(g.cliErr().matches("(?s)bench_ms=\\d+\\.\\d{3}\\s*"), g.cliErr());
    Guest without = kiln("run", noop.resolve("benchmark.wasm").toString());
    assertEquals(1, without.exit());
    assertTrue(without.cliErr().contains("bench"), without.cliErr());
  }

  @Test
  void aDirThatIsNoDirectoryIsAUsageError() throws Exception {
    Path missing = dir.resolve("missing");
    Guest g = kiln("run", CAT.toString(), "--dir", missing.toString(), "--", "a", "b");
    assertEquals(1, g.exit());
    assertTrue(g.cliErr().contains("--dir: cannot preopen " + missing + ": no such file or directory"), g.cliErr());
    Path file = Files.writeString(dir.resolve("file.txt"), "x");
    Guest notDirectory = kiln("run", CAT.toString(), "--dir", file.toString(), "--", "a", "b");
    assertEquals(1, notDirectory.exit());
    assertTrue(notDirectory.cliErr().contains("--dir: cannot preopen " + file + ": not a directory"),
        notDirectory.cliErr());
  }

  /**
   * {@code --max-open-files N}: the three streams and the preopen take four, so at 4 cat's open of
   * its file fails (EMFILE; cat exits 101 when path_open fails) and at 5 it succeeds.
   */
  @Test
  void maxOpenFilesBoundsTheGuestsDescriptors() throws Exception {
    Files.writeString(dir.resolve("in.txt"), "x");
    Guest full = kiln("run", CAT.toString(), "--max-open-files", "4", "--dir", dir + "::.", "--", "a", "in.txt");
    assertEquals(101, full.exit(), full.cliErr());
    Guest room = kiln("run", CAT.toString(), "--max-open-files", "5", "--dir", dir + "::.", "--", "a", "in.txt");
    assertEquals("a\nx", room.stdout(), room.cliErr());
    Guest zero = kiln("run", CAT.toString(), "--max-open-files", "0", "--dir", dir + "::.", "--", "a", "in.txt");
    assertEquals(1, zero.exit());
    assertEquals("error: " + CAT + ": --max-open-files must be at least 1, got 0\n", zero.cliErr());
  }

  /**
   * proc_exit's status becomes the process's as it is from 0 to 125; a larger one is a trap, not
   * an exit status the shell would read modulo 256 (256 as 0, success) or as a signal's (128 + n).
   */
  @Test
  void anExitStatusOf126OrMoreIsATrapNotAnExitTheShellWouldMisread() throws Exception {
    for (long status : new long[] {0, 125, 126, 137, 256, 0xFFFF_FFFFL}) {
      Path guest = dir.resolve("exit" + status + ".wat");
      Files.writeString(guest, "(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $e (param i32)))"
          + " (memory (export \"memory\") 1) (func (export \"_start\") (call $e (i32.const " + (int) status + "))))");
      Guest g = kiln("run", guest.toString(), "--no-cache");
      if (status < 126) {
        assertEquals(status, g.exit(), g.cliErr());
      } else {
        assertEquals(1, g.exit(), "proc_exit(" + status + ")");
        assertTrue(g.cliErr().contains("proc_exit(" + status + "): an exit status must be below 126"), g.cliErr());
        assertEquals(1, g.cliErr().lines().count(), g.cliErr());
      }
    }
  }
}
