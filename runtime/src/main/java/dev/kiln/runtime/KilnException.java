package dev.kiln.runtime;

/**
 * A module Kiln cannot use, with a one-line message that says why: a malformed, invalid or
 * unsupported {@code .wasm} ("malformed: ..." with the byte offset), a damaged, foreign or
 * incompatible {@code .cwasm} (naming the section and file offset), an import no definition
 * satisfies ("unknown import", "incompatible import type"), or a segment that does not fit at
 * instantiation. The internal exception is the {@link #getCause() cause}. A wasm trap is the
 * subclass {@link Trap}; a WASI guest's {@code proc_exit} is {@link WasiExit}; a wasm exception
 * nothing caught is {@link WasmThrow}.
 */
public class KilnException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with its message and the internal failure behind it.
   *
   * @param message one line saying what is wrong
   * @param cause the failure behind it, or null
   */
  public KilnException(String message, Throwable cause) {
    super(message, cause);
  }
}
