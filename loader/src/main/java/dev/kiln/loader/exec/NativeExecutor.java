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
import java.lang.invoke.MethodHandle;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

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

  /**
   * Links the entry downcall now rather than at the first call. Its stub costs a cold JVM some
   * milliseconds of class spinning; {@code kiln run} links it on a second thread while the first
   * loads and instantiates, which need no entry until the first call.
   */
  public static void linkEntry() {
    ArrayCall.HANDLE.type();
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public boolean callArrayEntry(long trampoline, long calleeVmctx, long callerVmctx, long values, long len) {
    try {
      return (boolean) ArrayCall.HANDLE.invokeExact(MemorySegment.ofAddress(trampoline),
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

  @Override
  public void close() {
    // Shared by every store; nothing of its own to release.
  }

  /** The entry downcall, {@code bool entry(trampoline, callee vmctx, caller vmctx, values, len)}, linked on first use. */
  private static final class ArrayCall {
    static final MethodHandle HANDLE = LINKER.downcallHandle(
        FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
  }
}
