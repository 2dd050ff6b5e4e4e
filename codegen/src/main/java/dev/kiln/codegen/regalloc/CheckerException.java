package dev.kiln.codegen.regalloc;

/** {@link Checker} found an allocation that does not preserve the program's values. */
public final class CheckerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int inst;

  public CheckerException(int inst, String message) {
    super((inst >= 0 ? "inst " + inst + ": " : "") + message);
    this.inst = inst;
  }

  /** The instruction where the problem shows, or -1. */
  public int inst() {
    return inst;
  }
}
