package dev.kiln.runtime;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A linear memory's type (WebAssembly 2.0 section 2.3.11), in 64 KiB pages.
 *
 * @param minimumPages the initial size
 * @param maximumPages the most it may grow to, if the module limits it
 * @param index64 whether it is a memory64 memory (addresses are i64)
 * @param shared whether it is declared shared (the threads proposal)
 */
public record MemoryType(long minimumPages, OptionalLong maximumPages, boolean index64, boolean shared)
    implements ExternType {
  /** Checks that the maximum is given (or explicitly absent). */
  public MemoryType {
    Objects.requireNonNull(maximumPages, "maximumPages");
  }

  @Override
  public ExternKind kind() {
    return ExternKind.MEMORY;
  }
}
