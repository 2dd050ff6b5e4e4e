package dev.kiln.codegen;

/**
 * A call that an exception may unwind through into a handler of the same function, for the
 * artifact's handler table (docs/cwasm-format.md, {@code .kiln.handlers}): when the unwinder finds
 * {@code returnOffset} as a frame's return address, it resumes that frame at {@code landingOffset}
 * (WebAssembly 3.0 exception handling, section 4.4.8).
 *
 * @param returnOffset code offset just after the call instruction: the return address it pushes
 * @param landingOffset code offset of the landing pad, in the same function
 */
public record HandlerSite(int returnOffset, int landingOffset) {
  public HandlerSite {
    if (returnOffset < 0 || landingOffset < 0) {
      throw new IllegalArgumentException("negative handler site offset: " + returnOffset + " -> " + landingOffset);
    }
  }
}
