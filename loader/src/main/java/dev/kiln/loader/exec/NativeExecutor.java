package dev.kiln.loader.exec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.Target;
import dev.kiln.loader.sys.NativeException;
import dev.kiln.loader.sys.StackBounds;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs code for the host's own instruction set in-process: entries are FFM downcalls with the one
 * array-call shape, the trampoline's address passed per call (ARCHITECTURE.md section 4, about 5-7 ns),
 * and host functions reach Java through FFM upcall stubs (one per store for all of them: {@link
 * dev.kiln.loader.host.HostCalls}). Stateless apart from per-thread stack bounds, so one
 * instance serves every store ({@link #forHost()}).
 *
 * <p>The downcall is not {@code critical}: wasm may call host functions, which are upcalls, and a
 * critical downcall must not upcall.
 */
public final class NativeExecutor implements Executor {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle ARRAY_CALL = LINKER.downcallHandle(
      FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
  private static final ThreadLocal<StackBounds> THREAD_STACK =
      ThreadLocal.withInitial(StackBounds::ofCurrentThread);

  private static volatile NativeExecutor host;

  private final Target target;
  private final Map<NativeHelper, MemorySegment> helpers = new EnumMap<>(NativeHelper.class);

  private NativeExecutor(Target target) {
    this.target = target;
    for (NativeHelper helper : NativeHelper.values()) {
      helpers.put(helper, LINKER.defaultLookup().find(helper.symbol()).orElseThrow(() ->
          new NativeException("the C library has no " + helper.symbol())));
    }
  }

  /**
   * The executor for this host's instruction set.
   *
   * @throws UnsupportedOperationException if the host runs no Kiln target
   */
  public static NativeExecutor forHost() {
    NativeExecutor executor = host;
    if (executor == null) {
      synchronized (NativeExecutor.class) {
        executor = host;
        if (executor == null) {
          Target target = HostTarget.current().orElseThrow(() -> new UnsupportedOperationException(
              "this host (" + System.getProperty("os.arch") + ") runs no Kiln target"));
          executor = new NativeExecutor(target);
          host = executor;
        }
      }
    }
    return executor;
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public boolean callArrayEntry(long trampoline, long calleeVmctx, long callerVmctx, long values, long len) {
    try {
      return (boolean) ARRAY_CALL.invokeExact(MemorySegment.ofAddress(trampoline),
          MemorySegment.ofAddress(calleeVmctx), MemorySegment.ofAddress(callerVmctx),
          MemorySegment.ofAddress(values), len);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("array call failed", t);
    }
  }

  @Override
  public MemorySegment hostFunction(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
    return LINKER.upcallStub(Objects.requireNonNull(target, "target"), descriptor, arena);
  }

  @Override
  public MemorySegment helper(NativeHelper helper) {
    return helpers.get(helper);
  }

  @Override
  public long stackLow() {
    Thread current = Thread.currentThread();
    // A virtual thread runs on whichever carrier mounts it: its bounds are the carrier's, now.
    return (current.isVirtual() ? StackBounds.ofCurrentThread() : THREAD_STACK.get()).low();
  }

  /**
   * Makes code just written at {@code [address, address + length)} visible to instruction fetch.
   * x86-64 keeps instruction fetch coherent with stores (Intel SDM vol. 3A, 11.6 "Self-modifying
   * code"), so there is nothing to do. AArch64 does not (Arm ARM B2.4.4, "Concurrent modification and
   * execution of instructions": clean D-cache to the point of unification, invalidate I-cache, then
   * ISB); libgcc's {@code __clear_cache} does exactly that sequence, so it is called through FFM.
   */
  public static void flushInstructionCache(long address, long length) {
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

  @Override
  public void close() {
    // Shared by every store; nothing of its own to release.
  }

  /** {@code void __clear_cache(char* begin, char* end)}, bound on first use (AArch64 hosts only). */
  private static final class ClearCache {
    static final MethodHandle HANDLE = bind();

    private static MethodHandle bind() {
      Optional<MemorySegment> symbol = LINKER.defaultLookup().find("__clear_cache");
      if (symbol.isEmpty()) {
        symbol = SymbolLookup.libraryLookup("libgcc_s.so.1", Arena.global()).find("__clear_cache");
      }
      return LINKER.downcallHandle(symbol.orElseThrow(() ->
              new NativeException("neither libc nor libgcc_s.so.1 has __clear_cache")),
          FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    }
  }
}
