package dev.kiln.runtime;

/**
 * A compile that outlasted its budget ({@link Engine.Builder#compileTimeout}) and was stopped:
 * nothing of it is kept. Its own type so that a caller whose budget is a share of a larger deadline
 * (as {@code kiln run --timeout}'s) can say which deadline passed.
 */
public final class CompileTimeout extends KilnException {
  private static final long serialVersionUID = 1L;

  CompileTimeout(String message, Throwable cause) {
    super(message, cause);
  }
}
