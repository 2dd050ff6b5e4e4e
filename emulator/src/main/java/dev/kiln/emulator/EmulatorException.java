package dev.kiln.emulator;

import dev.kiln.loader.exec.ExecutorException;

/**
 * The emulator could not run the code: a Unicorn call failed, or the emulated code stopped on
 * something that is no wasm trap (an instruction the emulator does not implement, an access to
 * memory the host has not mapped). Compiled code that works never causes one: its traps are
 * explicit and end the entry normally. The API reports it as the loader's {@link
 * ExecutorException}, which it is.
 */
public final class EmulatorException extends ExecutorException {
  private static final long serialVersionUID = 1L;

  public EmulatorException(String message) {
    super("emulator", message, null);
  }

  public EmulatorException(String message, Throwable cause) {
    super("emulator", message, cause);
  }
}
