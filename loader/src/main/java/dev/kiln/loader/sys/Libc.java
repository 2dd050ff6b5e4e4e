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

/**
 * The libc functions the runtime needs, bound once. Calls that can fail capture {@code errno} in the
 * same downcall (reading it afterwards could see a value the JVM changed in between), and failures
 * become {@link NativeException}s that name the call and the error.
 *
 * <p><b>One shape for every binding.</b> Each distinct {@link FunctionDescriptor} costs the JVM a
 * generated stub and method-handle forms at its first binding, about 5 ms of CPU even when the
 * classes come from the AOT cache, and {@code kiln run} binds these on its critical path
 * (docs/PERFORMANCE.md, "One shape for libc downcalls"). So every function here is bound with {@link
 * #WORDS}, six integer-class arguments and an integer-class result with {@code errno} captured,
 * which the JVM links once and shares. The shape is exact for them in both C ABIs Kiln runs on:
 * ints, longs and pointers travel in the same integer registers (System V AMD64 ABI 3.2.3: rdi,
 * rsi, rdx, rcx, r8, r9, result rax; AAPCS64 6.8.2: x0-x7, result x0), a callee ignores the
 * registers past its own parameters and the upper half of a 32-bit parameter, and the wrappers keep
 * only the low half of an {@code int} result. Variadic functions (open, fcntl, ioctl) read more than
 * these registers on x86-64 ({@code %al}) and must never be bound this way.
 */
final class Libc {
  // Linux <sys/mman.h> (identical on x86-64 and AArch64).
  static final int PROT_NONE = 0;
  static final int PROT_READ = 1;
  static final int PROT_WRITE = 2;
  static final int PROT_EXEC = 4;
  static final int MAP_PRIVATE = 0x02;
  static final int MAP_ANONYMOUS = 0x20;
  static final int MAP_NORESERVE = 0x4000;
  static final long MAP_FAILED = -1L;
  private static final int SC_PAGESIZE = 30; // _SC_PAGESIZE in glibc's <bits/confname.h>

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURED = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURED.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  /** {@code long f(long, long, long, long, long, long)}, errno captured: see the class comment. */
  private static final FunctionDescriptor WORDS = FunctionDescriptor.of(JAVA_LONG,
      JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

  private static final MethodHandle MMAP = bind("mmap");
  private static final MethodHandle MPROTECT = bind("mprotect");
  private static final MethodHandle MUNMAP = bind("munmap");
  private static final MethodHandle SYSCONF = bind("sysconf");
  private static final MethodHandle SIGACTION = bind("sigaction");
  private static final MethodHandle STRERROR = bind("strerror");

  static final long PAGE_SIZE = sysconf(SC_PAGESIZE);

  private Libc() {}

  /** Binds libc's non-variadic {@code name}, of at most six integer or pointer parameters, as {@link #WORDS}. */
  static MethodHandle bind(String name) {
    MemorySegment symbol =
        LINKER.defaultLookup().find(name).orElseThrow(() -> new NativeException("libc has no " + name));
    return LINKER.downcallHandle(symbol, WORDS, Linker.Option.captureCallState("errno"));
  }

  /** Room for the errno a call through {@link #call} captures, in {@code arena}. */
  static MemorySegment errnoSlot(Arena arena) {
    return arena.allocate(CAPTURED);
  }

  /**
   * Calls {@code function} (from {@link #bind}) with {@code args} (at most six; pointers as
   * addresses, ints widened), its errno into {@code errno}; returns the whole result register.
   */
  static long call(MethodHandle function, MemorySegment errno, long... args) {
    long[] a = java.util.Arrays.copyOf(args, 6);
    try {
      return (long) function.invokeExact(errno, a[0], a[1], a[2], a[3], a[4], a[5]);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** mmap(2) of anonymous memory; returns the mapping's address. */
  static long mmapAnonymous(long length, int prot, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = errnoSlot(arena);
      long address = call(MMAP, errno, 0L, length, prot, flags | MAP_ANONYMOUS, -1, 0L);
      if (address == MAP_FAILED) {
        throw failure("mmap(" + length + " bytes)", errno);
      }
      return address;
    }
  }

  /** mprotect(2) of {@code [address, address + length)}, both page-aligned. */
  static void mprotect(long address, long length, int prot) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = errnoSlot(arena);
      if ((int) call(MPROTECT, errno, address, length, prot) != 0) {
        throw failure("mprotect(0x" + Long.toHexString(address) + ", " + length + ", " + prot + ")", errno);
      }
    }
  }

  /** munmap(2). */
  static void munmap(long address, long length) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = errnoSlot(arena);
      if ((int) call(MUNMAP, errno, address, length) != 0) {
        throw failure("munmap(0x" + Long.toHexString(address) + ", " + length + ")", errno);
      }
    }
  }

  // glibc's struct sigaction (<bits/sigaction.h>), the same on x86-64 and AArch64: the handler,
  // a 1024-bit sa_mask, int sa_flags, sa_restorer; 152 bytes. Linux signal numbers and flags.
  static final long SIGACTION_SIZE = 152;
  static final long SA_HANDLER = 0;
  static final long SA_FLAGS = 136;
  static final int SA_SIGINFO = 4;
  static final int SIGSEGV = 11;

  /** sigaction(2): installs {@code act} (unless NULL) for {@code signal}, the old action into {@code old}. */
  static void sigaction(int signal, MemorySegment act, MemorySegment old) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = errnoSlot(arena);
      if ((int) call(SIGACTION, errno, signal, act.address(), old.address()) != 0) {
        throw failure("sigaction(" + signal + ")", errno);
      }
    }
  }

  private static long sysconf(int name) {
    try (Arena arena = Arena.ofConfined()) {
      return call(SYSCONF, errnoSlot(arena), name);
    }
  }

  private static NativeException failure(String call, MemorySegment captured) {
    int errno = (int) ERRNO.get(captured, 0L);
    return new NativeException(call + " failed: " + strerror(errno) + " (errno " + errno + ")");
  }

  private static String strerror(int errno) {
    try (Arena arena = Arena.ofConfined()) {
      return MemorySegment.ofAddress(call(STRERROR, errnoSlot(arena), errno)).reinterpret(256).getString(0);
    }
  }

  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new NativeException("native call failed: " + t);
  }
}
