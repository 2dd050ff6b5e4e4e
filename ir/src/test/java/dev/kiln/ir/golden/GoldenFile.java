package dev.kiln.ir.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A golden test file: a {@code test <kind>} line, the input, then a {@code ; expect:} line and the
 * expected output as comment lines ({@code ; } + text), so the whole file stays valid IR text.
 * {@link #check} compares; with {@code -Dkiln.bless=true} (or {@code KILN_BLESS=1}) it rewrites the
 * expectation instead, keeping the input byte for byte.
 */
public record GoldenFile(Path path, String kind, String input, String expected) {
  public static final String EXPECT_MARKER = "; expect:";
  public static final Path ROOT = Path.of("src", "test", "resources", "golden");

  public static boolean blessing() {
    return Boolean.getBoolean("kiln.bless") || "1".equals(System.getenv("KILN_BLESS"));
  }

  public static GoldenFile read(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int firstNewline = text.indexOf('\n');
    String first = firstNewline < 0 ? text : text.substring(0, firstNewline);
    if (!first.startsWith("test ")) {
      throw new IllegalArgumentException(path + ": the first line must be 'test <kind>'");
    }
    String kind = first.substring(5).trim();
    String rest = firstNewline < 0 ? "" : text.substring(firstNewline + 1);
    int marker = rest.indexOf("\n" + EXPECT_MARKER + "\n");
    String input;
    String expected;
    if (rest.startsWith(EXPECT_MARKER + "\n")) {
      input = "";
      expected = uncomment(rest.substring(EXPECT_MARKER.length() + 1));
    } else if (marker >= 0) {
      input = rest.substring(0, marker + 1);
      expected = uncomment(rest.substring(marker + EXPECT_MARKER.length() + 2));
    } else {
      input = rest;
      expected = null; // never blessed
    }
    return new GoldenFile(path, kind, input, expected);
  }

  private static String uncomment(String block) {
    StringBuilder sb = new StringBuilder();
    for (String line : block.split("\n", -1)) {
      if (line.isEmpty()) {
        continue; // the split's tail after the final newline
      }
      if (line.equals(";")) {
        sb.append('\n');
      } else if (line.startsWith("; ")) {
        sb.append(line, 2, line.length()).append('\n');
      } else {
        throw new IllegalArgumentException("expectation line is not a '; ' comment: " + line);
      }
    }
    return sb.toString();
  }

  private static String comment(String output) {
    StringBuilder sb = new StringBuilder();
    for (String line : lines(output)) {
      sb.append(line.isEmpty() ? ";" : "; " + line).append('\n');
    }
    return sb.toString();
  }

  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!out.isEmpty() && out.getLast().isEmpty()) {
      out.removeLast();
    }
    return out;
  }

  /** The input with the {@code test} line blanked, so parser line numbers match the file. */
  public String source() {
    return "\n" + input;
  }

  /** Compares {@code actual} with the expectation, or rewrites it when blessing. */
  public void check(String actual) {
    String normalized = actual.endsWith("\n") ? actual : actual + "\n";
    if (blessing()) {
      if (!normalized.equals(expected)) {
        String text = "test " + kind + "\n" + input + EXPECT_MARKER + "\n" + comment(normalized);
        try {
          Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return;
    }
    String hint = expected == null
        ? path + " has no '" + EXPECT_MARKER + "' section; run with -Dkiln.bless=true to write it"
        : path + " differs from the expectation (first difference at output line "
            + firstDifference(expected, normalized) + "); if the new output is right, rerun"
            + " with -Dkiln.bless=true to rewrite the expectation";
    assertEquals(expected, normalized, hint);
  }

  private static int firstDifference(String a, String b) {
    List<String> x = lines(a);
    List<String> y = lines(b);
    int n = Math.min(x.size(), y.size());
    for (int i = 0; i < n; i++) {
      if (!x.get(i).equals(y.get(i))) {
        return i + 1;
      }
    }
    return n + 1;
  }
}
