package dev.kiln.wasm;

/** The bytes are not a module in the binary format (spec 5): the spec's {@code assert_malformed}. */
public final class MalformedException extends WasmException {
  private static final long serialVersionUID = 1L;

  public MalformedException(String reason, long offset) {
    super(reason, offset, -1);
  }

  public MalformedException(String reason, long offset, int functionIndex) {
    super(reason, offset, functionIndex);
  }
}
