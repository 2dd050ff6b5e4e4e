package dev.kiln.codegen.regalloc;

/**
 * The function breaks the {@link RegAllocFunction} contract, or its constraints cannot be met (more
 * register operands at one instruction than registers). Names the instruction when there is one.
 */
public final class RegAllocException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int inst;

  public RegAllocException(int inst, String message) {
    super(inst >= 0 ? "inst " + inst + ": " + message : message);
    this.inst = inst;
  }

  /** The offending instruction, or -1 when the problem is not tied to one. */
  public int inst() {
    return inst;
  }
}
