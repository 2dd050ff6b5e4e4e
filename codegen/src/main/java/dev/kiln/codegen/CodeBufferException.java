package dev.kiln.codegen;

/**
 * A code buffer could not be finished: a label was used but never bound, bound twice, or a use's target
 * is out of the field's reach and no veneer can bridge it. These are compiler bugs (or, for range, a
 * function too large for the chosen branch form), so the message names the offsets involved.
 */
public final class CodeBufferException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CodeBufferException(String message) {
    super(message);
  }
}
