package dev.kiln.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;

/**
 * The command line's own output, in lines that text from a module cannot drive or forge. Text a
 * module chose reaches these lines (function names from its name section, export and import names,
 * a trap's or a script's messages), and a terminal obeys what it is given: an ESC sequence
 * (ECMA-48) can recolour or clear the screen, move the cursor over an earlier line or set the
 * window title, a carriage return can overwrite the line's start, a line feed starts a line that
 * looks like Kiln's, and Unicode's format characters (category Cf: the bidirectional controls of
 * UAX #9, zero-width characters, tag characters) reorder or hide what is shown.
 *
 * <p>So every character of the text written is shown: C0 and C1 controls, DEL, line feeds, the
 * format characters and the line and paragraph separators become {@code \xNN} or a backslash,
 * {@code u} and {@code {NNNN}}; a tab passes (stack traces indent with it). Lines end only where
 * the command ends them: {@code println}, a {@code %n} of a {@code printf} pattern (its arguments
 * are escaped whole first), or {@link #printLines} for text of Kiln's own (help). A line is cut
 * after {@link #MAX_LINE} characters with a note of how many were dropped: a module's names have
 * no length limit, and a 10 MB name must not become a 10 MB line. Guest output never passes here:
 * WASI writes to the process's descriptors itself.
 */
final class TerminalSafeWriter extends PrintWriter {
  /** The longest line written whole, in characters after escaping. */
  static final int MAX_LINE = 4096;

  /** Characters of the current line written so far, and those dropped past {@link #MAX_LINE}. */
  private long lineLength;
  private long dropped;

  TerminalSafeWriter(Writer out) {
    super(out);
  }

  /** {@code text} with every character that is not shown as itself escaped, line feeds included. */
  static String escape(String text) {
    int first = 0;
    while (first < text.length() && !escaped(text.codePointAt(first))) {
      first += Character.charCount(text.codePointAt(first));
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (!escaped(c)) {
        out.appendCodePoint(c);
      } else if (c < 0x100) {
        out.append(String.format("\\x%02x", c));
      } else {
        out.append(String.format("\\u{%04x}", c));
      }
    }
    return out.toString();
  }

  private static boolean escaped(int c) {
    if (c == '\t') {
      return false;
    }
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) // C0 (line feed and CR among them), DEL, C1 (ECMA-48 section 5)
        || Character.getType(c) == Character.FORMAT // bidi controls, zero-width characters, tags, BOM
        || c == 0x2028 || c == 0x2029 // line and paragraph separators
        || defaultIgnorable(c);
  }

  /**
   * Unicode's default-ignorable code points outside category Cf, which a terminal draws as nothing
   * (UAX #44, DerivedCoreProperties.txt: Default_Ignorable_Code_Point): the combining grapheme
   * joiner, the Hangul fillers, the Khmer inherent vowels, the Mongolian free variation selectors,
   * the variation selectors and the unassigned rest of the ranges (red team 40 F3: a name that
   * showed as {@code admin}).
   */
  private static boolean defaultIgnorable(int c) {
    return c == 0x034f || c == 0x115f || c == 0x1160 || c == 0x17b4 || c == 0x17b5 || (c >= 0x180b && c <= 0x180f)
        || c == 0x3164 || (c >= 0xfe00 && c <= 0xfe0f) || c == 0xffa0 || (c >= 0x1d173 && c <= 0x1d17a)
        || (c >= 0xe0000 && c <= 0xe0fff);
  }

  /** Writes {@code text}, Kiln's own, a line for each of its lines. */
  void printLines(String text) {
    text.lines().forEach(this::println);
  }

  @Override
  public void write(String s, int off, int len) {
    String shown = escape(s.substring(off, off + len));
    synchronized (lock) { // the line's length is shared state, as PrintWriter's own writes are locked
      long room = Math.max(0, MAX_LINE - lineLength);
      int kept = (int) Math.min(room, shown.length());
      if (kept > 0 && kept < shown.length() && Character.isHighSurrogate(shown.charAt(kept - 1))) {
        kept--; // a cut keeps a character whole (red team 40 F4)
      }
      super.write(shown, 0, kept);
      lineLength += kept;
      dropped += shown.codePointCount(kept, shown.length());
    }
  }

  @Override
  public void write(char[] buf, int off, int len) {
    write(new String(buf, off, len), 0, len);
  }

  /** One UTF-16 unit: half of a surrogate pair is shown as its escape, never joined to another write's. */
  @Override
  public void write(int c) {
    char unit = (char) c;
    String text = Character.isSurrogate(unit) ? String.format("\\u{%04x}", (int) unit) : String.valueOf(unit);
    write(text, 0, text.length());
  }

  @Override
  public void println() {
    synchronized (lock) {
      if (dropped > 0) {
        String note = " [" + dropped + " more characters]";
        super.write(note, 0, note.length());
      }
      lineLength = 0;
      dropped = 0;
      super.println();
    }
  }

  @Override
  public PrintWriter format(Locale l, String format, Object... args) {
    Object[] shown = args.clone();
    for (int i = 0; i < shown.length; i++) {
      if (!(shown[i] instanceof Number || shown[i] instanceof Boolean || shown[i] == null)) {
        shown[i] = escape(String.valueOf(shown[i])); // names, paths, anything whose text a module may choose
      }
    }
    String text = String.format(l, format, shown);
    String lineEnd = System.lineSeparator(); // what %n writes
    int start = 0;
    for (int end = text.indexOf(lineEnd); end >= 0; end = text.indexOf(lineEnd, start)) {
      write(text, start, end - start);
      println();
      start = end + lineEnd.length();
    }
    write(text, start, text.length() - start);
    return this;
  }

  @Override
  public PrintWriter format(String format, Object... args) {
    return format(Locale.getDefault(Locale.Category.FORMAT), format, args);
  }
}
