package dev.kiln.wasm;

/** The module decodes but does not validate (spec 3): the spec's {@code assert_invalid}. */
public final class InvalidException extends WasmException {
  private static final long serialVersionUID = 1L;

  public InvalidException(String reason, long offset) {
    super(reason, offset, -1);
  }

  public InvalidException(String reason, long offset, int functionIndex) {
    super(reason, offset, functionIndex);
  }
}
