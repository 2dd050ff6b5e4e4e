package dev.kiln.emulator;

/**
 * The emulator could not run the code: a Unicorn call failed, or the emulated code stopped on
 * something that is no wasm trap (an instruction the emulator does not implement, an access to
 * memory the host has not mapped). Compiled code that works never causes one: its traps are
 * explicit and end the entry normally.
 */
public final class EmulatorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EmulatorException(String message) {
    super(message);
  }

  public EmulatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
