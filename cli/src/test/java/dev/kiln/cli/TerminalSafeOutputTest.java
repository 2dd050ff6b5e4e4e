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
    Path module = Files.write(dir.resolve("hostile.wasm"), module("go", HOSTILE_NAME));
    Run run = ArtifactCommandsTest.kiln("run", module.toString(), "--invoke", "go", "--backtrace");
    assertEquals(1, run.exit());
    List<String> lines = run.err().lines().toList();
    assertEquals(2, lines.size(), run.err()); // the error line and one frame
    assertTrue(lines.get(0).startsWith("error: trap in " + ESCAPED_NAME + " "), lines.get(0));
    assertTrue(lines.get(1).contains(ESCAPED_NAME), lines.get(1));
    assertNoControls(run.err());
  }

  @Test
  void objdumpAndInspectShowHostileNamesAsEscapes() throws IOException {
    String export = "f\n  export \"evil\" func 0";
    Path module = Files.write(dir.resolve("hostile.wasm"), module(export, HOSTILE_NAME));
    Path cwasm = dir.resolve("hostile.cwasm");
    assertEquals(0, ArtifactCommandsTest.kiln("compile", module.toString(), "-o", cwasm.toString()).exit());
    Run dump = ArtifactCommandsTest.kiln("objdump", cwasm.toString());
    assertEquals(0, dump.exit(), dump.err());
    assertTrue(dump.out().contains("<" + ESCAPED_NAME + ">"), dump.out());
    assertNoControls(dump.out());
    Run inspect = ArtifactCommandsTest.kiln("inspect", cwasm.toString());
    assertEquals(0, inspect.exit(), inspect.err());
    assertTrue(inspect.out().contains("f\\x0a  export \"evil\" func 0"), inspect.out());
    assertFalse(inspect.out().lines().anyMatch(line -> line.startsWith("  export \"evil\"")), inspect.out());
    assertNoControls(inspect.out());
  }

  @Test
  void aNameLongerThanALineIsCutWithANote() throws IOException {
    String longName = "n".repeat(100_000);
    Path module = Files.write(dir.resolve("long.wasm"), module("go", longName));
    Run run = ArtifactCommandsTest.kiln("run", module.toString(), "--invoke", "go");
    assertEquals(1, run.exit());
    String line = run.err().lines().findFirst().orElseThrow();
    assertTrue(line.length() < TerminalSafeWriter.MAX_LINE + 40, () -> line.length() + " characters");
    assertTrue(line.matches("error: trap in n+ \\[\\d+ more characters\\]"), line.substring(0, 40) + "...");
  }

  @Test
  void helpKeepsItsLines() {
    Run help = ArtifactCommandsTest.kiln("--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().lines().count() > 10, help.out());
    assertFalse(help.out().contains("\\x0a"), help.out());
  }

  @Test
  void controlsAndFormatCharactersAreEscaped() {
    assertEquals("tab\tstays, \u00e9 and \u4e2d too; \\x0d\\x0a\\x9b\\u{2066}\\u{2028}\\u{200b}\\u{feff}\\u{e0041}",
        TerminalSafeWriter.escape("tab\tstays, \u00e9 and \u4e2d too; \r\n\u009b\u2066\u2028\u200b\ufeff"
            + new String(Character.toChars(0xe0041))));
  }

  @Test
  void invisibleCharactersOutsideFormatAreEscapedToo() {
    assertEquals("a\\u{3164}d\\u{034f}m\\u{fe0f}i\\u{e0100}n",
        TerminalSafeWriter.escape("a\u3164d\u034fm\ufe0fi" + new String(Character.toChars(0xe0100)) + "n"));
  }

  @Test
  void aCutKeepsACharacterWholeAndASurrogateHalfIsAnEscape() {
    java.io.StringWriter text = new java.io.StringWriter();
    TerminalSafeWriter out = new TerminalSafeWriter(text);
    String pair = new String(Character.toChars(0x1f600));
    out.print("x".repeat(TerminalSafeWriter.MAX_LINE - 1) + pair + pair);
    out.println();
    out.write(0xd83d);
    out.println();
    out.flush();
    List<String> lines = text.toString().lines().toList();
    assertEquals("x".repeat(TerminalSafeWriter.MAX_LINE - 1) + " [2 more characters]", lines.get(0));
    assertEquals("\\u{d83d}", lines.get(1));
  }

  private static void assertNoControls(String text) {
    text.codePoints().forEach(c -> assertTrue(c == '\n' || c == '\t'
        || (c >= 0x20 && c != 0x7f && Character.getType(c) != Character.FORMAT),
        () -> String.format("control U+%04X in:%n%s", c, text)));
  }

  /**
   * A module of one function that traps ({@code unreachable}), exported as {@code export} and named
   * {@code name} by its name section.
   */
  private static byte[] module(String export, String name) {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});
    m.writeBytes(new byte[] {0x01, 0x04, 0x01, 0x60, 0x00, 0x00}); // type 0: [] -> []
    m.writeBytes(new byte[] {0x03, 0x02, 0x01, 0x00}); // function 0 of type 0
    section(m, 7, concat(new byte[] {0x01}, utf8Name(export), new byte[] {0x00, 0x00})); // export = function 0
    m.writeBytes(new byte[] {0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b}); // body: unreachable
    byte[] functionNames = concat(new byte[] {0x01, 0x00}, utf8Name(name)); // [(0, name)]
    section(m, 0, concat(utf8Name("name"), new byte[] {0x01}, leb(functionNames.length), functionNames));
    return m.toByteArray();
  }

  private static void section(ByteArrayOutputStream m, int id, byte[] contents) {
    m.write(id);
    m.writeBytes(leb(contents.length));
    m.writeBytes(contents);
  }

  private static byte[] utf8Name(String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    return concat(leb(utf8.length), utf8);
  }

  private static byte[] leb(int value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      int low = value & 0x7f;
      value >>>= 7;
      out.write(value == 0 ? low : low | 0x80);
    } while (value != 0);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
