package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.ArtifactCommandsTest.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module's names reach the command line's output (a trap's line names the function the name
 * section gives, objdump heads each function with its name): a name holding an ESC sequence, a
 * line feed or a bidi override shows as escapes, never drives the terminal or starts a line of its
 * own ({@link TerminalSafeWriter}).
 */
class TerminalSafeOutputTest {
  /** ESC [31m (red), a line feed that would start a fake diagnostic, BEL, and U+202E (right-to-left override). */
  private static final String HOSTILE_NAME = "evil\u001b[31mRED\nerror: fake line\u0007\u202ex";
  private static final String ESCAPED_NAME = "evil\\x1b[31mRED\\x0aerror: fake line\\x07\\u{202e}x";

  @TempDir Path dir;

  @Test
  void aTrapInAFunctionWithAHostileNameIsOneLineOfEscapes() throws IOException {
    Path module = Files.write(dir.resolve("hostile.wasm"), moduleNamingItsFunction(HOSTILE_NAME));
    Run run = ArtifactCommandsTest.kiln("run", module.toString(), "--invoke", "go", "--backtrace");
    assertEquals(1, run.exit());
    List<String> lines = run.err().lines().toList();
    assertEquals(2, lines.size(), run.err()); // the error line and one frame
    assertTrue(lines.get(0).startsWith("error: trap in " + ESCAPED_NAME + " "), lines.get(0));
    assertTrue(lines.get(1).contains(ESCAPED_NAME), lines.get(1));
    assertNoControls(run.err());
  }

  @Test
  void objdumpEscapesAFunctionsHostileName() throws IOException {
    Path module = Files.write(dir.resolve("hostile.wasm"), moduleNamingItsFunction(HOSTILE_NAME));
    Path cwasm = dir.resolve("hostile.cwasm");
    assertEquals(0, ArtifactCommandsTest.kiln("compile", module.toString(), "-o", cwasm.toString()).exit());
    Run dump = ArtifactCommandsTest.kiln("objdump", cwasm.toString());
    assertEquals(0, dump.exit(), dump.err());
    assertTrue(dump.out().contains("<" + ESCAPED_NAME + ">"), dump.out());
    assertNoControls(dump.out());
  }

  @Test
  void helpKeepsItsLines() {
    Run help = ArtifactCommandsTest.kiln("--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().lines().count() > 10, help.out());
    assertFalse(help.out().contains("\\x0a"), help.out());
  }

  @Test
  void onlyControlsAreEscaped() {
    assertEquals("tab\tstays, \u00e9 and \u4e2d too; \\x0d\\x9b\\u{2066}\\u{2028}",
        TerminalSafeWriter.oneLine("tab\tstays, \u00e9 and \u4e2d too; \r\u009b\u2066\u2028"));
  }

  private static void assertNoControls(String text) {
    text.chars().forEach(c -> assertTrue(c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f && c != 0x202e),
        () -> String.format("control U+%04X in:%n%s", c, text)));
  }

  /** A module of one exported function {@code go} that traps ({@code unreachable}), named {@code name} by its name section. */
  private static byte[] moduleNamingItsFunction(String name) {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});
    m.writeBytes(new byte[] {0x01, 0x04, 0x01, 0x60, 0x00, 0x00}); // type 0: [] -> []
    m.writeBytes(new byte[] {0x03, 0x02, 0x01, 0x00}); // function 0 of type 0
    m.writeBytes(new byte[] {0x07, 0x06, 0x01, 0x02, 'g', 'o', 0x00, 0x00}); // export "go" = function 0
    m.writeBytes(new byte[] {0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b}); // body: unreachable
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream names = new ByteArrayOutputStream(); // subsection 1, function names: [(0, name)]
    names.writeBytes(new byte[] {0x01, (byte) (utf8.length + 3), 0x01, 0x00, (byte) utf8.length});
    names.writeBytes(utf8);
    byte[] custom = names.toByteArray();
    m.writeBytes(new byte[] {0x00, (byte) (custom.length + 5), 0x04, 'n', 'a', 'm', 'e'});
    m.writeBytes(custom);
    return m.toByteArray();
  }
}
