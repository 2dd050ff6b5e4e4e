package dev.kiln.runtime;

/**
 * A WASI guest called {@code proc_exit(status)}: the call into it ends with this exception, which is
 * how the guest's {@code main} returning reaches the host too (a C or Rust {@code _start} exits
 * with {@code main}'s value). Not an error: check {@link #status()}.
 */
public final class WasiExit extends KilnException {
  private static final long serialVersionUID = 1L;

  /** What {@link #status()} returns. */
  private final int status;

  WasiExit(int status, Throwable cause) {
    super("proc_exit(" + status + ")", cause);
    this.status = status;
  }

  /**
   * The guest's exit status (WASI {@code exitcode}, 0 for success): 0 to 125, since a larger one
   * ends the call with a {@link Trap} instead (one no process could exit with, as in Wasmtime).
   *
   * @return the status
   */
  public int status() {
    return status;
  }
}
