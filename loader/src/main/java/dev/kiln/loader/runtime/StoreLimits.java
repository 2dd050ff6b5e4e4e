package dev.kiln.loader.runtime;

/**
 * What one {@link NativeStore} may allocate, beyond the limits each module declares (issue 12 item 2),
 * after Wasmtime's {@code StoreLimits}: the store refuses what would pass a limit, it never stops
 * code that is already running.
 *
 * <ul>
 *   <li>{@code memory.grow} and {@code table.grow} past a limit return -1, which the spec allows
 *       for any reason (WebAssembly 2.0 sections 4.4.7 memory.grow and 4.4.6.6 table.grow), from
 *       compiled code and from Java alike;
 *   <li>an instantiation whose memories, tables or instance would pass a limit, and a host memory
 *       or table made past one, fail with a {@link ResourceLimitException} naming the limit;
 *   <li>wasm entered from a host function deeper than {@link #maxHostCallDepth} traps with {@code
 *       host call depth exceeded}: the host function that tried gets the trap, and unless it
 *       catches it, so does every caller down to the outermost entry.
 * </ul>
 *
 * <p>Unlike Wasmtime, whose {@code memory_size} and {@code table_elements} bound each memory and
 * table on its own, the byte and element limits bound the sum over the store's live memories and
 * tables (what the store as a whole may commit); the counts are of live objects, since Kiln frees
 * a closed instance before its store closes (Wasmtime counts every instance ever made in a store).
 *
 * <p>The byte limit covers tables too: each table's committed pages (header and 8-byte slots)
 * count against it beside the memories' pages, so that one number bounds the host memory a guest
 * can make the store commit by growing things (see {@code table.TableInstance}). The element
 * limit has a default ({@link #DEFAULT_TABLE_ELEMENTS}) so that a store whose byte limit is left
 * unlimited still does not hand a guest gigabytes of table slots (Kiln's own largest table, {@code
 * 2^28} slots, is 2 GiB); a program's function table holds one slot per function its code takes
 * the address of, thousands in large programs, far below it.
 *
 * @param maxMemoryBytes committed bytes summed over the store's live memories and tables
 *     (instances' and the host's): each memory's pages (64 KiB each) and each table's pages (4 KiB
 *     on x86-64 Linux) holding its header and its 8-byte slots; and each live instance's VMContext
 *     and passive element items ({@code Instance.hostBytes}), which grow with the module's
 *     declarations; and the GC heap's accounted chunks, which hold exception objects too ({@code
 *     StoreExceptions}: a {@code throw} whose object does not fit after a collection traps with
 *     {@code gc_heap_exhausted})
 * @param maxTableElements elements summed over the store's live tables
 * @param maxInstances live instances
 * @param maxMemories live memories, defined by instances or made by the host
 * @param maxTables live tables, defined by instances or made by the host
 * @param maxHostCallDepth how many wasm entries may be nested inside host functions on one stack
 *     (guest -> host -> guest is 1): this store's own, and across stores one more at most (a host
 *     call is refused when more than this many are in progress on the thread, {@code
 *     HostCallNesting}), so alternating stores does not multiply it. Each level also costs native and Java stack; a nested level
 *     that would not fit on the thread's stack traps with {@code call stack exhausted} whatever
 *     the limit ({@code loader.sys.ThreadStack})
 * @param maxAddressSpace bytes of address space the store's live memories and tables may reserve
 *     together (see {@link #DEFAULT_ADDRESS_SPACE})
 * @param maxVmContextBytes the largest VMContext one instance may have (see {@link
 *     #DEFAULT_VMCONTEXT_BYTES})
 * @param maxHostFunctions live host functions: each holds a block of C heap and about a KiB of
 *     Java heap until it is closed and no live instance imports it, or the store closes, so an
 *     embedder defining functions through a new linker per request in a long-lived store grew
 *     it without end (issue 35); the count bounds that, as the instance count bounds instances
 * @param maxObjectHandles structs and arrays of the store's GC heap Java may hold at once ({@link
 *     ObjectHandles}): a limit here rather than a table made with the store, so that a store whose
 *     code never hands Java an object makes no table (an instance per request, issue 41)
 */
public record StoreLimits(long maxMemoryBytes, long maxTableElements, int maxInstances, int maxMemories,
    int maxTables, int maxHostCallDepth, long maxAddressSpace, long maxVmContextBytes, int maxHostFunctions,
    int maxObjectHandles) {
  /** Wasmtime's default for the instance, memory and table counts ({@code DEFAULT_INSTANCE_LIMIT}). */
  public static final int DEFAULT_COUNT = 10_000;
  /**
   * Nested entries a store allows unless told otherwise: what a 1 MiB Java thread stack (HotSpot's
   * default on Linux x86-64 and AArch64) holds with a few levels to spare, so that there the depth
   * trap comes before the stack's (HostReentryStackTest). It was 64 until every upcall gained the
   * frame of its guard (red team 29 F1), which took a level's cost past the last of those 64.
   */
  public static final int DEFAULT_HOST_CALL_DEPTH = 60;
  /** Table elements a store's tables may hold together unless told otherwise: 80 MB of slots. */
  public static final long DEFAULT_TABLE_ELEMENTS = 10_000_000;
  /**
   * Address space a store's memories and tables may reserve together unless told otherwise: 1 TiB,
   * room for 254 32-bit memories (each reserves 4 GiB and a guard whatever its size; the largest
   * script of the spec suites instantiates about 110 in one store) and a sixty-fourth of what the
   * process's memories may reserve at all ({@code ReservationBudget}). A reservation is not memory,
   * so the byte limit does not count it; without this share one store of thousands of zero-page
   * memories took the process's whole budget and every other store's next memory failed.
   */
  public static final long DEFAULT_ADDRESS_SPACE = 1L << 40;
  /**
   * The largest VMContext of one instance unless told otherwise: 64 MiB. A VMContext has a field
   * per global, memory, table, imported function, escaping function, type, segment and tag the
   * module declares; the decoder caps each kind at 2^20, and the largest kind at its cap (2^20
   * VMFuncRefs of 32 bytes) fits, but a module piling every kind to its cap would need over 100 MiB
   * of host memory per instance, allocated and written at each instantiation, whatever the byte
   * limit (which is unlimited by default). Sightglass's largest programs need a few KiB.
   */
  public static final long DEFAULT_VMCONTEXT_BYTES = 64L << 20;
  /**
   * No byte limit, {@link #DEFAULT_TABLE_ELEMENTS}, Wasmtime's counts, {@link
   * #DEFAULT_HOST_CALL_DEPTH}, {@link #DEFAULT_ADDRESS_SPACE}.
   */
  public static final StoreLimits DEFAULTS = new StoreLimits(Long.MAX_VALUE, DEFAULT_TABLE_ELEMENTS, DEFAULT_COUNT,
      DEFAULT_COUNT, DEFAULT_COUNT, DEFAULT_HOST_CALL_DEPTH, DEFAULT_ADDRESS_SPACE);

  /**
   * Host functions a store holds at once unless told otherwise: 10,000, about 12 MiB of Java heap
   * (1,058 bytes each measured, made through a linker of the API), and 217 full sets of WASI
   * preview1's 46 functions.
   */
  public static final int DEFAULT_HOST_FUNCTIONS = DEFAULT_COUNT;
  /** Objects a store's Java side holds at once unless told otherwise: 65,536, a few MB of Java heap at most. */
  public static final int DEFAULT_OBJECT_HANDLES = 1 << 16;

  public StoreLimits {
    if (maxMemoryBytes < 0 || maxTableElements < 0 || maxInstances < 0 || maxMemories < 0 || maxTables < 0
        || maxHostCallDepth < 0 || maxAddressSpace < 0 || maxVmContextBytes < 0 || maxHostFunctions < 0
        || maxObjectHandles < 0) {
      // The parameters, not this: a compact constructor assigns the fields after its body.
      throw new IllegalArgumentException("store limits must be >= 0: memory bytes " + maxMemoryBytes
          + ", table elements " + maxTableElements + ", instances " + maxInstances + ", memories " + maxMemories
          + ", tables " + maxTables + ", host call depth " + maxHostCallDepth + ", address space " + maxAddressSpace
          + ", VMContext bytes " + maxVmContextBytes + ", host functions " + maxHostFunctions
          + ", object handles " + maxObjectHandles);
    }
  }

  /** Limits with {@link #DEFAULT_OBJECT_HANDLES}. */
  public StoreLimits(long maxMemoryBytes, long maxTableElements, int maxInstances, int maxMemories, int maxTables,
      int maxHostCallDepth, long maxAddressSpace, long maxVmContextBytes, int maxHostFunctions) {
    this(maxMemoryBytes, maxTableElements, maxInstances, maxMemories, maxTables, maxHostCallDepth, maxAddressSpace,
        maxVmContextBytes, maxHostFunctions, DEFAULT_OBJECT_HANDLES);
  }

  /** Limits with {@link #DEFAULT_HOST_FUNCTIONS} and {@link #DEFAULT_OBJECT_HANDLES}. */
  public StoreLimits(long maxMemoryBytes, long maxTableElements, int maxInstances, int maxMemories, int maxTables,
      int maxHostCallDepth, long maxAddressSpace, long maxVmContextBytes) {
    this(maxMemoryBytes, maxTableElements, maxInstances, maxMemories, maxTables, maxHostCallDepth, maxAddressSpace,
        maxVmContextBytes, DEFAULT_HOST_FUNCTIONS);
  }

  /** Limits with {@link #DEFAULT_VMCONTEXT_BYTES} and {@link #DEFAULT_HOST_FUNCTIONS}. */
  public StoreLimits(long maxMemoryBytes, long maxTableElements, int maxInstances, int maxMemories, int maxTables,
      int maxHostCallDepth, long maxAddressSpace) {
    this(maxMemoryBytes, maxTableElements, maxInstances, maxMemories, maxTables, maxHostCallDepth, maxAddressSpace,
        DEFAULT_VMCONTEXT_BYTES);
  }

  public StoreLimits withMaxMemoryBytes(long bytes) {
    return new StoreLimits(bytes, maxTableElements, maxInstances, maxMemories, maxTables, maxHostCallDepth,
        maxAddressSpace, maxVmContextBytes, maxHostFunctions, maxObjectHandles);
  }

  public StoreLimits withMaxTableElements(long elements) {
    return new StoreLimits(maxMemoryBytes, elements, maxInstances, maxMemories, maxTables, maxHostCallDepth,
        maxAddressSpace, maxVmContextBytes, maxHostFunctions, maxObjectHandles);
  }

  public StoreLimits withMaxInstances(int instances) {
    return new StoreLimits(maxMemoryBytes, maxTableElements, instances, maxMemories, maxTables, maxHostCallDepth,
        maxAddressSpace, maxVmContextBytes, maxHostFunctions, maxObjectHandles);
  }

  public StoreLimits withMaxMemories(int memories) {
    return new StoreLimits(maxMemoryBytes, maxTableElements, maxInstances, memories, maxTables, maxHostCallDepth,
        maxAddressSpace, maxVmContextBytes, maxHostFunctions, maxObjectHandles);
  }

  public StoreLimits withMaxTables(int tables) {
    return new StoreLimits(maxMemoryBytes, maxTableElements, maxInstances, maxMemories, tables, maxHostCallDepth,
        maxAddressSpace, maxVmContextBytes, maxHostFunctions, maxObjectHandles);
  }

  public StoreLimits withMaxHostCallDepth(int depth) {
    return new StoreLimits(maxMemoryBytes, maxTableElements, maxInstances, maxMemories, maxTables, depth,
        maxAddressSpace, maxVmContextBytes, maxHostFunctions, maxObjectHandles);
  }

  public StoreLimits withMaxAddressSpace(long bytes) {
    return new StoreLimits(maxMemoryBytes, maxTableElements, maxInstances, maxMemories, maxTables, maxHostCallDepth,
        bytes, maxVmContextBytes, maxHostFunctions, maxObjectHandles);
  }

  public StoreLimits withMaxVmContextBytes(long bytes) {
    return new StoreLimits(maxMemoryBytes, maxTableElements, maxInstances, maxMemories, maxTables, maxHostCallDepth,
        maxAddressSpace, bytes, maxHostFunctions, maxObjectHandles);
  }

  public StoreLimits withMaxObjectHandles(int handles) {
    return new StoreLimits(maxMemoryBytes, maxTableElements, maxInstances, maxMemories, maxTables, maxHostCallDepth,
        maxAddressSpace, maxVmContextBytes, maxHostFunctions, handles);
  }

  public StoreLimits withMaxHostFunctions(int hostFunctions) {
    return new StoreLimits(maxMemoryBytes, maxTableElements, maxInstances, maxMemories, maxTables, maxHostCallDepth,
        maxAddressSpace, maxVmContextBytes, hostFunctions, maxObjectHandles);
  }
}
