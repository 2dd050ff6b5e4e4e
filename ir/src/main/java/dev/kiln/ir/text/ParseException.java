package dev.kiln.ir.text;

/** Malformed IR text; the message starts with the 1-based {@code line:column} of the problem. */
public final class ParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  public ParseException(int line, int column, String message) {
    super(line + ":" + column + ": " + message);
    this.line = line;
    this.column = column;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
