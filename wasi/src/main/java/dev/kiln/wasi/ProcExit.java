package dev.kiln.wasi;

/**
 * proc_exit: the guest asked to end with {@link #code()}. Thrown by the host function so the host
 * call ends the execution: the loader turns an exception from a host function into a trap that
 * unwinds the wasm frames, with this as its cause, and the embedder (e.g. {@code kiln run}) maps it
 * to the process exit code. Not an error: it carries no stack trace.
 */
public final class ProcExit extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  public ProcExit(int code) {
    super("proc_exit(" + code + ")", null, false, false);
    this.code = code;
  }

  /** The exit status (witx {@code exitcode}, u32). */
  public int code() {
    return code;
  }

  /** The {@link ProcExit} in {@code t}'s cause chain, if any. */
  public static java.util.Optional<ProcExit> in(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ProcExit exit) {
        return java.util.Optional.of(exit);
      }
    }
    return java.util.Optional.empty();
  }
}
