package dev.kiln.codegen;

/**
 * An instruction that can trap, for the artifact's trap table (docs/ARCHITECTURE.md section 3): the
 * loader maps a faulting or trap-stub return address back to the reason.
 *
 * @param offset code offset of the trapping instruction within its function
 * @param trapCode the trap reason; an int for now, the artifact module's trap-code enum later
 */
public record TrapSite(int offset, int trapCode) {
  public TrapSite {
    if (offset < 0) {
      throw new IllegalArgumentException("trap site offset must not be negative: " + offset);
    }
  }
}
