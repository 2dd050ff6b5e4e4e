package dev.kiln.codegen;

import java.util.OptionalInt;

/**
 * A backend met a valid IR function it has no lowering for yet (for example a float value on a
 * backend that covers only the integer subset). Unlike the other exceptions of code generation this
 * is not a bug: the function is correct and simply out of the backend's current reach, so the
 * compiler reports it to the user as an unsupported feature instead of an internal error.
 */
public final class UnsupportedLoweringException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What the backend cannot lower, as a short phrase ({@code f64 value}). */
  private final String feature;
  /** The wasm byte offset of the IR instruction being lowered, or -1 when not known. */
  private final int wasmOffset;

  /**
   * @param feature what the backend cannot lower, a short phrase
   * @param wasmOffset the source location of the IR instruction being lowered, or a negative
   *     number when there is none (function parameters, instructions without a location)
   */
  public UnsupportedLoweringException(String feature, int wasmOffset) {
    super(feature + (wasmOffset >= 0 ? " at wasm offset 0x" + Integer.toHexString(wasmOffset) : "")
        + " is not supported by this backend yet");
    this.feature = feature;
    this.wasmOffset = Math.max(wasmOffset, -1);
  }

  public String feature() {
    return feature;
  }

  /** The wasm byte offset of the instruction being lowered, when the IR recorded one. */
  public OptionalInt wasmOffset() {
    return wasmOffset >= 0 ? OptionalInt.of(wasmOffset) : OptionalInt.empty();
  }
}
