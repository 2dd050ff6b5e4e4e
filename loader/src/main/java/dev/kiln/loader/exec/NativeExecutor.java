package dev.kiln.loader.exec;

import dev.kiln.artifact.Target;
import dev.kiln.loader.sys.LibcCall;
import dev.kiln.loader.sys.NativeException;
import dev.kiln.loader.sys.PlainCall;
import dev.kiln.loader.sys.StackBounds;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs code for the host's own instruction set in-process: entries are FFM downcalls of the
 * array call, in the C library calls' shape ({@link LibcCall}) with the trampoline's address passed
 * per call (docs/ARCHITECTURE.md section 4), or for the direct entries of typed calls in a shape
 * that captures nothing ({@link #callDirectEntry}, {@link PlainCall}),
 * and host functions reach Java through FFM upcall stubs (one per process for all of them: {@link
 * dev.kiln.loader.host.HostCalls}). Stateless apart from per-thread stack bounds, so one
 * instance serves every store ({@link #forHost()}).
 *
 * <p>The downcall is not {@code critical}: wasm may call host functions, which are upcalls, and a
 * critical downcall must not upcall.
 */
public final class NativeExecutor implements Executor {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final ThreadLocal<StackBounds> THREAD_STACK =
      ThreadLocal.withInitial(StackBounds::ofCurrentThread);
  private static volatile NativeExecutor host;
  /** Upcall stubs made and not yet freed with their arenas: each holds code-cache space and a JNI global root. */
  private static final AtomicLong LIVE_UPCALL_STUBS = new AtomicLong();

  private final Target target;
  private final Map<NativeHelper, MemorySegment> helpers = new EnumMap<>(NativeHelper.class);
  /** {@link #staticHostFunction}'s stubs by upcall: a handful for the process, never freed. */
  private final Map<GuardedUpcall, MemorySegment> staticHostFunctions = new HashMap<>();

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

  /**
   * Links the entry downcall now rather than at the first call. It shares the C library calls'
   * shape, so once those are linked this is only a handle; {@code kiln run} does it on its warm-up
   * thread with them, while the first thread loads and instantiates.
   */
  public static void linkEntry() {
    ArrayCall.HANDLE.type();
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public boolean callArrayEntry(MemorySegment trampoline, long calleeVmctx, long callerVmctx, long values, long len,
      MemorySegment scratch) {
    try {
      // The shape captures errno; nobody reads it, so it lands in the store's scratch block, written
      // only under the store's claim (a process-wide word was written by every entry of every thread,
      // its cache line pulled from core to core on each: issue 41).
      long result = (long) ArrayCall.HANDLE.invokeExact(trampoline, scratch, calleeVmctx, callerVmctx, values, len, 0L, 0L);
      return (result & 0xFF) != 0;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("array call failed", t);
    }
  }

  @Override
  public boolean callDirectEntry(MemorySegment trampoline, long vmctx, long values, long len, MemorySegment scratch) {
    try {
      long result = (long) DirectCall.HANDLE.invokeExact(trampoline, vmctx, vmctx, values, len);
      return (result & 0xFF) != 0;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("array call failed", t);
    }
  }

  @Override
  public MemorySegment hostFunction(GuardedUpcall upcall, Arena arena) {
    MemorySegment stub = upcall.stub(arena);
    LIVE_UPCALL_STUBS.incrementAndGet();
    // Counted down when the arena frees the stub; the cleanup captures nothing, so it keeps nothing.
    MemorySegment.NULL.reinterpret(arena, NativeExecutor::upcallStubFreed);
    return stub;
  }

  private static void upcallStubFreed(MemorySegment ignored) {
    LIVE_UPCALL_STUBS.decrementAndGet();
  }

  /**
   * Upcall stubs this process has made and not freed: a count that must not grow with the stores
   * made and closed (red team 24 F1: three stubs a store stayed for the JVM's life).
   */
  public static long liveUpcallStubs() {
    return LIVE_UPCALL_STUBS.get();
  }

  @Override
  public synchronized MemorySegment staticHostFunction(GuardedUpcall upcall) {
    MemorySegment stub = staticHostFunctions.get(upcall);
    if (stub == null) {
      stub = hostFunction(upcall, Arena.global());
      staticHostFunctions.put(upcall, stub);
    }
    return stub;
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

  @Override
  public void close() {
    // Shared by every store; nothing of its own to release.
  }

  /**
   * The entry downcall, {@code bool entry(callee vmctx, caller vmctx, values, len)} with the
   * trampoline passed per call, in the C library calls' one shape ({@link LibcCall}: six words, the
   * last two unused here; a bool result is the low byte of the result register, System V AMD64 ABI
   * 3.2.3 and AAPCS64 6.8.2, the rest undefined). A shape of its own cost a cold JVM 5-7 ms of stub
   * and method-handle generation; sharing the C library's, which is linked first, costs nothing. The
   * errno the shape captures lands in the calling store's scratch block, which nobody reads: a word
   * of the store's, written only by the thread holding it, so neither shared between cores (one
   * process-wide word pulled its cache line from core to core on every entry, issue 41) nor looked
   * up per thread (a thread-local read on every entry, issue 42).
   */
  private static final class ArrayCall {
    static final MethodHandle HANDLE = LibcCall.unbound();
  }

  /**
   * The entry downcall for {@link #callDirectEntry}: {@code bool entry(callee vmctx, caller vmctx,
   * values, len)} with the trampoline passed per call (one handle serves every function) and nothing
   * captured, in the shape it shares with the stack-pointer reader ({@link PlainCall}: a bool result
   * is the low byte of the result register). Linked at engine start ({@code CallPathClasses}).
   */
  private static final class DirectCall {
    static final MethodHandle HANDLE = PlainCall.handle();
  }
}
