package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.gc.ReferenceWord;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.sys.NativeHeap;
import java.lang.foreign.MemoryLayout;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The native side of a store ({@code dev.kiln.runtime.Store} wraps one for embedders): the unit of
 * execution that owns one store context, the native block every VMContext of its instances points
 * at ({@link StoreLayout}, docs/ARCHITECTURE.md section 4). Compiled code reads the stack limit from
 * it and the trap stub writes the trap state into it; this class prepares each entry and turns a
 * recorded trap into a {@link TrapException}.
 *
 * <p><b>Stack limit.</b> Before each entry the store writes {@code stack_floor} = the calling
 * thread's stack low end (from {@code pthread_getattr_np}, cached per thread) plus {@link
 * #headroom()} plus the few bytes a leaf function may use below the limit unchecked ({@code
 * StoreLayout.UNCHECKED_LEAF_FRAME}), and the entry trampoline sets {@code stack_limit = max(stack_floor, entry SP -
 * max_wasm_stack, enclosing limit)}: only native code knows its SP, only the loader knows the thread.
 * The headroom keeps the JVM's guard zones (red, yellow, reserved: 16 KiB on x86-64) and the stack the
 * trap path and host calls need out of wasm's reach, so deep recursion traps instead of faulting; it
 * also holds the kernel's signal frame (a few KiB) when an access faults in a memory's guard region
 * at the deepest point ({@code loader.sys.GuardFaults}).
 *
 * <p><b>Executors.</b> The store owns the {@link Executor} of each target its instances run ({@link
 * #executorFor}): the host's own instruction set runs natively, another one on an emulator this
 * store creates on first use, reuses for every entry and closes with the store. The stack low end
 * comes from the executor, since an emulated entry runs on the emulator's stack, not the thread's.
 *
 * <p><b>One thread at a time.</b> Entries, instantiation and closing claim the store for the
 * current thread ({@link ThreadClaim}, a compare-and-set); a second thread gets an {@link
 * IllegalStateException} naming the store and both threads instead of sharing the stack limit and
 * the trap record. Entries nest (wasm -> host -> wasm) on the holding thread. A closed store refuses
 * everything with an {@link IllegalStateException}.
 *
 * <p><b>Lifetimes.</b> The store owns every native object made in it ({@link #adopt}): each one is
 * freed when its {@link Lifetime} says nothing needs it any more, and whatever is left when the
 * store closes (see the package documentation). It also knows the address of every function
 * reference of its objects, so a raw funcref value from Java is checked ({@link
 * #checkFunctionReference}) before compiled code can call through it.
 *
 * <p><b>Epoch deadline and fuel.</b> The context points at an {@link Epoch} (the store's own, or an
 * engine's shared by its stores) and holds the store's epoch deadline and fuel count, which code
 * compiled with epoch interruption or fuel metering checks at loop headers and function entries
 * ({@code artifact.vm.ExecutionLimits}): {@link #setEpochDeadline}, {@link #setFuel}, {@link
 * #fuel()}. A store starts with a deadline of 0 and no fuel, so such code traps at once until they
 * are set (as in Wasmtime). After an {@code INTERRUPT} or {@code OUT_OF_FUEL} trap the store and the
 * thread are usable as after any trap; set a new deadline or add fuel before calling again.
 *
 * <p><b>The context's memory.</b> The context is Kiln's alone (no embedder object views it), so it
 * comes from the C heap ({@code loader.sys.NativeHeap}), not from a shared arena, whose close
 * would stop every thread of the JVM in a handshake on each store close. What makes the free safe
 * without one: compiled code and the entry path touch the context only under the thread claim,
 * which {@link #close()} takes (so no code of the store runs while it frees), and the accessors
 * other threads may call ({@link #fuel()}, {@link #setEpochDeadline}, ...) read it under the
 * store's lock after checking that the store is open, while {@link #close()} frees it under that
 * lock after marking it closed.
 */
public final class NativeStore implements AutoCloseable {
  /** Wasm stack one outermost entry may use, as Wasmtime's default {@code max_wasm_stack}. */
  public static final long DEFAULT_MAX_WASM_STACK = 512 * 1024;
  /** Stack kept free above the thread's low end. */
  public static final long DEFAULT_HEADROOM = 128 * 1024;

  /** The store context as the loader sees it; a test checks it against {@link StoreLayout}. */
  static final StructLayout CONTEXT_LAYOUT = MemoryLayout.structLayout(
      JAVA_LONG.withName("stack_limit"),
      JAVA_INT.withName("trap_code"),
      MemoryLayout.paddingLayout(4),
      JAVA_LONG.withName("trap_pc"),
      JAVA_LONG.withName("trap_fp"),
      JAVA_LONG.withName("entry_sp"),
      JAVA_LONG.withName("entry_fp"),
      JAVA_LONG.withName("stack_floor"),
      JAVA_LONG.withName("max_wasm_stack"),
      JAVA_INT.withName("backtrace_count"),
      MemoryLayout.paddingLayout(4),
      MemoryLayout.sequenceLayout(StoreLayout.BACKTRACE_CAPACITY, JAVA_LONG).withName("backtrace"),
      JAVA_LONG.withName("epoch_ptr"),
      JAVA_LONG.withName("epoch_deadline"),
      JAVA_LONG.withName("fuel_consumed"),
      JAVA_LONG.withName("memory_bytes_used"),
      JAVA_LONG.withName("memory_bytes_limit"),
      JAVA_LONG.withName("table_elements_used"),
      JAVA_LONG.withName("table_elements_limit"),
      JAVA_LONG.withName("type_displays"),
      JAVA_LONG.withName("gc_heap_base"),
      JAVA_LONG.withName("gc_heap_top"),
      JAVA_LONG.withName("gc_heap_end"),
      JAVA_LONG.withName("gc_heap_limit"),
      JAVA_LONG.withName("exception_throw"),
      JAVA_LONG.withName("resume_pc"),
      JAVA_LONG.withName("resume_sp"),
      JAVA_LONG.withName("resume_fp"),
      JAVA_LONG.withName("caught_exception"),
      JAVA_LONG.withName("pending_exception"),
      JAVA_LONG.withName("gc_allocate"),
      JAVA_LONG.withName("exit_fp"),
      MemoryLayout.paddingLayout(8)).withByteAlignment(StoreLayout.ALIGNMENT); // up to StoreLayout.SIZE, 16-byte granules

  private static final VarHandle STACK_LIMIT = handle("stack_limit");
  private static final VarHandle TRAP_CODE = handle("trap_code");
  /**
   * What {@code trap_code} holds while no trap stub has written it since it was last read: no
   * {@link TrapCode} (all are 0..255). An entry that fails with this still there ran no trap stub:
   * its callee was a host function called from Java directly ({@link #recordedTrap}).
   */
  private static final int NO_TRAP_RECORDED = -1;
  private static final VarHandle PENDING_EXCEPTION = handle("pending_exception");
  private static final VarHandle TRAP_PC = handle("trap_pc");
  private static final VarHandle BACKTRACE_COUNT = handle("backtrace_count");
  private static final long BACKTRACE_OFFSET =
      CONTEXT_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("backtrace"));
  private static final VarHandle ENTRY_SP = handle("entry_sp");
  private static final VarHandle STACK_FLOOR = handle("stack_floor");
  private static final VarHandle MAX_WASM_STACK = handle("max_wasm_stack");
  private static final VarHandle EPOCH_PTR = handle("epoch_ptr");
  private static final VarHandle EPOCH_DEADLINE = handle("epoch_deadline");
  private static final VarHandle FUEL_CONSUMED = handle("fuel_consumed");
  private static final VarHandle TYPE_DISPLAYS = handle("type_displays");

  private static final AtomicLong STORES = new AtomicLong();

  private final String name = "store #" + STORES.incrementAndGet();
  private final ThreadClaim claim = new ThreadClaim();
  /** Wasm entries on the claiming thread's stack; read and written by that thread only. */
  private int entries;
  private volatile boolean closed;
  /** Objects not yet freed, in the order they were made: the store frees the rest in reverse. */
  private final LinkedHashSet<Lifetime> live = new LinkedHashSet<>();
  /** Objects whose last user went while wasm ran on the claiming thread: freed when it returns. */
  private final List<Lifetime> freeAfterExit = new ArrayList<>();
  /** The VMFuncRef arrays of live objects by first address, for {@link #checkFunctionReference}. */
  private final TreeMap<Long, FunctionReferences> functionReferences = new TreeMap<>();
  /** From the C heap, freed by {@link #close()} (see the class documentation). */
  private final MemorySegment context;
  /** {@link #directCallSlots()}: in the context's block, after the context. */
  private final MemorySegment directCallSlots;
  /** {@link #entryScratch()}: in the context's block, after the direct-call slots. */
  private final MemorySegment entryScratch;
  /**
   * The platform thread and executor the context's stack floor was last derived for; read and
   * written by the claiming thread only. The floor is a function of the two (the thread's stack,
   * or the emulator's own), so an outermost entry of the same pair finds it already in place and
   * skips the per-thread lookup of the stack bounds (issue 42). A virtual thread is never recorded:
   * its stack is whichever carrier mounts it.
   */
  private Thread floorThread;
  private Executor floorExecutor;
  private final long headroom;
  private final Epoch epoch;
  private final StoreResources resources;
  private final Map<Target, Executor> executors = new EnumMap<>(Target.class);
  private final RuntimeTypes types;
  private final Map<CodeRegion, Integer> codeRegions = new java.util.LinkedHashMap<>();
  /** The registered regions as an immutable list, replaced on each change, shared by traps. */
  private volatile List<CodeRegion> regionSnapshot = List.of();
  /** Resources handed to the store to free when it closes, in the order received. */
  private final List<AutoCloseable> closeWithStore = new java.util.ArrayList<>();
  /** Per-store state of other packages (the host-call registry), one object per class. */
  private final Map<Class<?>, Object> attachments = new java.util.HashMap<>();
  /**
   * The store's GC heap, reserved by the first instance whose module has struct or array types or
   * throws, or by a host's throw into wasm.
   */
  private GcHeap gcHeap;
  /** The store's exception objects and unwinder, made when its first exception-handling code is instantiated. */
  private StoreExceptions exceptions;
  /** Why the innermost failing host function failed, until the entry it unwinds to reports it. */
  private Throwable hostFailure;
  /** The activations waiting in host calls of this store, for the collector's frame walk. */
  private final SuspendedActivations suspended;
  /** Why the last collection's frame walk failed, until the trap of its allocation reports it. */
  private FrameWalkException frameWalkFailure;
  /**
   * Which of a host function's throwables are wasm exceptions to throw into its wasm caller, as
   * the API names them ({@link #hostExceptions}); null: none is.
   */
  private volatile Function<Throwable, ThrownException> hostExceptions;

  /** A store with the default stack budget and headroom, and an epoch counter of its own. */
  public NativeStore() {
    this(new Epoch());
  }

  /** A store with the default stack budget and headroom whose code reads {@code epoch} (an engine's). */
  public NativeStore(Epoch epoch) {
    this(epoch, DEFAULT_MAX_WASM_STACK, DEFAULT_HEADROOM);
  }

  /**
   * A store with an epoch counter of its own.
   *
   * @param maxWasmStack bytes of native stack an outermost entry grants to wasm
   * @param headroom bytes above the thread's stack low end that wasm never uses
   */
  public NativeStore(long maxWasmStack, long headroom) {
    this(new Epoch(), maxWasmStack, headroom);
  }

  /**
   * A store with the default limits ({@link StoreLimits#DEFAULTS}).
   *
   * @param epoch the counter that code compiled with epoch interruption compares with this store's
   *     deadline ({@link #setEpochDeadline})
   * @param maxWasmStack bytes of native stack an outermost entry grants to wasm
   * @param headroom bytes above the thread's stack low end that wasm never uses
   */
  public NativeStore(Epoch epoch, long maxWasmStack, long headroom) {
    this(epoch, maxWasmStack, headroom, StoreLimits.DEFAULTS);
  }

  /** A store with the default stack budget and headroom, an epoch counter of its own and {@code limits}. */
  public NativeStore(StoreLimits limits) {
    this(new Epoch(), DEFAULT_MAX_WASM_STACK, DEFAULT_HEADROOM, limits);
  }

  /**
   * @param epoch the counter that code compiled with epoch interruption compares with this store's
   *     deadline ({@link #setEpochDeadline})
   * @param maxWasmStack bytes of native stack an outermost entry grants to wasm
   * @param headroom bytes above the thread's stack low end that wasm never uses
   * @param limits what the store's objects may allocate and how deep host calls may nest
   */
  public NativeStore(Epoch epoch, long maxWasmStack, long headroom, StoreLimits limits) {
    this(epoch, new RuntimeTypes(), maxWasmStack, headroom, limits);
  }

  /**
   * @param epoch the counter that code compiled with epoch interruption compares with this store's
   *     deadline ({@link #setEpochDeadline})
   * @param types the runtime type ids of the engine the store belongs to: instances of every store
   *     sharing them give a type one id
   * @param maxWasmStack bytes of native stack an outermost entry grants to wasm
   * @param headroom bytes above the thread's stack low end that wasm never uses
   * @param limits what the store's objects may allocate and how deep host calls may nest
   */
  public NativeStore(Epoch epoch, RuntimeTypes types, long maxWasmStack, long headroom, StoreLimits limits) {
    if (maxWasmStack <= 0 || headroom < 0) {
      throw new IllegalArgumentException("max wasm stack " + maxWasmStack + ", headroom " + headroom);
    }
    this.epoch = java.util.Objects.requireNonNull(epoch, "epoch");
    this.headroom = headroom;
    MemorySegment block = NativeHeap.allocate(ENTRY_SCRATCH_OFFSET + Executor.SCRATCH_BYTES);
    this.context = block.asSlice(0, CONTEXT_LAYOUT.byteSize());
    this.directCallSlots = block.asSlice(DIRECT_CALL_SLOTS_OFFSET, (long) DirectEntry.MAX_SLOTS * ValRaw.SIZE);
    this.entryScratch = block.asSlice(ENTRY_SCRATCH_OFFSET, Executor.SCRATCH_BYTES);
    this.resources = new StoreResources(name, java.util.Objects.requireNonNull(limits, "limits"), context);
    MAX_WASM_STACK.set(context, 0L, maxWasmStack);
    TRAP_CODE.set(context, 0L, NO_TRAP_RECORDED);
    EPOCH_PTR.set(context, 0L, epoch.address());
    this.types = java.util.Objects.requireNonNull(types, "types");
    TYPE_DISPLAYS.set(context, 0L, types.displaysAddress());
    context.set(JAVA_LONG, StoreLayout.EXIT_FP, 0L);
    this.suspended = new SuspendedActivations(context);
  }

  /** Where the direct-call slots start in the context's block: after the context, 16-byte aligned. */
  private static final long DIRECT_CALL_SLOTS_OFFSET = (CONTEXT_LAYOUT.byteSize() + 15) & ~15L;
  /** Where the entries' scratch block starts: after the direct-call slots (a multiple of 16 bytes). */
  private static final long ENTRY_SCRATCH_OFFSET = DIRECT_CALL_SLOTS_OFFSET + (long) DirectEntry.MAX_SLOTS * ValRaw.SIZE;

  private static VarHandle handle(String name) {
    return CONTEXT_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(name));
  }

  /** What the store's live objects use, and its {@link StoreLimits}. */
  public StoreResources resources() {
    return resources;
  }

  /**
   * The store's exception runtime, its entries installed for code {@code executor} runs (compiled
   * code that throws or catches calls them through the store context).
   *
   * @throws IllegalStateException if exception-handling code of another target runs in the store
   */
  public synchronized StoreExceptions exceptions(Executor executor) {
    checkNotClosed();
    if (exceptions == null) {
      exceptions = new StoreExceptions(context, () -> regionSnapshot, resources.memoryBytes(),
          attachment(TagRegistry.class, TagRegistry::new), new StoreExceptions.HostAllocation() {
            @Override
            public long allocate(long bytes, long[] held) {
              return allocateForHostThrow(bytes, held);
            }

            @Override
            public void collect(long[] held) {
              collectForHostThrow(held);
            }
          });
    }
    exceptions.install(executor);
    return exceptions;
  }


  /** The store context; its address goes into every VMContext's first field. */
  public MemorySegment context() {
    return context;
  }

  /**
   * The ValRaw array every {@link DirectEntry} of the store passes its arguments and results in
   * ({@link DirectEntry#MAX_SLOTS} slots): one per store, freed with the context, written only by
   * the thread that has claimed the store for the call.
   */
  MemorySegment directCallSlots() {
    return directCallSlots;
  }

  /**
   * The scratch block every entry into the store passes its executor ({@link
   * Executor#callArrayEntry}): one per store, freed with the context, written only by the thread
   * that has claimed the store for the entry.
   */
  MemorySegment entryScratch() {
    return entryScratch;
  }

  public long headroom() {
    return headroom;
  }

  public synchronized long maxWasmStack() {
    checkNotClosed();
    return (long) MAX_WASM_STACK.get(context, 0L);
  }

  /** The current stack limit: 0 outside wasm, else what the innermost entry set. */
  public synchronized long stackLimit() {
    checkNotClosed();
    return (long) STACK_LIMIT.get(context, 0L);
  }

  /** The lowest stack limit the next outermost entry on this thread may set (0 before any entry). */
  public synchronized long stackFloor() {
    checkNotClosed();
    return (long) STACK_FLOOR.get(context, 0L);
  }

  /** SP saved by the innermost entry: 0 outside wasm. */
  public synchronized long entrySp() {
    checkNotClosed();
    return (long) ENTRY_SP.get(context, 0L);
  }

  // ---------------------------------------------------------------- epoch deadline and fuel

  /** The epoch counter this store's code reads; any thread may increment it. */
  public Epoch epoch() {
    return epoch;
  }

  /**
   * Code compiled with epoch interruption traps with {@code INTERRUPT} at its next check (a loop
   * header, or the entry of a function that calls) once the epoch has advanced {@code ticks} past
   * its current value (Wasmtime's {@code Store::set_epoch_deadline}). Until this is called the
   * deadline is 0, which the first check reaches. A deadline that has passed stays passed: after
   * an interrupt, set a new one before calling into the store's code again. Set on the store's
   * thread, before an entry or from a host function (code reads it again after each call).
   *
   * @param ticks increments of the epoch the code may run for, {@code >= 0} (the deadline is a
   *     u64: {@code Long.MAX_VALUE} ticks is never reached in practice)
   */
  public synchronized void setEpochDeadline(long ticks) {
    if (ticks < 0) {
      throw new IllegalArgumentException("epoch deadline ticks must be >= 0, got " + ticks);
    }
    checkNotClosed();
    EPOCH_DEADLINE.set(context, 0L, epoch.current() + ticks);
  }

  /** The epoch at which this store's code traps (unsigned). */
  public synchronized long epochDeadline() {
    checkNotClosed();
    return (long) EPOCH_DEADLINE.get(context, 0L);
  }

  /**
   * Gives code compiled with fuel metering {@code fuel} units to run on (one per wasm operator,
   * artifact.vm.ExecutionLimits): once they are spent it traps with {@code OUT_OF_FUEL} at its next
   * function entry or loop header. A fresh store has none (Wasmtime's {@code Store::set_fuel}).
   *
   * @param fuel {@code >= 0}
   */
  public synchronized void setFuel(long fuel) {
    if (fuel < 0) {
      throw new IllegalArgumentException("fuel must be >= 0, got " + fuel);
    }
    checkNotClosed();
    FUEL_CONSUMED.set(context, 0L, -fuel);
  }

  /**
   * Spends {@code units} of fuel on work done for the store outside compiled code (instantiation's
   * items, see {@code loader.instance.InstantiationDeadline}).
   *
   * @return false once the fuel is spent (the caller traps with {@code OUT_OF_FUEL}, as code would)
   * @throws IllegalStateException if the store is closed
   */
  public synchronized boolean spendFuel(long units) {
    checkNotClosed();
    long consumed = (long) FUEL_CONSUMED.get(context, 0L) + units;
    FUEL_CONSUMED.set(context, 0L, consumed);
    return consumed <= 0;
  }

  /**
   * The fuel left: what {@link #setFuel} gave minus what code compiled with fuel metering has
   * written back as consumed (at calls, returns and its out-of-fuel trap), 0 once spent. The checks
   * run at entries and loop headers, so code may spend a little past 0 before it traps.
   */
  public synchronized long fuel() {
    checkNotClosed();
    long consumed = (long) FUEL_CONSUMED.get(context, 0L);
    return consumed >= 0 ? 0 : -consumed;
  }

  /** Adds {@code fuel} to {@link #fuel()} (saturating), e.g. to refill a store whose code ran out. */
  public synchronized void addFuel(long fuel) {
    if (fuel < 0) {
      throw new IllegalArgumentException("fuel must be >= 0, got " + fuel);
    }
    long left = fuel();
    setFuel(left > Long.MAX_VALUE - fuel ? Long.MAX_VALUE : left + fuel);
  }

  /**
   * The executor that runs code compiled for {@code target} in this store, created on first use.
   *
   * @throws IncompatibleArtifactException if this host runs no code of that target
   */
  public synchronized Executor executorFor(Target target) {
    checkNotClosed();
    Executor executor = executors.get(target);
    if (executor == null) {
      executor = Executors.create(target).orElseThrow(() -> new IncompatibleArtifactException(
          "this host (" + System.getProperty("os.arch") + ") cannot run " + target.displayName() + " code"));
      executors.put(target, executor);
    }
    return executor;
  }

  /**
   * Claims the store for an entry on the current thread into code {@code executor} runs; pair with
   * {@link #exit()}. The outermost entry sets the stack floor from this thread's stack.
   *
   * @throws IllegalStateException if another thread is using the store, or it is closed
   * @throws TrapException with {@code HOST_CALL_DEPTH_EXCEEDED} if this entry, made from a host function,
   *     would nest deeper than {@link StoreLimits#maxHostCallDepth}: the compiled code's stack
   *     check sees only wasm frames, and the Java frames of each level (about 10 KiB a level on the
   *     emulator, which runs wasm on a stack of its own) would otherwise end in a Java {@code
   *     StackOverflowError}
   */
  void enter(Executor executor) {
    claim.acquire(this, "run wasm in it");
    if (closed) {
      claim.release();
      throw closedException();
    }
    if (entries > resources.limits().maxHostCallDepth()) {
      claim.release();
      throw new TrapException(TrapCode.HOST_CALL_DEPTH_EXCEEDED, 0, new long[0]);
    }
    if (entries++ == 0) {
      setStackFloor(executor);
    }
  }

  /** The limits this store was made with. */
  StoreLimits limits() {
    return resources.limits();
  }

  /** The outermost entry's stack floor, unless the context holds this thread's and executor's already. */
  private void setStackFloor(Executor executor) {
    Thread current = Thread.currentThread();
    if (current == floorThread && executor == floorExecutor) {
      return;
    }
    // A leaf may use UNCHECKED_LEAF_FRAME bytes below the limit without checking.
    STACK_FLOOR.set(context, 0L, executor.stackLow() + headroom + StoreLayout.UNCHECKED_LEAF_FRAME);
    boolean fixedStack = !current.isVirtual();
    floorThread = fixedStack ? current : null;
    floorExecutor = fixedStack ? executor : null;
  }

  void exit() {
    try {
      if (--entries == 0) {
        // No wasm of this store is on the stack any more: free what was closed while it ran.
        while (!freeAfterExit.isEmpty()) {
          freeAfterExit.removeFirst().free();
        }
      }
    } finally {
      claim.release();
    }
  }

  /**
   * Runs {@code body} with the store claimed for the current thread: instantiation (nothing else
   * may run in the store while an instance is wired into it) and calls from Java (nothing can free
   * the callee between the check that it is open and the entry).
   *
   * @param action what the body does, for the message if another thread holds the store
   * @throws IllegalStateException if another thread is using the store, or it is closed
   */
  public <T> T exclusive(String action, Supplier<T> body) {
    claim.acquire(this, action);
    try {
      checkNotClosed();
      return body.get();
    } finally {
      claim.release();
    }
  }

  // ---------------------------------------------------------------- lifetimes of the store's objects

  /**
   * Makes {@code name}'s lifetime in this store: {@code free} runs once, when the handle is closed
   * and nothing uses the object any more, or when the store closes.
   *
   * @param pinned whether the object's function references may leave it from the start, so it
   *     lives until the store closes
   * @throws IllegalStateException if the store is closed
   */
  public synchronized Lifetime adopt(String name, Runnable free, boolean pinned) {
    checkNotClosed();
    Lifetime lifetime = new Lifetime(this, name, free, pinned);
    live.add(lifetime);
    return lifetime;
  }

  synchronized void use(Lifetime lifetime) {
    if (!lifetime.handleOpen() || lifetime.freed()) {
      throw new IllegalStateException(lifetime + " is closed; nothing new can link to it");
    }
    lifetime.addUser();
  }

  void release(Lifetime lifetime) {
    synchronized (this) {
      if (lifetime.freed()) {
        return;
      }
      lifetime.removeUser();
      // While the store closes, it frees everything itself, in reverse order of creation.
      if (closed || !lifetime.unused()) {
        return;
      }
      live.remove(lifetime);
      if (entries > 0) {
        // Wasm of this store is on the stack and may be running the object's code: free it when
        // the outermost entry returns (only the claiming thread gets here, see closeHandle).
        freeAfterExit.add(lifetime);
        return;
      }
    }
    lifetime.free();
  }

  synchronized void pin(Lifetime lifetime) {
    lifetime.markPinned();
  }

  void closeHandle(Lifetime lifetime) {
    if (lifetime.freed()) {
      return;
    }
    claim.acquire(this, "close " + lifetime);
    try {
      synchronized (this) {
        if (!lifetime.handleOpen()) {
          return;
        }
        lifetime.closeHandleState();
      }
      release(lifetime);
    } finally {
      claim.release();
    }
  }

  /**
   * Registers {@code count} VMFuncRefs of {@code owner} starting at address {@code first} (an
   * instance's {@code func_ref} array, a host function's one record), so {@link
   * #checkFunctionReference} accepts them while the owner lives.
   */
  public synchronized void registerFunctionReferences(long first, int count, Lifetime owner) {
    if (count > 0) {
      functionReferences.put(first, new FunctionReferences(first, count, owner));
    }
  }

  /** Undoes {@link #registerFunctionReferences} of the array at {@code first}. */
  public synchronized void unregisterFunctionReferences(long first) {
    functionReferences.remove(first);
  }

  /**
   * Checks a funcref value that Java hands to this store (a call argument, a table or global
   * write, a host function's result): 0 (null) or the address of a VMFuncRef of a live object of
   * this store. Compiled code calls through such a value without further checks, so a garbage or
   * foreign address would crash the JVM. The owner is pinned: the value may be stored anywhere now.
   *
   * @throws IllegalArgumentException if {@code value} is neither
   */
  public synchronized void checkFunctionReference(long value) {
    if (value == 0) {
      return;
    }
    FunctionReferences refs = registeredAt(value);
    if (refs == null) {
      // The word is not echoed: it may be a host address (another store's VMFuncRef, a pointer into
      // this one's), and messages show no host addresses (docs/SECURITY.md section 9).
      throw new IllegalArgumentException("the word given is not a function reference of " + name
          + " (a funcref value must be 0 or come from this store: an exported function's address, a table slot"
          + " or a global of it)");
    }
    refs.owner().markPinned();
  }

  /**
   * The owner of the VMFuncRef at {@code value} while one is registered there ({@link
   * #registerFunctionReferences}): what tells a reference Java kept from a freed instance apart
   * from a later one at the same address (a pooled slot reused).
   */
  public synchronized java.util.Optional<Lifetime> functionReferenceOwner(long value) {
    FunctionReferences refs = registeredAt(value);
    return refs == null ? java.util.Optional.empty() : java.util.Optional.of(refs.owner());
  }

  /** The registered VMFuncRef array {@code value} is an element of, or null. */
  private FunctionReferences registeredAt(long value) {
    Map.Entry<Long, FunctionReferences> below = functionReferences.floorEntry(value);
    FunctionReferences refs = below == null ? null : below.getValue();
    long offset = refs == null ? -1 : value - refs.first();
    if (refs == null || offset % VmLayout.FUNC_REF_SIZE != 0 || offset / VmLayout.FUNC_REF_SIZE >= refs.count()) {
      return null;
    }
    return refs;
  }

  /**
   * {@link #checkFunctionReference(long)}, and that the value has type {@code expected} (closed:
   * its heap type abstract or canonical): not null where the type is non-nullable, and a function
   * whose own type is a subtype of a concrete heap type (spec 3.0 3.3.x), since compiled code
   * ({@code call_ref}) trusts a reference's static type without a check.
   *
   * @throws IllegalArgumentException if the value is not one of the store's, or not of that type
   */
  public void checkFunctionReference(long value, RefType expected) {
    checkFunctionReference(value);
    if (value == 0) {
      checkNullable(expected);
      return;
    }
    boolean matches = switch (expected.heap()) {
      case HeapType.Canonical c -> types.isSubtype(
          MemorySegment.ofAddress(value).reinterpret(VmLayout.FUNC_REF_SIZE).get(JAVA_INT, VmLayout.FUNC_REF_TYPE_ID),
          c.type());
      case HeapType.Abstract a -> a == HeapType.Abstract.FUNC;
      default -> false;
    };
    if (!matches) {
      throw new IllegalArgumentException("a function of another type where " + expected + " is expected");
    }
  }

  /**
   * Checks a reference Java hands to this store (a call argument, a table or global write) against
   * the precise type it is written as, which compiled code trusts (spec 3.0 3.3.x: a value of
   * {@code (ref ht)} is never null, one of a bottom heap type {@code none}/{@code noextern}/{@code
   * nofunc}/{@code noexn} is always null): a reference of the func hierarchy as {@link
   * #checkFunctionReference(long, RefType)} does; a struct or array by its header's type id; any
   * other reference, opaque to the store (an externref, a word of the any hierarchy), only against
   * those two rules. The hierarchy comes from the precise type, never from {@code kind}: the
   * artifact represents a concrete struct or array type as a funcref (wasm.types.RefType.kind).
   *
   * @param kind the value's type as the API sees it
   * @param value the reference's bits, 0 for null
   * @param precise the slot's precise type (closed: its heap type abstract or canonical)
   * @throws IllegalArgumentException if the type forbids the value
   */
  public void checkReference(dev.kiln.artifact.info.ValType kind, long value, dev.kiln.wasm.types.ValueType precise) {
    if (!(precise instanceof RefType expected)) {
      return;
    }
    if (inFuncHierarchy(expected.heap())) {
      checkFunctionReference(value, expected);
      return;
    }
    if (value == 0) {
      checkNullable(expected);
      return;
    }
    if (expected.heap() instanceof HeapType.Abstract heap && holdsOnlyNull(heap)) {
      throw new IllegalArgumentException("a non-null reference where " + expected + " is expected (its only value"
          + " is null)");
    }
    if (expected.heap() instanceof HeapType.Abstract heap && heap.top() == HeapType.Abstract.EXN) {
      checkExceptionWord(value);
      return;
    }
    ObjectKind object = objectKind(value);
    if (object == ObjectKind.NONE) {
      checkAnyHierarchyWord(value, expected);
    } else {
      checkObjectWord(value, object, expected);
    }
  }

  /**
   * Java is given a handle for the exception object {@code word} of this store (an exnref result):
   * its tag stays in the store's registry from now on ({@link StoreExceptions#heldByJava}).
   */
  public synchronized void exceptionHeldByJava(long word) {
    checkNotClosed();
    if (exceptions != null) {
      exceptions.heldByJava(word);
    }
  }

  /**
   * An exnref the host hands in (spec 3.0 2.3.4: a reference to an exception object) must be one
   * of this store's exception objects: compiled code reads the word as one ({@code throw_ref} takes
   * its tag and payload, the unwinder hands it to a handler), so a made-up word would be a read of
   * any address. Java holds exception objects only through the store's {@link ObjectHandles} (which
   * keep them alive and follow them when a collection moves them), so the word must be one a
   * handle holds now.
   */
  private synchronized void checkExceptionWord(long value) {
    if (!attached(ObjectHandles.class).map(handles -> handles.holds(value)).orElse(false)) {
      throw new IllegalArgumentException("an exnref that is not an exception object of " + name + " (an exception"
          + " reference goes back only to the store that made it)");
    }
  }

  /**
   * A struct or array of this store's heap, which Java holds only through the store's {@link
   * ObjectHandles} (the API refuses any other word inside the heap, {@link #inGcHeap}), is a value of
   * {@code expected} if its kind or its type is (spec 3.0 3.3.x): any and eq take both kinds, an
   * externref takes one converted by {@code extern.convert_any} (the same word), a concrete type the
   * object's own type id or one of its subtypes, read from the header (ObjectLayout.TYPE_ID) as
   * {@code ref.cast} reads it.
   */
  private void checkObjectWord(long word, ObjectKind object, RefType expected) {
    boolean matches = switch (expected.heap()) {
      case HeapType.Canonical c -> types.isSubtype(
          MemorySegment.ofAddress(word).reinterpret(ObjectLayout.FIELDS).get(JAVA_INT, ObjectLayout.TYPE_ID), c.type());
      case HeapType.Abstract a -> switch (a) {
        case ANY, EQ, EXTERN -> true;
        case STRUCT -> object == ObjectKind.STRUCT;
        case ARRAY -> object == ObjectKind.ARRAY;
        default -> false;
      };
      default -> false;
    };
    if (!matches) {
      throw new IllegalArgumentException("a " + object.name().toLowerCase(java.util.Locale.ROOT) + " of another type"
          + " where " + expected + " is expected");
    }
  }

  /**
   * Whether {@code word}, a host reference Java hands to this store (not an i31, {@link
   * ReferenceWord}), lies in the address range reserved for the store's GC heap, both semispaces,
   * allocated or not yet: a word from Java there could be taken for an object, or become one as the
   * heap grows or a collection flips the semispaces, so the API lets objects in only as {@link
   * ObjectHandles} slots and refuses such words.
   *
   * <p>The heap is reserved here if it is not yet: compiled code takes any 8-aligned word inside
   * the heap for an object, so whether a word is one must not depend on when the heap was reserved.
   * A word checked before the reservation exists could otherwise land inside it once a GC module is
   * instantiated (red team 10 F2). From the first host word on, the range is fixed for the store's
   * life (a reservation never moves), and every host word that entered lies outside it.
   *
   * @throws ResourceLimitException if the store's address-space share has no room for the heap
   */
  public synchronized boolean inGcHeap(long word) {
    checkNotClosed();
    if (ReferenceWord.isI31(word)) {
      return false;
    }
    ensureGcHeap();
    return gcHeap.reserves(word);
  }

  /** Null is a value of {@code expected} only if it is nullable (spec 3.0 3.3.x). */
  private static void checkNullable(RefType expected) {
    if (!expected.nullable()) {
      throw new IllegalArgumentException("null where a non-nullable " + expected + " is expected");
    }
  }

  /**
   * Compiled code trusts a word's type in the any hierarchy (spec 3.0 2.3.3): a struct or array word
   * is dereferenced ({@code array.len} reads the length of any {@code arrayref}), an {@code eqref} is
   * compared by its bits, an odd word is taken for an i31 ({@link ReferenceWord}). Java holds no GC
   * objects, so from Java a struct or array reference can only be null, an {@code i31ref} or {@code
   * eqref} only a canonical i31 word (tagged, its high half zero), and an odd host word anywhere
   * (externref, anyref) only a canonical i31 too: one with high bits set would pass every i31 test
   * yet compare unequal to the same i31 (red team 8 F1, F3).
   */
  private static void checkAnyHierarchyWord(long value, RefType expected) {
    boolean canonicalI31 = ReferenceWord.isCanonicalI31(value);
    boolean refused = switch (expected.heap()) {
      case HeapType.Canonical c -> true;
      case HeapType.Abstract a -> switch (a) {
        case STRUCT, ARRAY -> true;
        case EQ, I31 -> !canonicalI31;
        default -> ReferenceWord.isI31(value) && !canonicalI31;
      };
      default -> false;
    };
    if (refused) {
      throw new IllegalArgumentException("a reference Java cannot give where " + expected + " is expected: Java"
          + " holds no struct or array, and an i31 only as its canonical word");
    }
  }

  /** Whether closed heap type {@code heap} is func, nofunc or a defined function type (spec 3.0 2.3.3). */
  private static boolean inFuncHierarchy(HeapType heap) {
    return switch (heap) {
      case HeapType.Abstract a -> a.top() == HeapType.Abstract.FUNC;
      case HeapType.Canonical c -> c.type().subType().composite() instanceof dev.kiln.wasm.types.FuncType;
      default -> throw new IllegalArgumentException("not a closed heap type: " + heap);
    };
  }

  /** Whether {@code heap} is a bottom type, whose references are all null (spec 3.0 2.3.3). */
  private static boolean holdsOnlyNull(HeapType.Abstract heap) {
    return switch (heap) {
      case NONE, NOEXTERN, NOFUNC, NOEXN, BOT -> true;
      default -> false;
    };
  }

  private record FunctionReferences(long first, int count, Lifetime owner) {}

  /** Whether {@link #close()} has run. */
  public boolean isClosed() {
    return closed;
  }

  private void checkNotClosed() {
    if (closed) {
      throw closedException();
    }
  }

  private IllegalStateException closedException() {
    return new IllegalStateException(name + " is closed");
  }

  @Override
  public String toString() {
    return name;
  }

  /**
   * The runtime id of the WebAssembly 2.0 function type {@code type} (a host function's: final,
   * without supertypes, its own recursion group), the one every module of the engine gives it.
   */
  public int typeId(dev.kiln.artifact.info.FuncType type) {
    return types.plainId(type);
  }

  /** The runtime type ids of the engine this store belongs to ({@link RuntimeTypes}). */
  public RuntimeTypes types() {
    return types;
  }

  /**
   * Registers {@code region} (a module's mapped code) for backtraces: a trap's return addresses are
   * resolved against every region of the store, since wasm frames of several modules can be on the
   * stack (imports calling into other instances). Registered once per instance; see {@link
   * #unregisterCode}.
   */
  public synchronized void registerCode(CodeRegion region) {
    codeRegions.merge(region, 1, Integer::sum);
    regionSnapshot = List.copyOf(codeRegions.keySet());
  }

  /** Undoes one {@link #registerCode} of {@code region}. */
  public synchronized void unregisterCode(CodeRegion region) {
    codeRegions.computeIfPresent(region, (r, n) -> n == 1 ? null : n - 1);
    regionSnapshot = List.copyOf(codeRegions.keySet());
  }

  /**
   * The store's one {@code type} object, made by {@code factory} on first use: state other packages
   * keep per store (the host-call switchboard, the registry of live instances) without this package
   * knowing them.
   */
  public synchronized <T> T attachment(Class<T> type, java.util.function.Supplier<? extends T> factory) {
    Object existing = attachments.get(type);
    if (existing == null) {
      existing = java.util.Objects.requireNonNull(factory.get(), "factory result");
      attachments.put(type, existing);
    }
    return type.cast(existing);
  }

  /** The store's {@code type} object, if {@link #attachment} made one. */
  public synchronized <T> java.util.Optional<T> attached(Class<T> type) {
    return java.util.Optional.ofNullable(type.cast(attachments.get(type)));
  }

  /**
   * Closes {@code resource} when the store closes, after its objects are freed and before the
   * executors and the store context: state other packages keep per store (the host-call entries),
   * and whatever an embedder wants gone with the store.
   *
   * @throws IllegalStateException if the store is closed
   */
  public synchronized void closeWithStore(AutoCloseable resource) {
    checkNotClosed();
    closeWithStore.add(java.util.Objects.requireNonNull(resource, "resource"));
  }

  /**
   * Gives the store its GC heap ({@link GcHeap}) unless it has one: called before an instance whose
   * module has struct or array types runs any code, since its code allocates in the heap the store
   * context describes.
   *
   * @throws ResourceLimitException if the store's address-space share has no room for it
   * @throws IllegalStateException if the store is closed
   */
  public synchronized void ensureGcHeap() {
    checkNotClosed();
    if (gcHeap == null) {
      gcHeap = GcHeap.reserve(context, resources, name, GcStress.enabled());
      closeWithStore.add(gcHeap);
    }
  }

  /**
   * The store's entry for compiled code's allocation slow path ({@link GcSlowPath}), installed for
   * code {@code executor} runs; made on first use.
   *
   * @throws IllegalStateException if GC code of another target runs in the store, or it is closed
   */
  public synchronized void installGcSlowPath(Executor executor) {
    checkNotClosed();
    if (gcSlowPath == null) {
      gcSlowPath = new GcSlowPath(context, new GcSlowPath.Store() {
        @Override
        public GcHeap heap() {
          return closed ? null : gcHeap;
        }

        @Override
        public List<WasmFrameRoots.Chain> chains(long runningFp) {
          return frameChains(runningFp);
        }

        @Override
        public List<CodeRegion> regions() {
          return regionSnapshot;
        }

        @Override
        public void walkFailed(FrameWalkException failure) {
          frameWalkFailure = failure;
        }

        @Override
        public List<GcRoots> otherRoots() {
          return allGcRoots();
        }

        @Override
        public GcCollector.Shape shape(int typeId) {
          return gcShape(typeId);
        }
      }, this);
    }
    gcSlowPath.install(executor);
  }

  /**
   * The chains of wasm frames of every activation of the store, innermost first: from {@code
   * runningFp} up to the innermost entry when wasm runs (nonzero: the slow path's frame), then
   * each one waiting in a host call; null, with the refusal counted, when one cannot be walked
   * ({@link SuspendedActivations#unwalkable}).
   */
  private List<WasmFrameRoots.Chain> frameChains(long runningFp) {
    if (suspended.unwalkable(entries, runningFp != 0) != null) {
      return null;
    }
    List<WasmFrameRoots.Chain> chains = new ArrayList<>();
    if (runningFp != 0) {
      chains.add(new WasmFrameRoots.Chain(runningFp, context.get(JAVA_LONG, StoreLayout.ENTRY_FP)));
    }
    for (SuspendedActivations.Suspended s : suspended.innermostFirst()) {
      chains.add(new WasmFrameRoots.Chain(s.exitFp(), s.entryFp()));
    }
    return chains;
  }

  /**
   * Called by the host-call dispatch first thing, on the thread that holds the store: wasm of the
   * store called one of its host functions, so the calling activation waits ({@link
   * SuspendedActivations}) until {@link #hostCallReturned()}. In the debug mode that collects at
   * every safepoint ({@link GcStress}), the store collects here, with every activation's frames
   * among the roots: a call out to the host is a call safepoint of every wasm frame on the stack.
   *
   * @throws TrapException with {@code GC_FRAME_WALK_FAILED} if that collection's walk found frames
   *     compiled code does not leave (the call is then not recorded)
   */
  public void hostCallEntered() {
    suspended.suspend();
    try {
      collectAtHostCallInDebugMode();
    } catch (RuntimeException | Error e) {
      suspended.resume(); // the dispatch pairs only a call that entered with hostCallReturned
      throw e;
    }
  }

  private void collectAtHostCallInDebugMode() {
    GcHeap heap;
    synchronized (this) {
      heap = closed ? null : gcHeap;
    }
    if (heap == null || !heap.collectsAlways()) {
      return;
    }
    synchronized (this) {
      List<WasmFrameRoots.Chain> chains = frameChains(0);
      if (chains == null) {
        return;
      }
      try {
        List<GcRoots> roots = allGcRoots();
        roots.add(WasmFrameRoots.walk(chains, regionSnapshot));
        heap.collect(context, this::gcShape, roots, true);
      } catch (FrameWalkException failed) {
        throw new TrapException(TrapCode.GC_FRAME_WALK_FAILED, 0, new long[0], regionSnapshot, failed);
      }
    }
  }

  /** The host call {@link #hostCallEntered()} recorded returned, or failed. */
  public void hostCallReturned() {
    suspended.resume();
  }

  /**
   * Each collection's pause and the live bytes it copied, the latest one by one ({@link GcPauses});
   * all zero without a heap.
   */
  public synchronized GcPauses.Snapshot gcPauses() {
    return gcHeap == null ? new GcPauses().snapshot() : gcHeap.pauses();
  }

  /** How many collections the store's heap has made (0 without a heap): for tests and diagnostics. */
  public synchronized long gcCollections() {
    return gcHeap == null ? 0 : gcHeap.collections();
  }

  /**
   * How many of compiled code's allocation slow paths could not collect ({@link GcSlowPath}: an
   * activation whose frames were not recorded waited in a host call).
   */
  public synchronized long gcRefusals() {
    return gcSlowPath == null ? 0 : gcSlowPath.refusals();
  }

  private GcSlowPath gcSlowPath;

  /** The GC roots outside the heap ({@link #registerGcRoots}), in registration order. */
  private final List<GcRoots> gcRoots = new java.util.ArrayList<>();
  /** Each runtime type id's object shape, computed on first use. */
  private final Map<Integer, GcCollector.Shape> gcShapes = new java.util.HashMap<>();

  /**
   * Adds {@code roots} to what every collection of this store's heap keeps alive and rewrites, until
   * the returned handle is closed: an instance's reference globals and tables, the public API's
   * handle table of the references Java holds.
   */
  public synchronized AutoCloseable registerGcRoots(GcRoots roots) {
    gcRoots.add(roots);
    return () -> unregisterGcRoots(roots);
  }

  /**
   * {@link #registerGcRoots} until {@code owner} closes: the roots of a host global or table, whose
   * words live in that arena.
   */
  public void registerGcRoots(GcRoots roots, java.lang.foreign.Arena owner) {
    registerGcRoots(roots);
    MemorySegment.NULL.reinterpret(owner, unused -> unregisterGcRoots(roots));
  }

  private synchronized void unregisterGcRoots(GcRoots roots) {
    gcRoots.remove(roots);
  }

  /**
   * Collects the store's GC heap now, from the host, with no wasm code of the store running: the
   * roots are the registered ones ({@link #registerGcRoots}), the public API's object handles and
   * {@code held}, further words the caller holds, which are rewritten in place. With {@code verify} the heap is checked afterwards ({@link
   * HeapVerifier}).
   *
   * @return the live bytes, 0 when the store has no heap
   * @throws IllegalStateException if the store is closed or its heap is damaged, or wasm code of the
   *     store is running (a host function called this)
   */
  public synchronized long collectGarbage(long[] held, boolean verify) {
    checkNotClosed();
    if (gcHeap == null) {
      return 0;
    }
    if (entries > 0) {
      // a host function of this store called us: the wasm frames below it hold references that
      // only compiled code's slow path can find (GcSlowPath)
      throw new IllegalStateException(name + ": a collection from the host while wasm code of the store runs"
          + " would miss its frames' references; the guest's allocations collect");
    }
    List<GcRoots> roots = allGcRoots();
    roots.add(relocate -> {
      for (int i = 0; i < held.length; i++) {
        held[i] = relocate.applyAsLong(held[i]);
      }
    });
    return gcHeap.collect(context, this::gcShape, roots, verify);
  }

  /**
   * Checks the store's GC heap ({@link HeapVerifier}) with the registered roots and {@code held}.
   *
   * @return how many objects the heap holds
   * @throws IllegalStateException naming the first violation
   */
  public synchronized int verifyHeap(long[] held) {
    checkNotClosed();
    if (gcHeap == null) {
      return 0;
    }
    return gcHeap.verify(context, this::gcShape, allGcRoots(), held);
  }

  /**
   * The registered roots, the objects Java holds through the public API ({@link ObjectHandles},
   * if the store has made its table: a handle keeps its object alive and names it after a move) and
   * the exceptions the exception runtime holds ({@link StoreExceptions#roots}).
   */
  private List<GcRoots> allGcRoots() {
    List<GcRoots> roots = new java.util.ArrayList<>(gcRoots);
    attached(ObjectHandles.class).ifPresent(handles -> roots.add(handles::relocate));
    if (exceptions != null) {
      roots.add(exceptions.roots());
    }
    return roots;
  }

  /**
   * The object of an exception a host function throws into wasm ({@link StoreExceptions#throwFromHost}):
   * {@code bytes} of the GC heap (reserved now if the store has none), from the heap's slow path,
   * which collects when it must with every activation's frames among the roots (the host call's
   * caller waits in it, {@link #hostCallEntered}) and {@code held}, the payload's words, rewritten
   * in place; without a collection where an activation cannot be walked. 0 when they do not fit.
   */
  private synchronized long allocateForHostThrow(long bytes, long[] held) {
    ensureGcHeap();
    List<WasmFrameRoots.Chain> chains = frameChains(0);
    if (chains == null) {
      return gcHeap.allocateSlow(context, bytes, null, this::gcShape);
    }
    return gcHeap.allocateSlow(context, bytes, () -> hostThrowRoots(chains, held), this::gcShape);
  }

  /** {@link StoreExceptions.HostAllocation#collect}: a collection now, unless an activation cannot be walked. */
  private synchronized void collectForHostThrow(long[] held) {
    List<WasmFrameRoots.Chain> chains = gcHeap == null ? null : frameChains(0);
    if (chains != null) {
      gcHeap.collect(context, this::gcShape, hostThrowRoots(chains, held), gcHeap.collectsAlways());
    }
  }

  /** Every root while a host function throws into wasm: the store's, the waiting frames', {@code held}. */
  private List<GcRoots> hostThrowRoots(List<WasmFrameRoots.Chain> chains, long[] held) {
    List<GcRoots> roots = allGcRoots();
    roots.add(WasmFrameRoots.walk(chains, regionSnapshot));
    roots.add(relocate -> {
      for (int i = 0; i < held.length; i++) {
        held[i] = relocate.applyAsLong(held[i]);
      }
    });
    return roots;
  }

  private GcCollector.Shape gcShape(int id) {
    return gcShapes.computeIfAbsent(id, i -> GcCollector.shapeOf(types.type(i).subType().composite()));
  }

  /** What a reference word is to this store (a script runner's, a debugger's view; compiled code has its own test). */
  public enum ObjectKind {
    /** Not an object of this store's heap: null, an i31, a function or host reference. */
    NONE,
    STRUCT,
    ARRAY
  }

  /**
   * Whether {@code word} is a struct or array object of this store's heap, by the test compiled
   * casts make: 8-aligned and inside the allocated part, then the header's word 4.
   */
  public synchronized ObjectKind objectKind(long word) {
    checkNotClosed();
    long base = context.get(JAVA_LONG, StoreLayout.GC_HEAP_BASE);
    long top = context.get(JAVA_LONG, StoreLayout.GC_HEAP_TOP);
    if (word == 0 || (word & (ObjectLayout.ALIGNMENT - 1)) != 0
        || Long.compareUnsigned(word - base, top - base) >= 0) {
      return ObjectKind.NONE;
    }
    int lengthOrMark = MemorySegment.ofAddress(word).reinterpret(ObjectLayout.FIELDS).get(JAVA_INT, ObjectLayout.LENGTH);
    return lengthOrMark < 0 ? ObjectKind.STRUCT : ObjectKind.ARRAY;
  }

  /**
   * Allocates {@code bytes} of the store's GC heap for an object the loader makes (a constant
   * expression's {@code struct.new} or {@code array.new}), as compiled code would.
   *
   * @throws TrapException with {@code GC_HEAP_EXHAUSTED} when the heap has no room within the limits
   * @throws IllegalStateException if the store has no heap ({@link #ensureGcHeap}) or is closed
   */
  public synchronized long allocateObject(long bytes) {
    checkNotClosed();
    if (gcHeap == null) {
      throw new IllegalStateException(name + " has no GC heap");
    }
    return gcHeap.allocate(context, bytes);
  }

  /**
   * Tells the store which throwables of a host function are wasm exceptions (WebAssembly 3.0
   * section 4.5.3: the host may throw an exception of any tag of the store into its caller):
   * {@code translator} gives the exception to throw, or null for any other failure. The API layer
   * sets it once (its {@code WasmThrow}); the loader knows no API type.
   */
  public void hostExceptions(Function<Throwable, ThrownException> translator) {
    hostExceptions = translator;
  }

  /**
   * A host function called from wasm threw {@code failure}, just before its upcall returns {@code
   * false}: a wasm exception ({@link #hostExceptions}) of a tag of this store becomes the pending
   * exception its trampoline throws into the wasm caller ({@code codegen.abi.HostCallFailure});
   * anything else, or one that cannot be thrown (a tag of another store, a payload not of the
   * tag's type, no room under the memory limit), is recorded as the host's failure, which no wasm
   * frame can catch.
   *
   * <p>Whatever the translation throws is recorded in place of the exception it could not throw,
   * an {@link Error} too (a {@code StackOverflowError} or {@code OutOfMemoryError} while converting
   * the payload, an {@code AssertionError} of the translator): it runs inside the upcall, where it
   * was swallowed, and the entry then trapped with no cause at all. Nothing is left pending: the
   * object is made and set pending last ({@link StoreExceptions#throwFromHost}), and any trap's
   * entry clears the pending word ({@link #recordedTrap}).
   */
  public void hostFailed(Throwable failure) {
    try {
      Function<Throwable, ThrownException> translator = hostExceptions;
      ThrownException thrown = translator == null ? null : translator.apply(failure);
      if (thrown == null) {
        recordHostFailure(failure);
        return;
      }
      checkThrowable(thrown);
      StoreExceptions runtime;
      synchronized (this) {
        runtime = exceptions;
      }
      if (runtime == null) {
        // No code of the store has a host-call trampoline, hence none that could catch it.
        recordHostFailure(failure);
      } else if (!runtime.throwFromHost(thrown.tag(), thrown.payload(), failure)) {
        recordHostFailure(new TrapException(TrapCode.GC_HEAP_EXHAUSTED, 0, new long[0]));
      }
    } catch (Throwable e) {
      recordHostFailure(e);
    }
  }

  /**
   * Refuses an exception a host function cannot throw into this store's code: its tag must be one
   * the store's {@link TagRegistry} holds, a live instance's or one an exception object carries (a tag of another store has no meaning in its handlers, and
   * its identity could match nothing or, worse, be taken for another) and its payload of the tag's
   * types. A reference is checked against the tag parameter's precise type by {@link
   * #checkReference}, the one check every reference Java hands to the store passes (an argument, a
   * global, a table slot, a host function's result): the handler that catches the exception trusts
   * that type as a function trusts its parameters' (a {@code (ref $ft)} is called without a check).
   */
  private void checkThrowable(ThrownException thrown) {
    ExceptionTag known = attachment(TagRegistry.class, TagRegistry::new).tag(thrown.tag().identity()).orElse(null);
    if (known == null) {
      throw new IllegalArgumentException("a host function threw a wasm exception of a tag of another store"
          + " or of a freed instance; a host function throws only tags its store still holds");
    }
    List<dev.kiln.artifact.info.ValType> types = known.type().params();
    List<WasmValue> payload = thrown.payload();
    if (payload.size() != types.size()) {
      throw new IllegalArgumentException("a host function threw a wasm exception of " + payload.size()
          + " values for a tag of " + types.size());
    }
    for (int i = 0; i < types.size(); i++) {
      if (payload.get(i).type() != types.get(i)) {
        throw new IllegalArgumentException("a host function threw a wasm exception whose value " + i + " is "
            + payload.get(i).type() + " for a tag whose parameter " + i + " is " + types.get(i));
      }
      if (payload.get(i) instanceof WasmValue.Ref ref) {
        checkReference(ref.type(), ref.bits(), this.types.paramType(known.typeId(), i));
      }
    }
  }

  /**
   * Records why a host function called from wasm failed, just before its upcall returns {@code
   * false}; the entry that unwinds because of it throws this instead of the generic host trap (a
   * {@link TrapException} of a nested entry with its code and cause and this entry's frames after its own,
   * anything else as the cause of a HOST_FUNCTION_FAILED trap).
   */
  public void recordHostFailure(Throwable failure) {
    if (hostFailure == null) {
      hostFailure = failure;
    }
  }

  /**
   * The trap the trap stub recorded, after an entry returned false. Its frames are resolved when
   * {@link TrapException#backtrace()} is first asked for, against the code regions registered now: a trap
   * that nobody inspects costs no lookups.
   */
  TrapException recordedTrap() {
    Throwable failure = hostFailure;
    hostFailure = null;
    // Consumed at every failed entry: a wasm exception a host function threw is the pending one
    // only until its trampoline takes it; one no trampoline took must not be thrown by the next.
    long pending = (long) PENDING_EXCEPTION.get(context, 0L);
    PENDING_EXCEPTION.set(context, 0L, 0L);
    if ((int) TRAP_CODE.get(context, 0L) == NO_TRAP_RECORDED) {
      return hostCalledFromJavaFailed(pending, failure);
    }
    TrapException raw = rawRecordedTrap();
    FrameWalkException walkFailure = frameWalkFailure;
    frameWalkFailure = null;
    if (raw.code() == TrapCode.GC_HEAP_EXHAUSTED && walkFailure != null) {
      // the slow path returned 0 because its frame walk failed, not for want of memory
      return new TrapException(TrapCode.GC_FRAME_WALK_FAILED, raw.pc(), raw.callers(), regionSnapshot, walkFailure);
    }
    if (raw.code() == TrapCode.HOST_FUNCTION_FAILED && failure instanceof TrapException nested) {
      // The nested entry's trap, with the frames of this entry appended after its own: the host
      // function's trampoline (where this entry's trap was raised) and the wasm frames below it.
      long[] inner = nested.callers();
      long[] outer = raw.callers();
      long[] callers = new long[inner.length + 1 + outer.length];
      System.arraycopy(inner, 0, callers, 0, inner.length);
      callers[inner.length] = raw.pc();
      System.arraycopy(outer, 0, callers, inner.length + 1, outer.length);
      return new TrapException(nested.code(), nested.pc(), callers, regionSnapshot, nested.getCause(),
          nested.thrown().orElse(null), nested.hostCallLevels() + 1);
    }
    ThrownException thrown = raw.code() == TrapCode.UNCAUGHT_EXCEPTION && exceptions != null
        ? exceptions.takeThrown(attachment(TagRegistry.class, TagRegistry::new), this) : null;
    return new TrapException(raw.code(), raw.pc(), raw.callers(), regionSnapshot,
        raw.code() == TrapCode.HOST_FUNCTION_FAILED ? failure : null, thrown);
  }

  /**
   * The failure of an entry whose callee is a host function (an imported function re-exported,
   * called from Java): it returned false without any trampoline or trap stub, so it ends with what
   * the host function threw, a wasm exception as one no frame caught ({@code UNCAUGHT_EXCEPTION},
   * its origin the host's own exception), anything else as the host function's failure.
   */
  private TrapException hostCalledFromJavaFailed(long pending, Throwable failure) {
    ThrownException thrown = pending == 0 || exceptions == null ? null
        : exceptions.takeThrown(pending, attachment(TagRegistry.class, TagRegistry::new), this);
    if (thrown != null) {
      return new TrapException(TrapCode.UNCAUGHT_EXCEPTION, 0, new long[0], regionSnapshot, null, thrown);
    }
    return new TrapException(TrapCode.HOST_FUNCTION_FAILED, 0, new long[0], regionSnapshot, failure, null);
  }

  private TrapException rawRecordedTrap() {
    int raw = (int) TRAP_CODE.get(context, 0L);
    TRAP_CODE.set(context, 0L, NO_TRAP_RECORDED);
    TrapCode code = TrapCode.fromCode(raw).orElseThrow(() ->
        new IllegalStateException("compiled code reported unknown trap code " + raw));
    int count = Math.min((int) BACKTRACE_COUNT.get(context, 0L), StoreLayout.BACKTRACE_CAPACITY);
    long[] callers = new long[Math.max(0, count)];
    for (int i = 0; i < callers.length; i++) {
      callers[i] = context.get(JAVA_LONG, BACKTRACE_OFFSET + 8L * i);
    }
    return new TrapException(code, (long) TRAP_PC.get(context, 0L), callers);
  }

  /**
   * Frees every object of the store still alive (in reverse order of creation, whatever uses or
   * pins it: nothing of the store can run again), the resources handed to {@link #closeWithStore},
   * the executors and the store context. Idempotent.
   *
   * @throws IllegalStateException if wasm is running in the store (on this thread or another)
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    claim.acquire(this, "close it");
    try {
      if (closed) {
        return;
      }
      if (entries > 0) {
        throw new IllegalStateException(name + " is running wasm; it cannot be closed from inside a call");
      }
      closed = true;
      List<Lifetime> remaining;
      List<AutoCloseable> resources;
      synchronized (this) {
        remaining = new ArrayList<>(live);
        // Left over only if a free failed at an exit.
        remaining.addAll(freeAfterExit);
        freeAfterExit.clear();
        live.clear();
        functionReferences.clear();
        resources = new ArrayList<>(closeWithStore);
        closeWithStore.clear();
      }
      RuntimeException failure = null;
      for (Lifetime lifetime : remaining.reversed()) {
        failure = closeQuietly(lifetime::free, failure);
      }
      for (AutoCloseable resource : resources.reversed()) {
        failure = closeQuietly(resource, failure);
      }
      if (exceptions != null) {
        exceptions.free();
      }
      for (Executor executor : executors.values()) {
        executor.close();
      }
      executors.clear();
      floorThread = null;
      floorExecutor = null;
      synchronized (this) {
        // After every free above (their cleanups give back to the budgets in the context) and under
        // the lock the accessors of other threads check `closed` under.
        this.resources.contextFreed();
        NativeHeap.free(context);
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      claim.release();
    }
  }

  private RuntimeException closeQuietly(AutoCloseable resource, RuntimeException failure) {
    try {
      resource.close();
      return failure;
    } catch (Exception e) {
      return failure != null ? failure : new IllegalStateException("cannot free a resource of " + name, e);
    }
  }
}
