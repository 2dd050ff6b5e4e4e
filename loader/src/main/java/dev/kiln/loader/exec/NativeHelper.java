package dev.kiln.loader.exec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;

/**
 * C library routines compiled code may call directly (bulk memory operations copy and fill with
 * them). Each has its C signature here; the native executor hands out libc's own function, the
 * emulator an equivalent it runs on the host.
 */
public enum NativeHelper {
  /** {@code void* memmove(void* dst, const void* src, size_t n)} (C11 7.24.2.2): overlap allowed. */
  MEMMOVE("memmove", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG)),
  /** {@code void* memset(void* dst, int c, size_t n)} (C11 7.24.6.1): the low byte of c. */
  MEMSET("memset", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG));

  private final String symbol;
  private final FunctionDescriptor descriptor;

  NativeHelper(String symbol, FunctionDescriptor descriptor) {
    this.symbol = symbol;
    this.descriptor = descriptor;
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
