package dev.kiln.loader.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * The second downcall shape a run links, beside the C library's ({@link LibcCall}): {@code long
 * f(long, long, long, long)}, the function passed per call and nothing captured, for the calls that
 * must not pay {@code LibcCall}'s errno capture: the direct entry into generated code (25.0 ns a
 * call with the capture against 20.7 without, issue 42) and the stack-pointer reader ({@link
 * ThreadStack}), which ignores its arguments. Both are linked at engine start (issue 35), and each
 * shape's first link costs a fresh process a generated stub class and method-handle forms, 5-7 ms
 * of CPU (docs/history/performance-journal.md, "One shape for libc downcalls"): one shared shape
 * links them once.
 *
 * <p>Exact for both, as {@code LibcCall}'s is for the C library (its "Why it is exact"): integer
 * arguments travel in integer registers and a callee ignores those past its own; a {@code bool}
 * result is the result register's low byte, the rest undefined (System V AMD64 ABI 3.2.3, AAPCS64
 * 6.8.2), so a caller reads {@code (result & 0xFF) != 0}.
 */
public final class PlainCall {
  private PlainCall() {}

  /** {@code (MemorySegment function, long, long, long, long) -> long}, one handle for the process. */
  public static MethodHandle handle() {
    return Shape.HANDLE;
  }

  /** The handle, linked when this holder is first initialised. */
  private static final class Shape {
    static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
  }
}
