package dev.kiln.loader.exec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.vm.Builtin;
import java.lang.foreign.FunctionDescriptor;

/**
 * C library routines compiled code may call directly (bulk memory operations copy and fill with
 * them, memory.grow commits pages with one). Each has its C signature here; the native executor hands out libc's own function, the
 * emulator an equivalent it runs on the host.
 */
public enum NativeHelper {
  /** {@code void* memmove(void* dst, const void* src, size_t n)} (C11 7.24.2.2): overlap allowed. */
  MEMMOVE("memmove", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG)),
  /** {@code void* memset(void* dst, int c, size_t n)} (C11 7.24.6.1): the low byte of c. */
  MEMSET("memset", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG)),
  /**
   * {@code int mprotect(void* addr, size_t len, int prot)} (POSIX): 0, or -1 with errno set; the
   * compiled memory.grow commits new pages with it.
   */
  MPROTECT("mprotect", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

  private final String symbol;
  private final FunctionDescriptor descriptor;

  NativeHelper(String symbol, FunctionDescriptor descriptor) {
    this.symbol = symbol;
    this.descriptor = descriptor;
  }

  /**
   * The routine a {@link Builtin.CallShape#C_DIRECT} builtin's slot holds: {@code memmove} for
   * memory.copy and memory.init, {@code memset} for memory.fill, {@code mprotect} for memory.grow's
   * page commit.
   *
   * @throws IllegalArgumentException for a builtin of another shape
   */
  public static NativeHelper of(Builtin builtin) {
    return switch (builtin) {
      case MEMORY_COPY -> MEMMOVE;
      case MEMORY_FILL -> MEMSET;
      case MEMORY_PROTECT -> MPROTECT;
      default -> throw new IllegalArgumentException("builtin " + builtin.text() + " is not a C routine");
    };
  }

  /** The libc symbol. */
  public String symbol() {
    return symbol;
  }

  /** The C signature. */
  public FunctionDescriptor descriptor() {
    return descriptor;
  }
}
