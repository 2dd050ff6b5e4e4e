package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.ArtifactCommandsTest.Run;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file a command line names as input is read only if it is a regular file (red team 104 F1):
 * a FIFO with no writer hung {@code kiln inspect}, {@code objdump} and {@code wast} at opening it,
 * and {@code /dev/zero} behind a script's name filled the heap. And a file is read whole only if its
 * first bytes can begin what it may be (F3): a sparse gigabyte of zeros named {@code .cwasm} was
 * read and decoded as UTF-8 text before its first byte was judged.
 */
class NonRegularInputTest {
  @TempDir Path dir;

  private Path fifo(String name) throws IOException, InterruptedException {
    Path fifo = dir.resolve(name);
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
    return fifo;
  }

  private static Run refusedQuickly(String... args) {
    Run run = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> kiln(args), String.join(" ", args));
    assertNotEquals(0, run.exit(), String.join(" ", args));
    assertEquals(1, run.err().lines().count(), run.err());
    return run;
  }

  @Test
  void everyInputFileOfEveryCommandIsRefusedInOneLineWhenItIsAFifo() throws Exception {
    Path cwasm = fifo("p.cwasm");
    Path wasm = fifo("p.wasm");
    Path wast = fifo("p.wast");
    Path key = fifo("k.key");
    Path ok = dir.resolve("ok.wast");
    Files.writeString(ok, "(module)");
    for (List<String> command : List.of(
        List.of("inspect", cwasm.toString()),
        List.of("objdump", cwasm.toString()),
        List.of("run", cwasm.toString()),
        List.of("validate", wasm.toString()),
        List.of("compile", wasm.toString(), "-o", dir.resolve("o.cwasm").toString()),
        List.of("wast", wast.toString()),
        List.of("wast", ok.toString(), "--should-fail", wast.toString()),
        List.of("run", ok.toString(), "--verify-key", key.toString()))) {
      Run run = refusedQuickly(command.toArray(String[]::new));
      assertTrue(run.err().contains("not a regular file, so not read as input (a device, FIFO or socket)"), run.err());
    }
  }

  /** In a folder, a script that is no file of data is passed over, as a named one is refused. */
  @Test
  void aFolderOfScriptsPassesOverEveryOneThatIsNoFileOfData() throws Exception {
    Path scripts = Files.createDirectory(dir.resolve("scripts"));
    Files.writeString(scripts.resolve("ok.wast"), "(module)");
    Files.createSymbolicLink(scripts.resolve("kernel.wast"), Path.of("/proc/self/status"));
    Files.createSymbolicLink(scripts.resolve("zero.wast"), Path.of("/dev/zero"));
    assertEquals(0, new ProcessBuilder("mkfifo", scripts.resolve("fifo.wast").toString()).start().waitFor());
    Run run = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> kiln("wast", scripts.toString()));
    assertEquals(0, run.exit(), run.err() + run.out());
    assertTrue(run.out().contains("ok.wast") && !run.out().contains("kernel.wast"), run.out());
  }

  /** A trailing slash names a directory: the file before it is not read (helper-105: it ran). */
  @Test
  void aFileNamedWithATrailingSlashIsRefused() throws Exception {
    Path wasm = Files.writeString(dir.resolve("m.wat"), "(module)");
    Run run = refusedQuickly("validate", wasm + "/");
    assertTrue(run.err().contains("names a directory (it ends in /)"), run.err());
  }

  @Test
  void aScriptNameForADeviceIsRefusedBeforeAnythingIsRead() throws Exception {
    Path zero = Files.createSymbolicLink(dir.resolve("z.wast"), Path.of("/dev/zero"));
    Run run = refusedQuickly("wast", zero.toString());
    assertTrue(run.err().contains("not a regular file"), run.err());
  }

  /**
   * A file of the kernel's (proc, sysfs) is regular but no data: its size says 0, and a read may wait
   * for good ({@code /proc/kmsg}, readable by root: helper-105 hung {@code validate}, {@code run} and
   * {@code wast} on it). {@code /proc/self/status} is read at once, so without the refusal these
   * commands fail later and otherwise, and the test catches it.
   */
  @Test
  void aKernelInterfaceFileIsRefusedBeforeItIsRead() {
    for (String command : List.of("validate", "run", "wast", "inspect")) {
      Run run = refusedQuickly(command, "/proc/self/status");
      assertTrue(run.err().contains("a kernel interface (proc file system)"), run.err());
    }
  }

  /**
   * A file with neither magic whose first bytes cannot begin a text module is refused from them:
   * the 2 GiB file here is sparse, so reading it whole would take seconds and gigabytes (it was
   * read and decoded before), and the test's time bound catches that.
   */
  @Test
  void aFileThatCanBeNoModuleIsRefusedFromItsFirstBytes() throws Exception {
    Path zeros = dir.resolve("z.cwasm");
    try (RandomAccessFile f = new RandomAccessFile(zeros.toFile(), "rw")) {
      f.setLength(Integer.MAX_VALUE - 16L);
    }
    Run run = refusedQuickly("run", zeros.toString());
    assertTrue(run.err().contains("neither a WebAssembly module"), run.err());
    Path key = dir.resolve("k.key");
    Files.write(key, new byte[32]);
    Run withKey = refusedQuickly("run", "--verify-key", key.toString(), zeros.toString());
    assertTrue(withKey.err().contains("neither a WebAssembly module"), withKey.err());
  }

  /** White space can begin a text module, so it is read through, but not kept: the first other byte decides. */
  @Test
  void whiteSpaceBeforeWhatCanBeNoModuleIsReadThroughNotKept() throws Exception {
    Path spaces = dir.resolve("s.bin");
    Files.writeString(spaces, " \t\r\n".repeat(100));
    try (RandomAccessFile f = new RandomAccessFile(spaces.toFile(), "rw")) {
      f.setLength(Integer.MAX_VALUE - 16L);
    }
    Run run = refusedQuickly("run", spaces.toString());
    assertTrue(run.err().contains("neither a WebAssembly module"), run.err());
  }

  @Test
  void textThatStartsAsTextIsStillReadAsAModule() throws Exception {
    Path text = dir.resolve("m.txt");
    Files.writeString(text, "\n  ;; a module named by neither extension\n(module (func (export \"f\") (result i32) i32.const 7))");
    Run run = kiln("run", "--no-cache", text.toString(), "--invoke", "f");
    assertEquals(0, run.exit(), run.err());
    assertEquals("7", run.lastLine());
  }
}
