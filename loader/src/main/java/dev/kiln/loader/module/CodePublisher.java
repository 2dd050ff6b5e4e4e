package dev.kiln.loader.module;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.loader.sys.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Makes mapped file pages executable in place: {@code mprotect(PROT_READ | PROT_EXEC)} on the
 * mapping of {@code .text}, whose file offset the writer page-aligned for exactly this. A read-only
 * file mapping may gain PROT_EXEC (only PROT_WRITE needs a writable descriptor), so the code is
 * never copied; the kernel refuses it on a {@code noexec} mount, reported as a {@link
 * NativeException} naming errno. ({@code dev.kiln.loader.sys.VirtualMemory} only protects its own
 * anonymous reservations, so this class binds its own {@code mprotect}.)
 */
final class CodePublisher {
  private static final int PROT_READ = 1;
  private static final int PROT_EXEC = 4;

  private static final StructLayout CAPTURED = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CAPTURED.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle MPROTECT = Linker.nativeLinker().downcallHandle(
      Linker.nativeLinker().defaultLookup().find("mprotect").orElseThrow(),
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), Linker.Option.captureCallState("errno"));

  private CodePublisher() {}

  /** Marks {@code [address, address + length)} (page-aligned start) readable and executable. */
  static void publishExecutable(long address, long length, long pageSize) {
    if (address % pageSize != 0) {
      throw new IllegalArgumentException(".text mapped at 0x" + Long.toHexString(address) + ", not page aligned");
    }
    if (length == 0) {
      return;
    }
    long rounded = (length + pageSize - 1) / pageSize * pageSize;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURED);
      int rc = (int) MPROTECT.invokeExact(errno, MemorySegment.ofAddress(address), rounded, PROT_READ | PROT_EXEC);
      if (rc != 0) {
        throw new NativeException("mprotect(.text at 0x" + Long.toHexString(address) + ", " + rounded
            + ", PROT_READ|PROT_EXEC) failed with errno " + (int) ERRNO.get(errno, 0L)
            + " (a noexec mount refuses executable file mappings)");
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new NativeException("mprotect failed: " + t);
    }
  }
}
