package dev.kiln.loader.host;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.HostContextLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.GuardedUpcall;
import dev.kiln.loader.exec.NativeExecutor;
import dev.kiln.loader.exec.UpcallShape;
import dev.kiln.loader.instance.LiveInstances;
import dev.kiln.loader.runtime.HostCallNesting;
import dev.kiln.loader.runtime.HostCallTarget;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.UpcallRegistry;
import dev.kiln.loader.runtime.ValRaw;
import dev.kiln.loader.sys.TableArrays;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.EnumMap;
import java.util.Map;

/**
 * The host-call switchboard of one store: every {@link HostFunction} of the store shares ONE
 * array-call entry per executor, and this class routes each call to its function and to the calling
 * instance.
 *
 * <p><b>Why one entry.</b> Every host function has the same C signature, the array call {@code bool
 * (callee_vmctx, caller_vmctx, ValRaw*, size_t)} (docs/ARCHITECTURE.md section 4, "Array calling
 * convention"), and its callee vmctx is the function's own {@link HostContextLayout} block. The
 * loader writes the function's id into that block ({@link HostContextLayout#HOST_FUNCTION_ID}), so a
 * single upcall reads the id and finds the callback here. An FFM upcall stub is expensive to make
 * (the first ones in a JVM cost hundreds of milliseconds, each later one still spins classes), so
 * there is one per executor for every store and function: its target is static ({@link #enter})
 * and finds the store from the store context at offset 0 of the callee vmctx ({@link
 * UpcallRegistry}). A stub's target is a JNI global root while the stub lives, so a target bound
 * to this object kept every closed store that had a host function for the JVM's life (red team 24
 * F1); the static one keeps nothing, and a store's close costs no arena's close (no all-thread
 * handshake).
 *
 * <p><b>Callers.</b> The trampoline passes the calling wasm function's vmctx through unchanged (the
 * wasm calling convention's caller vmctx). Instances register themselves while they live ({@link
 * LiveInstances}), so a {@link CallingInstance} resolves that address to the calling instance when the body
 * asks; a call with no registered caller (a host function called through another host's funcref
 * table slot from Java, say) sees no instance, as {@link CallingInstance#NONE} does.
 *
 * <p>The store runs one thread at a time, but host functions may be created and instances closed on
 * other threads: ids are handed out under the lock, the dispatch path reads a volatile snapshot.
 */
public final class HostCalls implements HostCallTarget {
  /** All of memory, to read a host context block at the address the trampoline passes. */
  private static final MemorySegment ALL_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
  /** The entry's upcall; a failed call answers 0 (false), the host-function trap. */
  private static final GuardedUpcall ENTRY;
  /**
   * {@link HostFunction#dispatch}, called through a field that is not final so that C2 cannot
   * inline the host function into {@link #call}: a failed reallocation of the host function's
   * scalar-replaced objects then pops its frames only, and {@link #call}'s handlers still count
   * the call out and record the failure ({@link GuardedUpcall} says why a handler in the same
   * physical frame would be popped with them).
   */
  private static MethodHandle dispatch;
  /** The id no host function has: the context block of an entry's warm-up call holds it. */
  private static final int WARM_UP_ID = -1;
  /** The reference argument slots of a call whose function is gone (it fails before reading any). */
  private static final int[] NO_REFERENCES = new int[0];

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      ENTRY = GuardedUpcall.of(lookup.findStatic(HostCalls.class, "enter", UpcallShape.TYPE), 0);
      dispatch = lookup.findVirtual(HostFunction.class, "dispatch",
          MethodType.methodType(void.class, long.class, long.class, long.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Native entries called once by {@link #warmUp}: the process's one, once made. */
  private static int warmedEntries;

  private final NativeStore store;
  /** The entries of this store's code, by target (each its executor's, shared with other stores). */
  private final Map<Target, MemorySegment> entries = new EnumMap<>(Target.class);
  /** Function by id; a closed function's slot is null until its id is handed out again. */
  private volatile HostFunction[] functions = new HostFunction[8];
  /** Ids given back, reused first (a stack); under the lock. */
  private int[] freeIds = new int[8];
  private int freeCount;
  /** The lowest id never handed out; under the lock. */
  private int nextId;
  private final LiveInstances instances;
  /** Where {@link #functions} and {@link #freeIds} grow ({@link TableArrays}: a test's fails on cue). */
  private final TableArrays arrays;

  private HostCalls(NativeStore store) {
    this(store, TableArrays.HEAP);
  }

  /** A switchboard whose tables grow by {@code arrays} (a test's, which runs out on cue). */
  HostCalls(NativeStore store, TableArrays arrays) {
    this.store = store;
    this.instances = LiveInstances.of(store);
    this.arrays = arrays;
  }

  /**
   * The switchboard of {@code store}, made on first use; the store's upcall entry ({@link
   * dev.kiln.loader.runtime.StoreUpcalls}) routes its host calls here until the store closes,
   * which drops it.
   */
  public static HostCalls of(NativeStore store) {
    return store.attachment(HostCalls.class, () -> {
      HostCalls calls = new HostCalls(store);
      store.upcalls().hostCalls(calls);
      return calls;
    });
  }

  /**
   * The one array-call entry of code of {@code target}: an FFM upcall stub for the native
   * executor (one per process), a stub-page slot for the emulator (one per store's executor).
   * Asked for when the store's first host function for {@code target} is created, so before any
   * instance can import it; the native stub is called once when made ({@link #warmUp}).
   */
  synchronized MemorySegment entry(Target target) {
    MemorySegment entry = entries.get(target);
    if (entry == null) {
      entry = executorEntry(store.executorFor(target));
      entries.put(target, entry);
    }
    return entry;
  }

  /** {@code executor}'s entry, the native one called once when first made. */
  private static MemorySegment executorEntry(Executor executor) {
    synchronized (HostCalls.class) {
      MemorySegment entry = executor.staticHostFunction(ENTRY);
      if (executor instanceof NativeExecutor && warmedEntries == 0) {
        warmUp(executor, entry);
      }
      return entry;
    }
  }

  /**
   * Calls a new native entry once through its upcall stub, as compiled code will, so that the
   * guest's first host call does not pay for what the JVM does on a stub's first call: spinning
   * the method-handle forms that adapt the stub to {@link #enter} and loading the value classes
   * every call decodes (measured: 1.5-1.8 ms and 8 classes on the first call against ~10 µs later,
   * docs/history/performance-journal.md, "Host calls ready before the guest runs"). The call's
   * context block holds {@link #WARM_UP_ID}, which {@link #enter} answers with {@link
   * HostFunction#echo}: no host function runs and the store is not touched. Only native entries are
   * warmed: calling an emulator's slot needs an emulated entry.
   */
  private static void warmUp(Executor executor, MemorySegment entry) {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment context = call.allocate(HostContextLayout.ALLOCATION_SIZE, 16);
      context.set(JAVA_INT, HostContextLayout.HOST_FUNCTION_ID, WARM_UP_ID);
      MemorySegment values = ValRaw.allocate(call, 1);
      MemorySegment scratch = call.allocate(Executor.SCRATCH_BYTES, 16);
      if (!executor.callArrayEntry(entry, context.address(), 0, values.address(), 1, scratch)) {
        throw new IllegalStateException("the warm-up call of the host-call entry failed");
      }
      warmedEntries++;
    }
  }

  /** How many array-call entries (upcall stubs or emulator slots) this store uses: one per target. */
  public synchronized int entryCount() {
    return entries.size();
  }

  /** How many native entries were called once by {@link #warmUp} before any guest could call them: the process's. */
  public static int warmedEntryCount() {
    synchronized (HostCalls.class) {
      return warmedEntries;
    }
  }

  /**
   * Gives {@code function} an id, the value its context block's {@code HOST_FUNCTION_ID} holds. The
   * table grows before the id is taken: an {@code OutOfMemoryError} there leaves the id free
   * (issue 35: taken first, it was lost for the store's life).
   */
  synchronized int register(HostFunction function) {
    int id = freeCount > 0 ? freeIds[freeCount - 1] : nextId;
    HostFunction[] table = functions;
    if (id >= table.length) {
      table = arrays.copyOf(table, Math.max(id + 1, table.length * 2));
    }
    if (freeCount > 0) {
      freeCount--;
    } else {
      nextId++;
    }
    table[id] = function;
    functions = table;
    return id;
  }

  /**
   * Frees {@code id}; wasm must no longer be able to call the function that had it. The stack of
   * free ids grows before the function leaves: an {@code OutOfMemoryError} there leaves the id
   * registered for the caller's retry (a boxed id pushed on a deque lost it, and a deque whose
   * growth failed lost every free id it held).
   */
  synchronized void unregister(int id) {
    HostFunction[] table = functions;
    if (id < table.length && table[id] != null) {
      if (freeCount == freeIds.length) {
        int[] grown = arrays.ints(freeIds.length * 2);
        System.arraycopy(freeIds, 0, grown, 0, freeCount);
        freeIds = grown;
      }
      table[id] = null;
      functions = table;
      freeIds[freeCount++] = id;
    }
  }

  /** How many ids are held by functions now (for tests: a failed register must hold none). */
  synchronized int registered() {
    return nextId - freeCount;
  }

  /** The caller whose vmctx is {@code vmctx}, its instance looked up when asked for. */
  CallingInstance caller(long vmctx) {
    return new CallingInstance(instances, vmctx);
  }

  /**
   * The upcall: {@code bool (callee_vmctx, caller_vmctx, ValRaw* values, size_t len)} in the shape
   * every entry into Java shares ({@link UpcallShape}: the pointers as 64-bit integers, a fifth
   * word no argument, the bool 1 or 0), for every store: the callee vmctx is the host function's
   * context block, whose store context names the store ({@link UpcallRegistry}; a block of no open
   * store's fails the call, having touched nothing). Its guard ({@link #ENTRY}) answers 0 for
   * whatever it throws: an exception escaping the upcall would stop the JVM.
   */
  private static long enter(long calleeVmctx, long callerVmctx, long values, long len, long unused) {
    int id = ALL_MEMORY.get(JAVA_INT, calleeVmctx + HostContextLayout.HOST_FUNCTION_ID);
    if (id == WARM_UP_ID) {
      HostFunction.echo(values);
      return 1;
    }
    HostCallTarget calls = UpcallRegistry.hostCallsOf(calleeVmctx);
    return calls == null ? 0 : calls.call(id, callerVmctx, values, len);
  }

  /**
   * Host function {@code id}'s call from wasm ({@link #enter} found this store). Every throwable
   * goes to the store and the call returns false (0): the trampoline then throws a wasm exception
   * the host threw into its caller, or traps with {@code HOST_FUNCTION_FAILED} ({@link
   * NativeStore#hostFailed}).
   */
  @Override
  public long call(int id, long callerVmctx, long values, long len) {
    try {
      // The calling activation waits from here on: its wasm frames are recorded first thing, for a
      // collection that runs while the host function does (NativeStore#hostCallEntered).
      HostFunction[] table = functions;
      HostFunction function = id >= 0 && id < table.length ? table[id] : null;
      store.hostCallEntered(values, function == null ? NO_REFERENCES : function.referenceParams());
      // From here on every way out counts the call out with field writes of this frame, before any
      // call: an overflow at the frame of a call cannot leave it counted in (issue 35).
      try {
        if (function == null) {
          throw new IllegalStateException("wasm called host function " + id + ", which was closed");
        }
        HostCallNesting nesting = HostCallNesting.enter(store);
        try {
          dispatch.invokeExact(function, callerVmctx, values, len);
        } finally {
          nesting.inProgress--;
        }
        // A call of the host function's into the store may have collected and failed half way: the
        // waiting frames hold heap words that mean nothing now, so they trap instead (issue 35).
        store.requireHeapIntact();
      } catch (Throwable t) {
        // still waiting: a wasm exception's object may collect, and the caller's frames are roots
        store.hostFailed(t);
        return 0;
      } finally {
        store.hostCallsReturned++;
        store.hostCallReturned();
      }
      return 1;
    } catch (Throwable t) {
      try {
        store.hostFailed(t);
      } catch (Throwable ignored) {
        // Nothing may leave an upcall. hostFailed records whatever its translation throws, Errors
        // too, so only an Error on the way into it gets here: the entry still traps with
        // HOST_FUNCTION_FAILED, without a cause.
      }
      return 0;
    }
  }
}
