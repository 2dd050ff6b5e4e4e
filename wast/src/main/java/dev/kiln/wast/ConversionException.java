package dev.kiln.wast;

/** wast2json rejected a script; the message holds its first error lines. */
public final class ConversionException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConversionException(String message) {
    super(message);
  }
}
