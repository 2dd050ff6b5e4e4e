package dev.kiln.wat;

/**
 * A text that is not a module in the WebAssembly text format (spec 6), or one whose identifiers
 * do not resolve. The message is one line: {@code file:line:column: what was expected, what was
 * found}; {@link #line()} and {@link #column()} are 1-based.
 */
public final class WatSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String fileName;
  private final int line;
  private final int column;
  private final String reason;

  public WatSyntaxException(String fileName, int line, int column, String reason) {
    super(fileName + ":" + line + ":" + column + ": " + reason);
    this.fileName = fileName;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  public String fileName() {
    return fileName;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without the location. */
  public String reason() {
    return reason;
  }
}
