package dev.kiln.runtime;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One wasm function on a {@link Trap}'s backtrace.
 *
 * @param function the function's name from the module's name section, if it has one
 * @param wasmOffset the byte offset in the {@code .wasm} of the instruction the frame was executing
 *     (the trapping one, or a call), when the address map covers it
 * @param description the frame as Kiln prints it, e.g. {@code fac (wasm[0]::function[1]) @ 0x3a}
 */
public record Frame(Optional<String> function, OptionalInt wasmOffset, String description) {
  /** The {@link #description()}. */
  @Override
  public String toString() {
    return description;
  }
}
