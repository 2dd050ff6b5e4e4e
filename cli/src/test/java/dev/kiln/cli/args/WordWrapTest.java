package dev.kiln.cli.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordWrapTest {
  private static final String TEXT = "Load a compiled module (.cwasm), instantiate it and call an export. A .wasm"
      + " module is compiled for this host in memory first (as 'kiln compile' would, without writing a file).";

  @Test
  void linesBreakOnlyWhereTheNextWordDoesNotFit() {
    for (int width = 10; width <= 120; width++) {
      List<String> lines = WordWrap.wrap(TEXT, width);
      assertEquals(TEXT, String.join(" ", lines), "no word lost or split at width " + width);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        assertTrue(line.length() <= width || !line.contains(" "), width + ": " + line);
        if (i + 1 < lines.size()) {
          String next = lines.get(i + 1).split(" ", 2)[0];
          assertTrue(line.length() + 1 + next.length() > width, width + ": '" + next + "' fits after: " + line);
        }
      }
    }
  }

  @Test
  void aWordWiderThanTheLineStaysWhole() {
    assertEquals(List.of("see", "/a/very/long/path/name", "here"), WordWrap.wrap("see /a/very/long/path/name here", 8));
  }

  @Test
  void anIndentedListItemWrapsUnderItsExplanation() {
    assertEquals(List.of("  stats   the directory,", "          the number"),
        WordWrap.wrap("  stats   the directory, the number", 25));
    assertEquals(List.of("  one two", "  three"), WordWrap.wrap("  one two three", 10));
  }

  @Test
  void emptyTextIsOneEmptyLine() {
    assertEquals(List.of(""), WordWrap.wrap("", 80));
  }
}
