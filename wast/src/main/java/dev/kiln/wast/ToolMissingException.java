package dev.kiln.wast;

/** wast2json is not installed (or not where it was said to be); nothing can be converted. */
public final class ToolMissingException extends Exception {
  private static final long serialVersionUID = 1L;

  public ToolMissingException(String message) {
    super(message);
  }
}
