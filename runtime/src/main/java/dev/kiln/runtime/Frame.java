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

  // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
  @Override
  public boolean equals(Object o) {
    return o instanceof Frame other && java.util.Objects.equals(function, other.function)
        && java.util.Objects.equals(wasmOffset, other.wasmOffset)
        && java.util.Objects.equals(description, other.description);
  }

  @Override
  public int hashCode() {
    int h = java.util.Objects.hashCode(function);
    h = 31 * h + java.util.Objects.hashCode(wasmOffset);
    return 31 * h + java.util.Objects.hashCode(description);
  }
}
