package dev.kiln.cli;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * The command line's own output, with every character that could drive the terminal written as a
 * visible escape. Text a module chose reaches these lines (function names from its name section,
 * export and import names, a trap's or a parse error's message), and a terminal obeys the control
 * characters in what it is given: an ESC sequence (ECMA-48) can recolour or clear the screen, move
 * the cursor over an earlier line or set the window title, a carriage return can overwrite the
 * line's start, and Unicode's bidirectional controls (UAX #9: U+202A..U+202E, U+2066..U+2069) can
 * show the line's characters in another order than they are. So C0 and C1 controls, DEL, the bidi
 * controls and the line and paragraph separators become {@code \xNN} or a backslash, {@code u} and {@code {NNNN}}; a tab
 * passes (stack traces indent with it).
 *
 * <p>Two policies, one per stream: {@link #lines} keeps line feeds (the help text and the listings
 * of {@code inspect} and {@code objdump} are several lines in one write); {@link #oneLinePerPrint}
 * escapes them too, for standard error, where every diagnostic is one line ({@code println}'s own
 * line end is written past this filter), so a name cannot start a line that looks like Kiln's.
 * Guest output never passes here: WASI writes to the process's descriptors itself.
 */
final class TerminalSafeWriter extends PrintWriter {
  private final boolean keepLineFeeds;

  private TerminalSafeWriter(Writer out, boolean keepLineFeeds) {
    super(out);
    this.keepLineFeeds = keepLineFeeds;
  }

  /** Output whose writes may hold several lines: line feeds pass, other controls are escaped. */
  static PrintWriter lines(Writer out) {
    return new TerminalSafeWriter(out, true);
  }

  /** Output of one line per {@code println}: a line feed inside the text is escaped too. */
  static PrintWriter oneLinePerPrint(Writer out) {
    return new TerminalSafeWriter(out, false);
  }

  /** {@code text} with every control character but the tab escaped, line feeds included. */
  static String oneLine(String text) {
    return escape(text, false);
  }

  @Override
  public void write(String s, int off, int len) {
    String escaped = escape(s.substring(off, off + len), keepLineFeeds);
    super.write(escaped, 0, escaped.length());
  }

  @Override
  public void write(char[] buf, int off, int len) {
    write(new String(buf, off, len), 0, len);
  }

  @Override
  public void write(int c) {
    write(String.valueOf((char) c), 0, 1);
  }

  private static String escape(String text, boolean keepLineFeeds) {
    int first = 0;
    while (first < text.length() && !escaped(text.charAt(first), keepLineFeeds)) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!escaped(c, keepLineFeeds)) {
        out.append(c);
      } else if (c < 0x100) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(String.format("\\u{%04x}", (int) c));
      }
    }
    return out.toString();
  }

  private static boolean escaped(char c, boolean keepLineFeeds) {
    if (c == '\t' || (c == '\n' && keepLineFeeds)) {
      return false;
    }
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) // C0, DEL, C1 (ECMA-48 section 5)
        || c == 0x061c || c == 0x200e || c == 0x200f // Arabic letter mark, LRM, RLM
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) // embeddings, overrides, isolates
        || c == 0x2028 || c == 0x2029; // line and paragraph separators
  }
}
