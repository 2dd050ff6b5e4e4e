package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.ArtifactCommandsTest.Run;
import dev.kiln.cli.args.CommandSpec;
import dev.kiln.cli.args.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's exit codes and output contract, and how it reads (help wrapped at word
 * boundaries only, plain answers from {@code kiln run}). The scripts used here give the same verdict
 * whatever the decoder's state: a 4-byte module is malformed for any decoder, and a module that is
 * only a header is never invalid, so asserting it invalid always fails.
 */
class MainTest {
  private static final String MALFORMED_PASSES =
      "(assert_malformed (module binary \"\\00asm\") \"unexpected end\")";
  private static final String TEXT_FORM =
      "(assert_malformed (module quote \"(func\") \"unexpected token\")";
  private static final String INVALID_FAILS =
      "(assert_invalid (module binary \"\\00asm\\01\\00\\00\\00\") \"type mismatch\")";

  @TempDir Path dir;



  private Path script(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, List.of(lines));
    return file;
  }

  @Test
  void wastExitsZeroWhenNothingFailsAndEndsWithTheCounts() throws IOException {
    Path ok = script("ok.wast", MALFORMED_PASSES, TEXT_FORM);
    Run run = kiln("wast", ok.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertEquals("2 passed, 0 failed, 0 skipped", run.lastLine());
    assertTrue(run.out().contains("ok.wast: 2 passed, 0 failed, 0 skipped"), run.out());
  }

  @Test
  void aModuleQuoteThatParsesFailsItsAssertMalformed() throws IOException {
    Path bad = script("quote.wast", "(assert_malformed (module quote \"(func)\") \"unexpected token\")");
    Run run = kiln("wast", bad.toString());
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("quote.wast:1: assert_malformed: expected malformed \"unexpected token\"; got ok"),
        run.out());
  }

  @Test
  void wastExitsOneWhenACaseFailsAndNamesItsLine() throws IOException {
    Path bad = script("bad.wast", MALFORMED_PASSES, INVALID_FAILS);
    Run run = kiln("wast", bad.toString());
    assertEquals(1, run.exit(), run.out() + run.err());
    assertEquals("1 passed, 1 failed, 0 skipped", run.lastLine());
    assertTrue(run.out().contains("bad.wast:2: assert_invalid: expected invalid \"type mismatch\"; got "),
        run.out());
  }

  @Test
  void wastRunsEveryScriptUnderAFolder() throws IOException {
    script("a.wast", MALFORMED_PASSES);
    Files.createDirectories(dir.resolve("sub"));
    script("sub/b.wast", MALFORMED_PASSES, MALFORMED_PASSES);
    Run run = kiln("wast", dir.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertEquals("3 passed, 0 failed, 0 skipped", run.lastLine());
  }

  @Test
  void shouldFailTurnsAListedFailureIntoASkipAndAListedPassIntoAFailure() throws IOException {
    Path bad = script("bad.wast", MALFORMED_PASSES, INVALID_FAILS);
    Path known = script("known.txt", "# test list", "bad.wast:2  decoder is a stub");
    Run listed = kiln("wast", "--should-fail", known.toString(), bad.toString());
    assertEquals(0, listed.exit(), listed.out());
    assertEquals("1 passed, 0 failed, 1 skipped", listed.lastLine());

    Path stale = script("stale.txt", "bad.wast:1  this one passes");
    Run staleRun = kiln("wast", "--should-fail", stale.toString(), bad.toString());
    assertEquals(1, staleRun.exit(), staleRun.out());
    assertEquals("0 passed, 2 failed, 0 skipped", staleRun.lastLine());
    assertTrue(staleRun.out().contains("remove it from should-fail.txt"), staleRun.out());
  }

  @Test
  void wastAcceptsAndRecordsTheTarget() throws IOException {
    Path ok = script("ok.wast", MALFORMED_PASSES);
    Run run = kiln("wast", "--target", "aarch64", ok.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("target aarch64"), run.out());
  }

  @Test
  void wastUsageErrorsExitTwo() throws IOException {
    Path ok = script("ok.wast", MALFORMED_PASSES);
    Run missing = kiln("wast", dir.resolve("nope.wast").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no such file"), missing.err());
    assertEquals(2, kiln("wast").exit(), "no files");
    Run badTarget = kiln("wast", "--target", "mips", ok.toString());
    assertEquals(2, badTarget.exit());
    assertTrue(badTarget.err().contains("unknown target 'mips'"), badTarget.err());
    Files.createDirectories(dir.resolve("empty"));
    assertEquals(2, kiln("wast", dir.resolve("empty").toString()).exit());
    Path brokenList = script("broken.txt", "ok.wast:1");
    Run broken = kiln("wast", "--should-fail", brokenList.toString(), ok.toString());
    assertEquals(2, broken.exit());
    assertTrue(broken.err().contains("should-fail list"), broken.err());
  }

  @Test
  void helpNamesTheCommandsAndTheirContracts() {
    Run help = kiln("--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("validate") && help.out().contains("wast"), help.out());
    Run wastHelp = kiln("wast", "--help");
    assertEquals(0, wastHelp.exit());
    assertTrue(wastHelp.out().contains("N passed, N failed, N skipped"), wastHelp.out());
    assertTrue(wastHelp.out().contains("--should-fail"), wastHelp.out());
  }

  @Test
  void validateReportsAMissingFileAndExitsOne() {
    Run run = kiln("validate", dir.resolve("absent.wasm").toString());
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("no such file"), run.err());
  }

  @Test
  void validateNamesTheFileAndTheFailureClass() throws IOException {
    Path truncated = dir.resolve("t.wasm");
    Files.write(truncated, new byte[] {0, 'a', 's', 'm'});
    Run run = kiln("validate", truncated.toString());
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.out().startsWith(truncated + ": malformed: "), run.out());
  }

  @Test
  void aModuleImportingAFunctionOfExnrefsValidates() throws IOException {
    Path exn = dir.resolve("exn.wasm");
    // one import of a function with an exnref result (WebAssembly 3.0 exception handling): the
    // store checks a host function's results, so nothing is refused
    Files.write(exn, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x69,
        0x02, 0x07, 0x01, 0x01, 'm', 0x01, 'f', 0x00, 0x00});
    Run run = kiln("validate", exn.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
  }

  /** Runs {@code kiln compile examples' add module -o output} and returns its one error line. */
  private String compileErrorFor(Path output) throws IOException {
    Path wasm = dir.resolve("add.wasm");
    // (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
    Files.write(wasm, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7F, 0x7F, 0x01,
        0x7F, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 'a', 'd', 'd', 0x00, 0x00, 0x0A, 0x09, 0x01, 0x07,
        0x00, 0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B});
    Run run = kiln("compile", wasm.toString(), "-o", output.toString());
    assertEquals(1, run.exit(), output + ": " + run.out() + run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    return run.err().strip();
  }

  /**
   * Every output path that cannot take the artifact is one line naming the part of the path at
   * fault and the kernel's reason (issue 35 finding 7: {@code -o /proc/version} said "/proc: no
   * such directory").
   */
  @Test
  void aBadOutputPathIsOneLineWithTheRealReason() throws IOException {
    assertEquals("error: /proc/version: cannot create a file in /proc: no such file or directory",
        compileErrorFor(Path.of("/proc/version")), "procfs makes no files: ENOENT in a directory that exists");
    assertEquals("error: /sys/add.cwasm: cannot create a file in /sys: permission denied",
        compileErrorFor(Path.of("/sys/add.cwasm")), "EACCES, also for root");
    assertEquals("error: " + dir + ": is a directory", compileErrorFor(dir));
    Path missing = dir.resolve("missing");
    assertEquals("error: " + missing + ": no such directory for " + missing.resolve("deeper/add.cwasm"),
        compileErrorFor(missing.resolve("deeper/add.cwasm")), "the first component that is missing");
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertEquals("error: " + file + ": not a directory, so " + file.resolve("sub/add.cwasm") + " cannot be created",
        compileErrorFor(file.resolve("sub/add.cwasm")), "the component that is a file");
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling.cwasm"), missing.resolve("add.cwasm"));
    assertEquals("error: " + dangling + " -> " + missing.resolve("add.cwasm") + ": a symbolic link to a file that"
        + " does not exist", compileErrorFor(dangling));
    try (var left = Files.list(dir)) {
      assertEquals(List.of("add.wasm", "dangling.cwasm", "file"),
          left.map(p -> p.getFileName().toString()).sorted().toList(), "nothing written, no temporary file left");
    }
  }

  /** Run as root, {@code -o /dev/null} renamed a regular file over the device node; here, over a FIFO. */
  @Test
  void anOutputThatIsNoRegularFileIsRefusedAndLeftAsItWas() throws IOException, InterruptedException {
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    assertEquals("error: " + fifo + ": not a regular file (kiln writes a new file and renames it over the name, which"
        + " would replace it)", compileErrorFor(fifo));
    assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo) && !Files.isDirectory(fifo), "still a FIFO");
  }

  @Test
  void validateNamesTheOffsetOfAModuleLevelError() throws IOException {
    // A type section of one [] -> [] type, then a function section whose one entry, at 0x11,
    // names type 1, which does not exist; and a code section with its body.
    byte[] module = {0, 'a', 's', 'm', 1, 0, 0, 0, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01,
        0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B};
    Path bad = dir.resolve("bad.wasm");
    Files.write(bad, module);
    Run run = kiln("validate", bad.toString());
    assertEquals(1, run.exit(), run.err());
    assertEquals(bad + ": invalid: at 0x11: unknown type 1\n", run.out());
  }

  /**
   * A command description broken where the next word would still have fit is a line break written
   * into the source (the way "A .wasm\nmodule is\ncompiled" happened): the help formatter wraps
   * each paragraph of a description on its own, so a paragraph must be whole: one sentence or more,
   * or an indented list item, never half of one continued in the next.
   */
  @Test
  void commandDescriptionsAreWholeParagraphs() throws UsageException {
    List<String> broken = new ArrayList<>();
    for (CommandSpec command : Main.allSpecs()) {
      for (String paragraph : command.description()) {
        String text = paragraph.stripTrailing();
        boolean whole = text.isEmpty() || paragraph.startsWith(" ") || text.endsWith(".") || text.endsWith(":");
        if (!whole || paragraph.contains("\n")) {
          broken.add(command.name() + ": \"" + paragraph + "\"");
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  /** Every line of every command's help fits in 79 columns, unless it is one word too long to break. */
  @Test
  void helpLinesFitTheWidth() throws UsageException {
    List<String> names = new ArrayList<>(List.of("--help"));
    Main.allSpecs().forEach(c -> names.add(c.name()));
    for (String name : names) {
      Run help = name.startsWith("-") ? kiln(name) : kiln(name, "--help");
      assertEquals(0, help.exit(), name + ": " + help.err());
      help.out().lines()
          .filter(line -> line.length() > 79 && !line.startsWith("  kiln ") && line.strip().contains(" "))
          .forEach(line -> assertEquals("", line, name + ": a line wider than 79 columns"));
    }
  }

  @Test
  void aBadCommandLineIsOneLineNamingTheOptionAndExitsTwo() {
    Run unknown = kiln("run", "x.cwasm", "--bogus");
    assertEquals(2, unknown.exit());
    assertEquals(List.of("error: kiln run: unknown option --bogus ('kiln run --help' lists the options)"),
        unknown.err().lines().toList());
    Run badValue = kiln("run", "x.cwasm", "--repeat", "many");
    assertEquals(2, badValue.exit());
    assertTrue(badValue.err().contains("--repeat: 'many' is not an integer"), badValue.err());
    Run noCommand = kiln();
    assertEquals(2, noCommand.exit());
    assertEquals(1, noCommand.err().lines().count(), noCommand.err());
    Run typo = kiln("rnu");
    assertEquals(2, typo.exit());
    assertTrue(typo.err().startsWith("error: unknown command 'rnu'"), typo.err());
  }

  @Test
  void aDirectoryGivenAsTheInputFileIsOneLineNamingIt() {
    for (String command : List.of("run", "compile", "validate", "inspect", "objdump")) {
      Run run = command.equals("compile") ? kiln(command, dir.toString(), "-o", dir.resolve("x.cwasm").toString())
          : kiln(command, dir.toString());
      assertEquals(2, run.exit(), command);
      assertEquals(1, run.err().lines().count(), run.err());
      assertTrue(run.err().contains("'" + dir + "' is a directory, not a file"), run.err());
    }
  }

  @Test
  void versionAndHelpAnswerFromEveryCommand() {
    assertEquals("kiln dev\n", kiln("--version").out());
    assertEquals("kiln dev\n", kiln("run", "-V").out());
    Run help = kiln("help", "compile");
    assertEquals(0, help.exit());
    assertTrue(help.out().startsWith("Usage: kiln compile [OPTIONS] --output=OUT.cwasm IN.wasm\n"), help.out());
    assertEquals(help.out(), kiln("compile", "--help").out());
  }

  @Test
  void runOnAFileThatIsNeitherWasmNorElfNorTextSaysSoInOneLine() throws IOException {
    Path junk = Files.write(dir.resolve("notes.bin"), new byte[] {(byte) 0xFF, (byte) 0xFE, 'h', 'i'});
    Run run = kiln("run", junk.toString());
    assertEquals(1, run.exit());
    assertEquals("error: " + junk + ": neither a WebAssembly module (\\0asm or .wat text) nor a .cwasm (ELF)\n",
        run.err());
  }

  @Test
  void runWithoutInvokeOrStartListsTheExportedFunctions() {
    Path hello = Path.of("../examples/hello.wasm");
    Run run = kiln("run", hello.toString());
    assertEquals(RunCommand.NO_EXPORT_NAMED, run.exit(), run.err());
    assertEquals("", run.out());
    assertEquals(List.of(hello + " has no _start (a WASI command's entry); call an export with --invoke NAME [ARGS...]:",
        "  add (i32 i32) -> (i32)", "  fac (i64) -> (i64)"), run.err().lines().toList());
    assertTrue(kiln("run", hello.toString(), "--invoke", "add", "2", "40").out().startsWith("42"));
  }
}
