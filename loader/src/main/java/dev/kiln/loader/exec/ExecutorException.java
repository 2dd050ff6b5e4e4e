package dev.kiln.loader.exec;

/**
 * An executor could not run the code, for a reason that is no wasm trap: an emulator's own call
 * failed, or the emulated code stopped on something the emulator does not implement. Compiled code
 * that works never causes one (its traps end the entry normally), so it says the executor failed,
 * not the guest.
 *
 * <p>It is the loader's type so that the API can report it (as a {@code KilnException} naming the
 * executor) without importing the emulator, which the loader finds only as a service ({@link
 * dev.kiln.loader.exec.spi.ExecutorProvider}).
 */
public class ExecutorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String executor;

  /**
   * @param executor what ran the code, as a message names it ({@code "emulator"})
   * @param message what went wrong
   * @param cause the failure behind it, or null
   */
  public ExecutorException(String executor, String message, Throwable cause) {
    super(message, cause);
    this.executor = executor;
  }

  /** What ran the code ({@code "emulator"}). */
  public String executor() {
    return executor;
  }
}
