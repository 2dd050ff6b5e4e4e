package dev.kiln.wasi;

/**
 * proc_exit with a status no process can end with ({@link ProcessFunctions#EXIT_STATUS_LIMIT} or
 * more): thrown by the host function instead of {@link ProcExit}, so the execution ends as a trap
 * whose cause this is, not as an exit an embedder would pass on as the process's status.
 */
public final class InvalidExitStatus extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidExitStatus(int status) {
    super("proc_exit(" + Integer.toUnsignedString(status) + "): an exit status must be below "
        + ProcessFunctions.EXIT_STATUS_LIMIT, null, false, false);
  }
}
