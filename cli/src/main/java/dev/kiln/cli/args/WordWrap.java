package dev.kiln.cli.args;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy word wrapping: a line ends only where the next word would not fit, never inside a word (a
 * word longer than the whole width gets a line of its own, unbroken, so a path or URL stays one
 * string to copy). Spaces between words are kept as written within a line and dropped where it
 * breaks.
 */
public final class WordWrap {
  private WordWrap() {}

  /**
   * {@code text} as lines of at most {@code width} characters. Text that starts with spaces is an
   * indented list item, {@code "  TERM   explanation"}: its lines after the first start under the
   * explanation (or under the term, when no run of spaces follows it).
   */
  public static List<String> wrap(String text, int width) {
    int length = text.length();
    int indent = 0;
    while (indent < length && text.charAt(indent) == ' ') {
      indent++;
    }
    String hanging = " ".repeat(hangingIndent(text, indent));
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(text.substring(0, indent));
    boolean lineHasWord = false;
    int at = indent;
    while (at < length) {
      int gapStart = at;
      while (at < length && text.charAt(at) == ' ') {
        at++;
      }
      if (at == length) {
        break;
      }
      int wordStart = at;
      while (at < length && text.charAt(at) != ' ') {
        at++;
      }
      int gap = wordStart - gapStart;
      if (lineHasWord && line.length() + gap + (at - wordStart) > width) {
        lines.add(line.toString());
        line.setLength(0);
        line.append(hanging);
        lineHasWord = false;
      }
      if (lineHasWord) {
        line.append(text, gapStart, wordStart);
      }
      line.append(text, wordStart, at);
      lineHasWord = true;
    }
    if (lineHasWord || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  /** Where the lines after the first start: under the explanation of an indented "TERM   explanation". */
  private static int hangingIndent(String text, int indent) {
    if (indent == 0) {
      return 0;
    }
    int termEnd = text.indexOf(' ', indent);
    if (termEnd < 0 || !text.startsWith("  ", termEnd)) {
      return indent;
    }
    int explanation = termEnd;
    while (explanation < text.length() && text.charAt(explanation) == ' ') {
      explanation++;
    }
    return explanation < text.length() ? explanation : indent;
  }
}
