package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.Executors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A store: the unit of execution that owns one store context, the native block every VMContext of
 * its instances points at ({@link StoreLayout}, ARCHITECTURE.md section 4). Compiled code reads the
 * stack limit from it and the trap stub writes the trap state into it; this class prepares each entry
 * and turns a recorded trap into a {@link Trap}.
 *
 * <p><b>Stack limit.</b> Before each entry the store writes {@code stack_floor} = the calling
 * thread's stack low end (from {@code pthread_getattr_np}, cached per thread) plus {@link
 * #headroom()}, and the entry trampoline sets {@code stack_limit = max(stack_floor, entry SP -
 * max_wasm_stack, enclosing limit)}: only native code knows its SP, only the loader knows the thread.
 * The headroom keeps the JVM's guard zones (red, yellow, reserved: 16 KiB on x86-64) and the stack the
 * trap path and host calls need out of wasm's reach, so deep recursion traps instead of faulting.
 *
 * <p><b>Executors.</b> The store owns the {@link Executor} of each target its instances run ({@link
 * #executorFor}): the host's own instruction set runs natively, another one on an emulator this
 * store creates on first use, reuses for every entry and closes with the store. The stack low end
 * comes from the executor, since an emulated entry runs on the emulator's stack, not the thread's.
 *
 * <p><b>Epoch deadline and fuel.</b> The context points at an {@link Epoch} (the store's own, or an
 * engine's shared by its stores) and holds the store's epoch deadline and fuel count, which code
 * compiled with epoch interruption or fuel metering checks at loop headers and function entries
 * ({@code artifact.vm.ExecutionLimits}): {@link #setEpochDeadline}, {@link #setFuel}, {@link
 * #fuel()}. A store starts with a deadline of 0 and no fuel, so such code traps at once until they
 * are set (as in Wasmtime). After an {@code INTERRUPT} or {@code OUT_OF_FUEL} trap the store and the
 * thread are usable as after any trap; set a new deadline or add fuel before calling again.
 *
 * <p>A store runs on one thread at a time; entries nest (wasm -> host -> wasm) on that thread.
 */
public final class Store implements AutoCloseable {
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
      JAVA_LONG.withName("fuel_consumed")).withByteAlignment(StoreLayout.ALIGNMENT);

  private static final VarHandle STACK_LIMIT = handle("stack_limit");
  private static final VarHandle TRAP_CODE = handle("trap_code");
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

  private final Arena arena;
  private final MemorySegment context;
  private final long headroom;
  private final Epoch epoch;
  private final Map<Target, Executor> executors = new EnumMap<>(Target.class);
  private final Map<dev.kiln.artifact.info.FuncType, Integer> typeIds = new java.util.HashMap<>();
  private final Map<CodeRegion, Integer> codeRegions = new java.util.LinkedHashMap<>();
  /** The registered regions as an immutable list, replaced on each change, shared by traps. */
  private volatile List<CodeRegion> regionSnapshot = List.of();
  /** Resources handed to the store to free when it closes, in the order received. */
  private final List<AutoCloseable> closeWithStore = new java.util.ArrayList<>();
  /** Per-store state of other packages (the host-call registry), one object per class. */
  private final Map<Class<?>, Object> attachments = new java.util.HashMap<>();
  /** Why the innermost failing host function failed, until the entry it unwinds to reports it. */
  private Throwable hostFailure;
  private Thread entered;
  private int depth;

  /** A store with the default stack budget and headroom, and an epoch counter of its own. */
  public Store() {
    this(new Epoch());
  }

  /** A store with the default stack budget and headroom whose code reads {@code epoch} (an engine's). */
  public Store(Epoch epoch) {
    this(epoch, DEFAULT_MAX_WASM_STACK, DEFAULT_HEADROOM);
  }

  /**
   * A store with an epoch counter of its own.
   *
   * @param maxWasmStack bytes of native stack an outermost entry grants to wasm
   * @param headroom bytes above the thread's stack low end that wasm never uses
   */
  public Store(long maxWasmStack, long headroom) {
    this(new Epoch(), maxWasmStack, headroom);
  }

  /**
   * @param epoch the counter that code compiled with epoch interruption compares with this store's
   *     deadline ({@link #setEpochDeadline})
   * @param maxWasmStack bytes of native stack an outermost entry grants to wasm
   * @param headroom bytes above the thread's stack low end that wasm never uses
   */
  public Store(Epoch epoch, long maxWasmStack, long headroom) {
    if (maxWasmStack <= 0 || headroom < 0) {
      throw new IllegalArgumentException("max wasm stack " + maxWasmStack + ", headroom " + headroom);
    }
    this.epoch = java.util.Objects.requireNonNull(epoch, "epoch");
    this.headroom = headroom;
    this.arena = Arena.ofShared();
    this.context = arena.allocate(CONTEXT_LAYOUT);
    MAX_WASM_STACK.set(context, 0L, maxWasmStack);
    EPOCH_PTR.set(context, 0L, epoch.address());
  }

  private static VarHandle handle(String name) {
    return CONTEXT_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(name));
  }

  /** The store context; its address goes into every VMContext's first field. */
  public MemorySegment context() {
    return context;
  }

  public long headroom() {
    return headroom;
  }

  public long maxWasmStack() {
    return (long) MAX_WASM_STACK.get(context, 0L);
  }

  /** The current stack limit: 0 outside wasm, else what the innermost entry set. */
  public long stackLimit() {
    return (long) STACK_LIMIT.get(context, 0L);
  }

  /** The lowest stack limit the next outermost entry on this thread may set (0 before any entry). */
  public long stackFloor() {
    return (long) STACK_FLOOR.get(context, 0L);
  }

  /** SP saved by the innermost entry: 0 outside wasm. */
  public long entrySp() {
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
  public void setEpochDeadline(long ticks) {
    if (ticks < 0) {
      throw new IllegalArgumentException("epoch deadline ticks must be >= 0, got " + ticks);
    }
    EPOCH_DEADLINE.set(context, 0L, epoch.current() + ticks);
  }

  /** The epoch at which this store's code traps (unsigned). */
  public long epochDeadline() {
    return (long) EPOCH_DEADLINE.get(context, 0L);
  }

  /**
   * Gives code compiled with fuel metering {@code fuel} units to run on (one per wasm operator,
   * artifact.vm.ExecutionLimits): once they are spent it traps with {@code OUT_OF_FUEL} at its next
   * function entry or loop header. A fresh store has none (Wasmtime's {@code Store::set_fuel}).
   *
   * @param fuel {@code >= 0}
   */
  public void setFuel(long fuel) {
    if (fuel < 0) {
      throw new IllegalArgumentException("fuel must be >= 0, got " + fuel);
    }
    FUEL_CONSUMED.set(context, 0L, -fuel);
  }

  /**
   * The fuel left: what {@link #setFuel} gave minus what code compiled with fuel metering has
   * written back as consumed (at calls, returns and its out-of-fuel trap), 0 once spent. The checks
   * run at entries and loop headers, so code may spend a little past 0 before it traps.
   */
  public long fuel() {
    long consumed = (long) FUEL_CONSUMED.get(context, 0L);
    return consumed >= 0 ? 0 : -consumed;
  }

  /** Adds {@code fuel} to {@link #fuel()} (saturating), e.g. to refill a store whose code ran out. */
  public void addFuel(long fuel) {
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
    if (!arena.scope().isAlive()) {
      throw new IllegalStateException("store is closed");
    }
    Executor executor = executors.get(target);
    if (executor == null) {
      executor = Executors.create(target).orElseThrow(() -> new IncompatibleArtifactException(
          "this host (" + System.getProperty("os.arch") + ") cannot run " + target.displayName() + " code"));
      executors.put(target, executor);
    }
    return executor;
  }

  /** Prepares an entry on the current thread into code {@code executor} runs; pair with {@link #exit()}. */
  void enter(Executor executor) {
    if (!arena.scope().isAlive()) {
      throw new IllegalStateException("store is closed");
    }
    Thread current = Thread.currentThread();
    if (depth > 0 && entered != current) {
      throw new IllegalStateException("store is running wasm on " + entered + "; cannot enter from "
          + current);
    }
    if (depth == 0) {
      entered = current;
      STACK_FLOOR.set(context, 0L, executor.stackLow() + headroom);
    }
    depth++;
  }

  void exit() {
    if (--depth == 0) {
      entered = null;
    }
  }

  /**
   * The store-wide id of function type {@code type}: structurally equal types share one id in every
   * module of the store, so {@code call_indirect} compares ids across instances (spec 4.4.9: the
   * callee's type must match exactly) and import matching is an id comparison.
   */
  public synchronized int typeId(dev.kiln.artifact.info.FuncType type) {
    return typeIds.computeIfAbsent(type, t -> typeIds.size());
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
   * keep per store (the instance package's host-call registry) without this package knowing them.
   */
  public synchronized <T> T attachment(Class<T> type, java.util.function.Supplier<? extends T> factory) {
    Object existing = attachments.get(type);
    if (existing == null) {
      existing = java.util.Objects.requireNonNull(factory.get(), "factory result");
      attachments.put(type, existing);
    }
    return type.cast(existing);
  }

  /**
   * Frees {@code resource} when the store closes, before the store context: for an instance whose
   * instantiation failed after its functions became reachable from other instances' tables (spec
   * 4.5.4 keeps those references valid), and for host objects an embedder does not track.
   */
  public synchronized void closeWithStore(AutoCloseable resource) {
    closeWithStore.add(java.util.Objects.requireNonNull(resource, "resource"));
  }

  /**
   * Records why a host function called from wasm failed, just before its upcall returns {@code
   * false}; the entry that unwinds because of it throws this instead of the generic host trap (a
   * {@link Trap} of a nested entry with its code and cause and this entry's frames after its own,
   * anything else as the cause of a HOST_FUNCTION_FAILED trap).
   */
  public void recordHostFailure(Throwable failure) {
    if (hostFailure == null) {
      hostFailure = failure;
    }
  }

  /**
   * The trap the trap stub recorded, after an entry returned false. Its frames are resolved when
   * {@link Trap#backtrace()} is first asked for, against the code regions registered now: a trap
   * that nobody inspects costs no lookups.
   */
  Trap recordedTrap() {
    Trap raw = rawRecordedTrap();
    Throwable failure = hostFailure;
    hostFailure = null;
    if (raw.code() == TrapCode.HOST_FUNCTION_FAILED && failure instanceof Trap nested) {
      // The nested entry's trap, with the frames of this entry appended after its own: the host
      // function's trampoline (where this entry's trap was raised) and the wasm frames below it.
      long[] inner = nested.callers();
      long[] outer = raw.callers();
      long[] callers = new long[inner.length + 1 + outer.length];
      System.arraycopy(inner, 0, callers, 0, inner.length);
      callers[inner.length] = raw.pc();
      System.arraycopy(outer, 0, callers, inner.length + 1, outer.length);
      return new Trap(nested.code(), nested.pc(), callers, regionSnapshot, nested.getCause());
    }
    return new Trap(raw.code(), raw.pc(), raw.callers(), regionSnapshot,
        raw.code() == TrapCode.HOST_FUNCTION_FAILED ? failure : null);
  }

  private Trap rawRecordedTrap() {
    int raw = (int) TRAP_CODE.get(context, 0L);
    TrapCode code = TrapCode.fromCode(raw).orElseThrow(() ->
        new IllegalStateException("compiled code reported unknown trap code " + raw));
    int count = Math.min((int) BACKTRACE_COUNT.get(context, 0L), StoreLayout.BACKTRACE_CAPACITY);
    long[] callers = new long[Math.max(0, count)];
    for (int i = 0; i < callers.length; i++) {
      callers[i] = context.get(JAVA_LONG, BACKTRACE_OFFSET + 8L * i);
    }
    return new Trap(code, (long) TRAP_PC.get(context, 0L), callers);
  }

  /** Frees the store context and closes the executors; no instance of this store may run afterwards. */
  @Override
  public synchronized void close() {
    if (depth > 0) {
      throw new IllegalStateException("store is running wasm");
    }
    if (!arena.scope().isAlive()) {
      return;
    }
    RuntimeException failure = null;
    for (int i = closeWithStore.size() - 1; i >= 0; i--) {
      try {
        closeWithStore.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("cannot free a resource of the store", e);
        }
      }
    }
    closeWithStore.clear();
    for (Executor executor : executors.values()) {
      executor.close();
    }
    executors.clear();
    arena.close();
    if (failure != null) {
      throw failure;
    }
  }
}
