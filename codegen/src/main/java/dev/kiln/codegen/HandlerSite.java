package dev.kiln.codegen;

/**
 * A call that an exception may unwind through into a handler of the same function, for the
 * artifact's handler table (docs/cwasm-format.md, {@code .kiln.handlers}): when the unwinder finds
 * {@code returnOffset} as a frame's return address, it resumes that frame at {@code landingOffset}
 * (WebAssembly 3.0 exception handling, section 4.4.8).
 *
 * @param returnOffset code offset just after the call instruction: the return address it pushes
 * @param landingOffset code offset of the landing pad, in the same function
 * @param frameBelowFp the function's frame size below its frame pointer ({@code
 *     codegen.abi.Frame#sizeBelowFramePointer}): the landing pad runs with the stack pointer that far
 *     below the frame pointer, as every instruction of the body does (callee-pops)
 */
public record HandlerSite(int returnOffset, int landingOffset, int frameBelowFp) {
  public HandlerSite {
    if (returnOffset < 0 || landingOffset < 0 || frameBelowFp < 0) {
      throw new IllegalArgumentException("negative handler site field: " + returnOffset + " -> " + landingOffset
          + ", frame " + frameBelowFp);
    }
  }
}
