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

  // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
  @Override
  public boolean equals(Object o) {
    return o instanceof MemoryType other && minimumPages == other.minimumPages
        && java.util.Objects.equals(maximumPages, other.maximumPages) && index64 == other.index64
        && shared == other.shared;
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(minimumPages);
    h = 31 * h + java.util.Objects.hashCode(maximumPages);
    h = 31 * h + Boolean.hashCode(index64);
    return 31 * h + Boolean.hashCode(shared);
  }

  @Override
  public String toString() {
    return "MemoryType[minimumPages=" + minimumPages + ", maximumPages=" + maximumPages + ", index64=" + index64
        + ", shared=" + shared + "]";
  }
}
