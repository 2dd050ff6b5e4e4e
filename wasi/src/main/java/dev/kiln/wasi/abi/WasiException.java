package dev.kiln.wasi.abi;

/**
 * A WASI function's failure with a specific errno. Thrown inside the implementation (memory access
 * out of bounds, a bad descriptor, a host I/O error already mapped) and caught at the function's
 * boundary, which returns {@link #errno()} to the guest; it never reaches wasm code or the embedder.
 * No stack trace: it is control flow, as frequent as the guest's failing calls.
 */
public final class WasiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The errno returned to the guest. */
  private final Errno errno;

  public WasiException(Errno errno) {
    super(errno.name(), null, false, false);
    this.errno = errno;
  }

  public WasiException(Errno errno, String detail) {
    super(errno.name() + ": " + detail, null, false, false);
    this.errno = errno;
  }

  public Errno errno() {
    return errno;
  }
}
