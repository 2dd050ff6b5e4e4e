package dev.kiln.runtime;

import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.sys.ThreadStack;
import java.util.List;
import java.util.Objects;

/**
 * The unit of execution and of ownership: every instance, host function and WASI context lives in
 * one store, which frees them all when it closes (what an embedder closes earlier is freed earlier,
 * when nothing else needs it). A store runs on one thread at a time: a second thread that calls
 * into it while the first does gets an {@link IllegalStateException} naming both threads. Make one
 * store per thread or per request; a module compiled once is instantiated in any number of them.
 *
 * <p>A store built {@linkplain Builder#confined() confined} belongs to the thread that built it, as
 * a confined {@code Arena} does: only that thread may call into it, instantiate in it, read its
 * objects or close it, and every other thread gets a {@link WrongThreadException}. It saves the
 * memory fence each call from Java otherwise pays to keep two threads out of the store at once
 * (about 1-2 ns of a 20 ns export call, docs/PERFORMANCE.md).
 *
 * <p>It holds the per-store state of its engine's checks: the epoch deadline ({@link
 * #setEpochDeadline}) and the fuel ({@link #setFuel}). Settings fixed for its lifetime are made with
 * its {@link Builder}: the wasm stack budget today, and the place for per-store resource limits
 * (memory and table sizes, instance counts) as Wasmtime's {@code StoreLimits} has them.
 */
public final class Store implements AutoCloseable {
  /** The default of {@link Builder#maxTableElements}: 10,000,000 elements (80 MB of slots). */
  public static final long DEFAULT_MAX_TABLE_ELEMENTS = StoreLimits.DEFAULT_TABLE_ELEMENTS;

  private final Engine engine;
  private final dev.kiln.loader.runtime.NativeStore store;

  /**
   * A WasmThrow out of a host function is thrown into its wasm caller (WasmThrow's public
   * constructor); one translator for every store, given the store it runs for.
   */
  private static final java.util.function.BiFunction<Throwable, dev.kiln.loader.runtime.NativeStore,
      dev.kiln.loader.runtime.ThrownException> WASM_THROWS = (failure, internal) -> failure instanceof WasmThrow thrown
          ? thrownIn(thrown, internal) // each value against its tag parameter's type (red team 14 F2)
          : null;

  /**
   * An uncaught exception's payload as Java gets it, converted where the store reads it, under the
   * claim that read it (red team 14 F4); one maker for every store.
   */
  private static final java.util.function.Function<dev.kiln.loader.runtime.ThrownException, Object> THROWN_VIEWS =
      Conversions::payload;

  /**
   * A store of {@code engine} with the default stack budget.
   *
   * @param engine the engine whose modules the store instantiates and whose epoch its code reads
   */
  public Store(Engine engine) {
    this(builder(engine));
  }

  private Store(Builder builder) {
    this.engine = builder.engine;
    this.store = new dev.kiln.loader.runtime.NativeStore(engine.epoch(), engine.types(), builder.maxWasmStack,
        dev.kiln.loader.runtime.NativeStore.DEFAULT_HEADROOM, builder.limits,
        builder.confined ? Thread.currentThread() : null);
    // Neither lambda nor Optional per store (an instance per request makes a store per cycle).
    dev.kiln.loader.pool.InstancePool pool = engine.poolOrNull();
    if (pool != null) {
      store.attach(dev.kiln.loader.pool.InstancePool.class, pool);
    }
    store.hostExceptions(WASM_THROWS);
    store.thrownViews(THROWN_VIEWS);
  }

  /**
   * A builder for a store of {@code engine} with settings other than the defaults.
   *
   * @param engine the engine
   * @return a new builder
   */
  public static Builder builder(Engine engine) {
    return new Builder(engine);
  }

  /**
   * The engine the store belongs to.
   *
   * @return the engine
   */
  public Engine engine() {
    return engine;
  }

  /**
   * With epoch interruption ({@link Engine.Builder#epochInterruption}), the code traps with {@code
   * interrupt} at its next check once the engine's epoch has advanced {@code ticks} past its current
   * value (Wasmtime's {@code Store::set_epoch_deadline}). A new store's deadline has passed already,
   * so set one before the first call; after an interrupt, set a new one before calling again.
   *
   * @param ticks increments of the epoch the code may run for, {@code >= 0}
   * @throws IllegalArgumentException if {@code ticks} is negative
   */
  public void setEpochDeadline(long ticks) {
    store.setEpochDeadline(ticks);
  }

  /**
   * With fuel metering ({@link Engine.Builder#consumeFuel}), gives the code {@code fuel} units, one
   * per wasm operator: once they are spent it traps with {@code out of fuel}. A new store has none.
   *
   * @param fuel the units, {@code >= 0}
   * @throws IllegalArgumentException if {@code fuel} is negative
   */
  public void setFuel(long fuel) {
    store.setFuel(fuel);
  }

  /**
   * The fuel left, 0 once spent (code checks at function entries and loop headers, so it may spend
   * a little past 0 before it traps).
   *
   * @return the units left
   */
  public long fuel() {
    return store.fuel();
  }

  /**
   * What the store's garbage collections have cost so far: each collection's pause and the live
   * bytes it copied (the latest {@link GcStatistics#LATEST_KEPT} one by one), and their sums. All
   * zero for a store that has run no struct or array code.
   *
   * @return a snapshot, unaffected by later collections
   */
  public GcStatistics gcStatistics() {
    ThreadStack.requireRoomToLink("Store.gcStatistics");
    dev.kiln.loader.runtime.GcPauses.Snapshot pauses = store.gcPauses();
    return new GcStatistics(pauses.collections(), store.gcRefusals(), pauses.totalNanos(), pauses.longestNanos(),
        pauses.bytesCopied(), pauses.latest().stream()
            .map(p -> new GcStatistics.Pause(p.nanos(), p.bytesCopied())).toList());
  }

  /** A host function's {@link WasmThrow} as the exception {@code store} throws into its caller. */
  static dev.kiln.loader.runtime.ThrownException thrownIn(WasmThrow thrown,
      dev.kiln.loader.runtime.NativeStore store) {
    dev.kiln.loader.runtime.ExceptionTag tag = thrown.tag().internal();
    if (thrown.tag().types() != store.types()) {
      throw new IllegalArgumentException("a host function threw a wasm exception of a tag of another engine");
    }
    List<dev.kiln.wasm.types.ValueType> params = new java.util.ArrayList<>();
    for (int i = 0; i < thrown.tag().type().payload().size(); i++) {
      params.add(store.types().paramType(tag.typeId(), i));
    }
    return new dev.kiln.loader.runtime.ThrownException(tag,
        Conversions.wasmValues(thrown.payload(), params, store, "a thrown exception's value", "its tag's parameter"),
        store);
  }

  dev.kiln.loader.runtime.NativeStore internal() {
    return store;
  }

  /**
   * Frees every instance, host function and memory of the store, whatever the embedder has closed
   * already. Closing twice does nothing.
   *
   * <p>A store {@linkplain Builder#confined() confined} to a thread that has terminated may be closed
   * from any thread (one of them, if several try at once); nothing else of it is.
   *
   * @throws IllegalStateException if another thread is running code of the store, or closing it
   * @throws WrongThreadException if the store is {@linkplain Builder#confined() confined} to another
   *     thread that is alive
   */
  @Override
  public void close() {
    ThreadStack.requireRoomToLink("Store.close");
    store.close();
  }

  @Override
  public String toString() {
    return store.toString();
  }

  /** The settings of a {@link Store}; each setter returns this builder. */
  public static final class Builder {
    private final Engine engine;
    private long maxWasmStack = dev.kiln.loader.runtime.NativeStore.DEFAULT_MAX_WASM_STACK;
    private StoreLimits limits = StoreLimits.DEFAULTS;
    private boolean confined;

    private Builder(Engine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * Bytes of the calling thread's stack one call from Java into wasm may use (default 512 KiB, as
     * Wasmtime's {@code max_wasm_stack}); deeper recursion traps with {@code call stack exhausted}.
     *
     * @param bytes the budget, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public Builder maxWasmStack(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("max wasm stack must be > 0, got " + bytes);
      }
      this.maxWasmStack = bytes;
      return this;
    }

    /**
     * The most bytes all the store's memories and tables may commit together (default: no limit):
     * memories' 64 KiB pages and tables' pages (a header and 8 bytes per element, whole 4 KiB
     * pages on x86-64 Linux), and each instance's own host memory (its VMContext and the items of
     * its passive element segments, which grow with what the module declares), so that one number
     * bounds what a guest can make the host allocate. A {@code memory.grow} or {@code table.grow} past it returns -1, as the spec
     * allows; an instantiation whose memories or tables need more fails with a {@link
     * KilnException}.
     *
     * @param bytes the limit, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public Builder maxMemoryBytes(long bytes) {
      limits = limits.withMaxMemoryBytes(bytes);
      return this;
    }

    /**
     * The most elements all the store's tables may hold together (default {@link
     * #DEFAULT_MAX_TABLE_ELEMENTS}); {@code table.grow} past it returns -1, an
     * instantiation that needs more fails. Tables' bytes also count against {@link
     * #maxMemoryBytes}.
     *
     * @param elements the limit, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code elements} is negative
     */
    public Builder maxTableElements(long elements) {
      limits = limits.withMaxTableElements(elements);
      return this;
    }

    /**
     * The most address space all the store's memories and tables may reserve together (default 1
     * TiB, {@code StoreLimits.DEFAULT_ADDRESS_SPACE}). A reservation is not memory, so {@link
     * #maxMemoryBytes} does not count it, but every 32-bit memory reserves 4 GiB and a guard region
     * even at zero pages, and the process's memories and tables share 64 TiB: this share keeps one
     * store (one tenant's module of thousands of empty memories) from taking what the others need.
     * An instantiation that would reserve more fails with a {@link KilnException}.
     *
     * @param bytes the limit, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public Builder maxAddressSpace(long bytes) {
      limits = limits.withMaxAddressSpace(bytes);
      return this;
    }

    /**
     * The largest VMContext one instance may have (default 64 MiB, {@code
     * StoreLimits.DEFAULT_VMCONTEXT_BYTES}): the host memory Kiln allocates per instance for the
     * fields the module declares (a slot per global, a record per memory, table, imported and
     * escaping function, segment, type and tag). Every kind at the decoder's 2^20 cap fits on its
     * own; an instantiation of a module needing more fails with a {@link KilnException} before
     * anything is allocated. It also counts against {@link #maxMemoryBytes}.
     *
     * @param bytes the limit, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public Builder maxVmContextBytes(long bytes) {
      limits = limits.withMaxVmContextBytes(bytes);
      return this;
    }

    /**
     * How many instances, memories and tables may be live in the store at once (default 10,000 each,
     * as Wasmtime); creating one more fails with a {@link KilnException}.
     *
     * @param instances live instances
     * @param memories live memories
     * @param tables live tables
     * @return this builder
     * @throws IllegalArgumentException if a count is negative
     */
    public Builder maxCounts(int instances, int memories, int tables) {
      limits = limits.withMaxInstances(instances).withMaxMemories(memories).withMaxTables(tables);
      return this;
    }

    /**
     * How many host functions may be live in the store at once (default 10,000): a function a
     * {@link Linker} defines lives until that linker is closed ({@link Linker#close}) and no live
     * instance imports it, or until the store closes; one more fails with a {@link KilnException}.
     *
     * @param hostFunctions live host functions, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code hostFunctions} is negative
     */
    public Builder maxHostFunctions(int hostFunctions) {
      limits = limits.withMaxHostFunctions(hostFunctions);
      return this;
    }

    /**
     * How deeply wasm may be re-entered from host functions (wasm calling Java calling wasm ...;
     * default 60): one level deeper traps with {@code host call depth exceeded} instead of exhausting
     * the Java stack.
     *
     * @param depth nested entries, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code depth} is negative
     */
    public Builder maxHostCallDepth(int depth) {
      limits = limits.withMaxHostCallDepth(depth);
      return this;
    }

    /**
     * How many structs and arrays of the store's GC heap Java may hold at once ({@link AnyRef}s;
     * default 65,536): each result, global or table read that gives Java an object takes one until
     * the {@link AnyRef} becomes unreachable, and one more fails with {@link KilnException}, so a
     * guest returning fresh objects cannot make the host keep them without bound.
     *
     * @param handles the most objects held, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code handles} is negative
     */
    public Builder maxObjectHandles(int handles) {
      if (handles < 0) {
        throw new IllegalArgumentException("max object handles must be >= 0, got " + handles);
      }
      limits = limits.withMaxObjectHandles(handles);
      return this;
    }

    /**
     * Confines the store to the thread that calls {@link #build()}, as {@code Arena.ofConfined()}
     * confines an arena: calls into it (typed handles, {@link DirectCall}, {@link Func#call}),
     * instantiation in it, reads of its globals, tables and objects, and {@link Store#close()} are
     * that thread's alone, and any other thread gets a {@link WrongThreadException} naming both,
     * even while the store is idle. In exchange a call from Java claims the store with a plain
     * comparison instead of a write and a memory fence (the default store's way of keeping two
     * threads out of it at once). Once that thread has terminated, any thread may close the store
     * (and nothing else): a thread that ended cannot be running its code. For a store one thread
     * makes, uses and closes: an instance per
     * request, or a generated class's instance one thread keeps ({@code Kernels.instantiate(
     * Store.builder(Kernels.engine()).confined().build())}). A store that passes from thread to
     * thread (kept where several threads take it in turn) needs the default; a virtual thread is
     * one {@code Thread} on whichever carrier it runs, so it may own a confined store.
     *
     * @return this builder
     */
    public Builder confined() {
      this.confined = true;
      return this;
    }

    /**
     * The store.
     *
     * @return a new store with these settings
     */
    public Store build() {
      return new Store(this);
    }
  }
}
