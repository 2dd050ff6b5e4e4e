package dev.kiln.wast;

/** A script that does not read as a whole (it does not lex); the message says where and why. */
public final class ConversionException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConversionException(String message) {
    super(message);
  }
}
