package dev.kiln.loader.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
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
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

  private static final MethodHandle MMAP =
      downcall("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), true);
  private static final MethodHandle MPROTECT =
      downcall("mprotect", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true);
  private static final MethodHandle MUNMAP =
      downcall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), true);
  private static final MethodHandle SYSCONF =
      downcall("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT), false);
  private static final MethodHandle SIGACTION =
      downcall("sigaction", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), true);
  private static final MethodHandle STRERROR =
      downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT), false);

  static final long PAGE_SIZE = sysconf(SC_PAGESIZE);

  private Libc() {}

  static MethodHandle downcall(String name, FunctionDescriptor descriptor, boolean captureErrno) {
    MemorySegment symbol =
        LINKER.defaultLookup().find(name).orElseThrow(() -> new NativeException("libc has no " + name));
    return captureErrno
        ? LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO)
        : LINKER.downcallHandle(symbol, descriptor);
  }

  /** mmap(2) of anonymous memory; returns the mapping's address. */
  static long mmapAnonymous(long length, int prot, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURED);
      MemorySegment address =
          (MemorySegment) MMAP.invokeExact(errno, MemorySegment.NULL, length, prot, flags | MAP_ANONYMOUS, -1, 0L);
      if (address.address() == MAP_FAILED) {
        throw failure("mmap(" + length + " bytes)", errno);
      }
      return address.address();
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** mprotect(2) of {@code [address, address + length)}, both page-aligned. */
  static void mprotect(long address, long length, int prot) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURED);
      int rc = (int) MPROTECT.invokeExact(errno, MemorySegment.ofAddress(address), length, prot);
      if (rc != 0) {
        throw failure("mprotect(0x" + Long.toHexString(address) + ", " + length + ", " + prot + ")", errno);
      }
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** munmap(2). */
  static void munmap(long address, long length) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURED);
      int rc = (int) MUNMAP.invokeExact(errno, MemorySegment.ofAddress(address), length);
      if (rc != 0) {
        throw failure("munmap(0x" + Long.toHexString(address) + ", " + length + ")", errno);
      }
    } catch (Throwable t) {
      throw rethrow(t);
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
      MemorySegment errno = arena.allocate(CAPTURED);
      int rc = (int) SIGACTION.invokeExact(errno, signal, act, old);
      if (rc != 0) {
        throw failure("sigaction(" + signal + ")", errno);
      }
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static long sysconf(int name) {
    try {
      return (long) SYSCONF.invokeExact(name);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static NativeException failure(String call, MemorySegment captured) {
    int errno = (int) ERRNO.get(captured, 0L);
    return new NativeException(call + " failed: " + strerror(errno) + " (errno " + errno + ")");
  }

  private static String strerror(int errno) {
    try {
      MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
      return text.reinterpret(256).getString(0);
    } catch (Throwable t) {
      throw rethrow(t);
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
