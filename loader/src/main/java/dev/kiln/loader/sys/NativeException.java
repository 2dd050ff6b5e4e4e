package dev.kiln.loader.sys;

/** A system call the runtime depends on failed; the message names the call and errno. */
public final class NativeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NativeException(String message) {
    super(message);
  }
}
