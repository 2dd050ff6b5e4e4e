package dev.kiln.loader.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Optional;

/**
 * The downcall shape the runtime binds C library functions with: {@code long f(long, long, long,
 * long, long, long)}, {@code errno} captured in the same downcall; the two variadic functions WASI
 * needs take it too ({@link #bindVariadic}).
 *
 * <p><b>Why one shape.</b> Each distinct {@link FunctionDescriptor} costs the JVM a generated stub
 * and method-handle forms at its first binding, about 5 ms of CPU even when the classes come from
 * the AOT cache (10 ms on a WASI run's critical path), while a second function of a shape already
 * linked costs 0.2 ms; {@code kiln run} binds its libc functions on its critical path, and a WASI
 * run some more (docs/history/performance-journal.md, "One shape for libc downcalls", "Host calls
 * before the JIT"). The first binding of the shape is the longest step of a one-shot {@code kiln
 * run}, and declaring arguments variadic would make the JDK link a second shape, or adapt the one
 * shape for every function, another 5-6 ms (docs/history/performance-journal.md, "A one-shot run
 * without the variadic adaptation", "A WASI run without --dir, and variadic C functions in the
 * plain shape"). So a variadic function is called through an address where the plain shape is exact
 * ({@link VariadicEntry}), and a process links one shape whatever it calls.
 *
 * <p><b>Why it is exact.</b> Ints, longs and pointers travel in the same integer registers (System V
 * AMD64 ABI 3.2.3: rdi, rsi, rdx, rcx, r8, r9, result rax; AAPCS64 6.8.2: x0-x7, result x0), a
 * callee ignores the registers past its own parameters and the upper half of a 32-bit parameter,
 * and a caller of a function returning {@code int} keeps only the low half of the result. Pointers
 * go as their addresses, ints widened; a variadic function's integer arguments as {@link
 * VariadicEntry} says. Only functions of at most six integer or pointer parameters may be bound
 * this way: a float parameter travels in another register file.
 */
public final class LibcCall {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURED = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CAPTURED.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final FunctionDescriptor WORDS = FunctionDescriptor.of(JAVA_LONG,
      JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

  private LibcCall() {}

  /**
   * The C library's {@code name}, a function that is not variadic, in the shared shape ({@link #call}).
   *
   * @throws NativeException if the C library has no such function
   */
  public static MethodHandle bind(String name) {
    return LINKER.downcallHandle(symbol(name), WORDS, CAPTURE_ERRNO);
  }

  /**
   * The C library's variadic {@code name}, every argument an integer or a pointer, in the shared
   * shape, called the same way ({@link #call}), through {@link VariadicEntry}. Where that does not
   * know the ABI, the JDK's variadic linking (a second shape) does it.
   *
   * @throws NativeException if the C library has no such function
   */
  public static MethodHandle bindVariadic(String name) {
    MemorySegment function = symbol(name);
    Optional<MemorySegment> entry =
        VariadicEntry.of(function, System.getProperty("os.arch"), System.getProperty("os.name"));
    if (entry.isPresent()) {
      return LINKER.downcallHandle(entry.get(), WORDS, CAPTURE_ERRNO);
    }
    return LINKER.downcallHandle(function, WORDS, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
  }

  /**
   * The shared shape with the function passed per call, as the handle's first argument: {@code
   * (MemorySegment function, MemorySegment errno, long x 6) -> long}. A caller of code that is not
   * the C library (generated code's entry trampolines) uses it to link no shape of its own.
   */
  public static MethodHandle unbound() {
    return LINKER.downcallHandle(WORDS, CAPTURE_ERRNO);
  }

  private static MemorySegment symbol(String name) {
    return LINKER.defaultLookup().find(name).orElseThrow(() -> new NativeException("the C library has no " + name));
  }

  /**
   * This thread's errno slot, which every {@link #call} of the runtime on the thread may capture
   * into: read it right after the call, before the thread makes another.
   *
   * <p>Why not a slot per call: an {@link Arena}'s allocation is a {@code malloc} plus three
   * updates of the JDK's process-wide direct-memory counters ({@code java.nio.Bits}: count,
   * reserved, capacity), and its close a {@code free} and three more, so a confined arena per call
   * made every C heap block of an instance (its VMContext, the store's context, each freed again)
   * cost eight allocations and twelve writes to three words every thread writes (issue 41: an
   * instance per request on many threads). A slot shared by all threads would be one such word
   * itself, and a call on another thread could overwrite the errno before it is read. An
   * automatic arena frees a thread's slot once the thread is gone.
   */
  public static MemorySegment threadErrnoSlot() {
    return THREAD_ERRNO.get();
  }

  private static final ThreadLocal<MemorySegment> THREAD_ERRNO =
      ThreadLocal.withInitial(() -> errnoSlot(Arena.ofAuto()));

  /** Room in {@code arena} for the errno one {@link #call} captures. */
  public static MemorySegment errnoSlot(Arena arena) {
    return arena.allocate(CAPTURED);
  }

  /** The errno a {@link #call} captured into {@code slot}. */
  public static int errno(MemorySegment slot) {
    return (int) ERRNO.get(slot, 0L);
  }

  /**
   * Calls {@code function} (from {@link #bind}) with {@code args}, at most six, its errno into
   * {@code errno}; returns the whole result register (cast an {@code int} result to int).
   */
  public static long call(MethodHandle function, MemorySegment errno, long... args) {
    long[] a = Arrays.copyOf(args, 6);
    try {
      return (long) function.invokeExact(errno, a[0], a[1], a[2], a[3], a[4], a[5]);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new NativeException("native call failed: " + t);
    }
  }
}
