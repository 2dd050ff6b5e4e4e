package dev.kiln.loader.exec;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.kiln.artifact.Target;
import dev.kiln.loader.sys.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Makes code the loader wrote visible to this host's instruction fetch. Its own class, apart from
 * {@link NativeExecutor}, so that publishing code does not link the entry downcall as a side effect.
 */
final class InstructionCache {
  private InstructionCache() {}

  /**
   * Makes code just written at {@code [address, address + length)} visible to instruction fetch.
   * x86-64 keeps instruction fetch coherent with stores (Intel SDM vol. 3A, 11.6 "Self-modifying
   * code"), so there is nothing to do. AArch64 does not (Arm ARM B2.4.4, "Concurrent modification and
   * execution of instructions": clean D-cache to the point of unification, invalidate I-cache, then
   * ISB); libgcc's {@code __clear_cache} does exactly that sequence, so it is called through FFM.
   */
  static void flush(long address, long length) {
    if (length <= 0 || HostTarget.current().orElse(null) != Target.AARCH64) {
      return;
    }
    try {
      ClearCache.HANDLE.invokeExact(MemorySegment.ofAddress(address), MemorySegment.ofAddress(address + length));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new NativeException("__clear_cache failed: " + t);
    }
  }

  /** {@code void __clear_cache(char* begin, char* end)}, bound on first use (AArch64 hosts only). */
  private static final class ClearCache {
    static final MethodHandle HANDLE = bind();

    private static MethodHandle bind() {
      Linker linker = Linker.nativeLinker();
      Optional<MemorySegment> symbol = linker.defaultLookup().find("__clear_cache");
      if (symbol.isEmpty()) {
        symbol = SymbolLookup.libraryLookup("libgcc_s.so.1", Arena.global()).find("__clear_cache");
      }
      return linker.downcallHandle(symbol.orElseThrow(() ->
              new NativeException("neither libc nor libgcc_s.so.1 has __clear_cache")),
          FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    }
  }
}
