package dev.kiln.compiler.driver;

/**
 * Compiling one function failed for a reason other than an unsupported feature (those surface as
 * {@link dev.kiln.compiler.UnsupportedFeatureException} unchanged): the message and {@link
 * #functionIndex()} name the function, the cause is what the translator or backend threw.
 */
public final class FunctionCompileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int functionIndex;

  public FunctionCompileException(int functionIndex, String what, Throwable cause) {
    super(what + " of function " + functionIndex + " failed: " + cause.getMessage(), cause);
    this.functionIndex = functionIndex;
  }

  /** The function in the function index space (imports first). */
  public int functionIndex() {
    return functionIndex;
  }
}
