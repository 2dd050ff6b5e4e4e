package dev.kiln.wasm;

/**
 * Root of Kiln's error taxonomy for a WebAssembly module, mirroring the spec's failure classes:
 * {@link MalformedException} (not a module in the binary format, spec 5) and {@link
 * InvalidException} (decodes but does not validate, spec 3). Later layers add link and
 * instantiation failures and traps as further subclasses.
 *
 * <p>Every error carries what a person needs to find the fault: the byte offset in the module
 * (or -1 when there is none), the function index where there is one (or -1), and a short message
 * worded like the spec test suite's expected text ({@link #reason()}).
 */
public abstract class WasmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final long offset;
  private final int functionIndex;

  protected WasmException(String reason, long offset, int functionIndex) {
    super(reason);
    this.reason = reason;
    this.offset = offset;
    this.functionIndex = functionIndex;
  }

  /** The failure in the spec suite's words, without location. */
  public String reason() {
    return reason;
  }

  /** Byte offset in the module where the fault was found, or -1. */
  public long offset() {
    return offset;
  }

  /** Index of the function (in the function index space) the fault is in, or -1. */
  public int functionIndex() {
    return functionIndex;
  }

  /** A one-line description with the location: {@code "at 0x1a (function 3): type mismatch"}. */
  @Override
  public String getMessage() {
    StringBuilder s = new StringBuilder();
    if (offset >= 0) {
      s.append("at 0x").append(Long.toHexString(offset));
    }
    if (functionIndex >= 0) {
      s.append(s.isEmpty() ? "in " : " (").append("function ").append(functionIndex);
      if (offset >= 0) {
        s.append(')');
      }
    }
    if (!s.isEmpty()) {
      s.append(": ");
    }
    return s.append(reason).toString();
  }
}
