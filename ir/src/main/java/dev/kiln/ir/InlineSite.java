package dev.kiln.ir;

import java.util.Objects;

/**
 * One call that was inlined: the body of {@code callee} now runs in place of the call at source
 * location {@code callSourceLoc} of the function {@code parent} names, another site's callee or
 * ({@link #NONE}) the function being compiled itself. Instructions copied from the callee keep the
 * callee's own source locations and name their site ({@link DataFlowGraph#inlineSiteOf}), so a
 * backtrace through inlined code can still list every wasm function, innermost first, each at its
 * own wasm offset (the address map and the artifact's inline map carry both to the loader).
 *
 * @param callee the inlined function
 * @param callSourceLoc where the call stood in the function {@code parent} names
 * @param parent the site whose callee contained the call, or {@link #NONE}
 */
public record InlineSite(ExternalName callee, int callSourceLoc, int parent) {
  /** {@link DataFlowGraph#inlineSiteOf} of an instruction of the function's own body. */
  public static final int NONE = -1;

  public InlineSite {
    Objects.requireNonNull(callee, "callee");
    if (parent < NONE) {
      throw new IllegalArgumentException("bad parent site " + parent);
    }
  }
}
