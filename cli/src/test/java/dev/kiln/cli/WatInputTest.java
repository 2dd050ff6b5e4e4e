package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.ArtifactCommandsTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln run|compile|validate} given a module in the text format: read by Kiln's own text
 * reader, with no external tool; a malformed text is one {@code error: file:line:column: reason}
 * line and exit 1, never a stack trace or a binary decoder's "magic header" complaint.
 */
class WatInputTest {
  private static final String ADD = """
      (module
        (func (export "add") (param i32 i32) (result i32)
          local.get 0 local.get 1 i32.add))
      """;
  private static final String BAD = """
      (module
        (func (export "f") (result i32)
          i32.const 1 i32.bogus))
      """;

  @TempDir Path dir;



  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void runInvokesAnExportOfATextModule() throws IOException {
    Run run = kiln("run", file("add.wat", ADD).toString(), "--invoke", "add", "1", "2");
    assertEquals(0, run.exit(), run.err());
    assertEquals("3", run.out().strip());
  }

  @Test
  void textWithoutTheExtensionIsRecognisedByItsContent() throws IOException {
    Run run = kiln("run", file("add", ADD).toString(), "--invoke", "add", "40", "2");
    assertEquals(0, run.exit(), run.err());
    assertEquals("42", run.out().strip());
    assertEquals("ok", kiln("validate", file("add.txt", ADD).toString()).out().strip());
  }

  @Test
  void compileWritesAnArtifactOfATextModule() throws IOException {
    Path cwasm = dir.resolve("add.cwasm");
    Run compile = kiln("compile", file("add.wat", ADD).toString(), "-o", cwasm.toString());
    assertEquals(0, compile.exit(), compile.err());
    Run run = kiln("run", cwasm.toString(), "--invoke", "add", "5", "6");
    assertEquals("11", run.out().strip(), run.err());
  }

  @Test
  void aMalformedTextIsOneLineWithItsLineAndColumnForEveryCommand() throws IOException {
    Path bad = file("bad.wat", BAD);
    String line = "error: " + bad + ":3:17: expected an instruction, found 'i32.bogus'\n";
    for (String[] args : new String[][] {{"run", bad.toString(), "--invoke", "f"}, {"validate", bad.toString()},
        {"compile", bad.toString(), "-o", dir.resolve("bad.cwasm").toString()}}) {
      Run run = kiln(args);
      assertEquals(1, run.exit(), args[0]);
      assertEquals(line, run.err(), args[0]);
    }
    assertTrue(Files.notExists(dir.resolve("bad.cwasm")));
  }

  @Test
  void aTextFileThatIsNotUtf8IsMalformedAtItsFirstBadByte() throws IOException {
    Path bad = Files.write(dir.resolve("latin1.wat"),
        "(module)\n;; caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Run run = kiln("validate", bad.toString());
    assertEquals(1, run.exit());
    assertEquals("error: " + bad + ":2:7: expected UTF-8 text, found byte 0xe9\n", run.err());
  }

  @Test
  void aTextModuleThatParsesButDoesNotValidateIsReportedByTheValidator() throws IOException {
    Path invalid = file("invalid.wat", "(module (func (result i32) i64.const 1))");
    Run run = kiln("validate", invalid.toString());
    assertEquals(1, run.exit());
    assertTrue(run.out().startsWith(invalid + ": invalid: "), run.out());
  }
}
