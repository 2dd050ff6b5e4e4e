package dev.kiln.runtime;

import dev.kiln.loader.sys.ThreadStack;

/**
 * Sizes of an engine's instance pool ({@link Engine.Builder#pooling}): for servers that make an
 * instance per request. With a pool, every instance of the engine's stores takes a slot reserved
 * when the engine was built (its VMContext with its passive element items, its linear memories:
 * each memory a 4 GiB region plus a 32 MiB guard, as any 32-bit memory reserves, and its tables)
 * instead of mapping memory of its own, and gives the slot back when it is freed: what the memories
 * and tables could have written is emptied, the first 64 KiB of each in place (zeros, or the memory
 * image's bytes copied back) and the rest dropped with {@code madvise(MADV_DONTNEED)} (it reads as
 * zero, or as the image, for the next instance), the VMContext zeroed; nothing is mapped or
 * unmapped per instance. Store limits ({@link Store.Builder}) still apply to each store's
 * instances. The whole pool (memory, table and VMContext regions) is taken from the process's
 * address-space budget when the engine is built.
 *
 * <p>What does not fit is refused when instantiated, with a {@link KilnException} naming the
 * limit: a module with more memories or tables than a slot holds, a memory whose minimum is larger
 * than {@code maxMemoryBytes}, a table whose minimum is larger than {@code maxTableElements}, a
 * VMContext and passive element items larger than {@code vmContextBytes}, and an instance when all
 * {@code instances} slots are in use ("the engine's instance pool has all of its N slots in use").
 * A pooled memory grows up to {@code maxMemoryBytes}, a pooled table up to {@code
 * maxTableElements}; growing past them fails as {@code memory.grow} and {@code table.grow} may
 * (they return -1).
 *
 * <p>64-bit memories larger than 4 GiB: a {@code maxMemoryBytes} above 4 GiB makes every memory
 * slot that size plus the guard (32-bit memories still stop at 4 GiB), so that 64-bit memories can
 * be that large; the address space is the pool's whole size times that, taken when the engine is built.
 *
 * @param instances instances alive at once in all the engine's stores, {@code >= 1}
 * @param memoriesPerInstance memories one instance may define, {@code >= 0}
 * @param maxMemoryBytes bytes one pooled memory may have, a multiple of 64 KiB up to 2^48
 * @param vmContextBytes bytes of one instance's VMContext (its globals, function references,
 *     memory and table records) and its passive element items (8 bytes each), {@code >= 4096}
 * @param tablesPerInstance tables one instance may define, {@code >= 0}
 * @param maxTableElements elements one pooled table may have, 0 to 2^28
 */
public record PoolingAllocation(int instances, int memoriesPerInstance, long maxMemoryBytes, long vmContextBytes,
    int tablesPerInstance, long maxTableElements) {
  private static final long PAGE = 65536;

  /**
   * Checks the sizes.
   *
   * @throws IllegalArgumentException if a size is out of its range, or the address space the sizes
   *     multiply to (memories, tables and VMContexts of every slot) does not fit in a 64-bit byte count
   */
  public PoolingAllocation {
    ThreadStack.requireRoomToLink("PoolingAllocation");
    if (maxMemoryBytes < 0 || maxMemoryBytes % PAGE != 0 || maxMemoryBytes > (1L << 48)) {
      throw new IllegalArgumentException("maxMemoryBytes must be a multiple of 64 KiB from 0 to 2^48 (4 GiB at most"
          + " for a 32-bit memory), got " + maxMemoryBytes);
    }
    config(instances, memoriesPerInstance, maxMemoryBytes, vmContextBytes, tablesPerInstance, maxTableElements);
  }

  /**
   * These sizes with one table per instance of up to 20,000 elements.
   *
   * @param instances instances alive at once, {@code >= 1}
   * @param memoriesPerInstance memories one instance may define
   * @param maxMemoryBytes bytes one pooled memory may have
   * @param vmContextBytes bytes of one instance's VMContext and passive element items
   */
  public PoolingAllocation(int instances, int memoriesPerInstance, long maxMemoryBytes, long vmContextBytes) {
    this(instances, memoriesPerInstance, maxMemoryBytes, vmContextBytes, dev.kiln.loader.pool.PoolConfig.DEFAULT_TABLES,
        dev.kiln.loader.pool.PoolConfig.DEFAULT_TABLE_ELEMENTS);
  }

  /**
   * {@code instances} slots, each of one memory of up to 4 GiB, one table of up to 20,000 elements
   * and a VMContext of up to 1 MiB.
   *
   * @param instances instances alive at once, {@code >= 1}
   * @return the sizes
   */
  public static PoolingAllocation ofInstances(int instances) {
    ThreadStack.requireRoomToLink("PoolingAllocation.ofInstances");
    return new PoolingAllocation(instances, 1, 1L << 32, 1 << 20);
  }

  /**
   * These sizes with {@code memories} memories per instance.
   *
   * @param memories memories one instance may define
   * @return the new sizes
   */
  public PoolingAllocation withMemoriesPerInstance(int memories) {
    ThreadStack.requireRoomToLink("PoolingAllocation.withMemoriesPerInstance");
    return new PoolingAllocation(instances, memories, maxMemoryBytes, vmContextBytes, tablesPerInstance,
        maxTableElements);
  }

  /**
   * These sizes with pooled memories of at most {@code bytes}.
   *
   * @param bytes a multiple of 64 KiB up to 2^48; above 4 GiB only 64-bit memories use the rest
   * @return the new sizes
   */
  public PoolingAllocation withMaxMemoryBytes(long bytes) {
    ThreadStack.requireRoomToLink("PoolingAllocation.withMaxMemoryBytes");
    return new PoolingAllocation(instances, memoriesPerInstance, bytes, vmContextBytes, tablesPerInstance,
        maxTableElements);
  }

  /**
   * These sizes with VMContexts (and passive element items) of at most {@code bytes}.
   *
   * @param bytes at least 4096
   * @return the new sizes
   */
  public PoolingAllocation withVmContextBytes(long bytes) {
    ThreadStack.requireRoomToLink("PoolingAllocation.withVmContextBytes");
    return new PoolingAllocation(instances, memoriesPerInstance, maxMemoryBytes, bytes, tablesPerInstance,
        maxTableElements);
  }

  /**
   * These sizes with {@code tables} tables per instance.
   *
   * @param tables tables one instance may define
   * @return the new sizes
   */
  public PoolingAllocation withTablesPerInstance(int tables) {
    ThreadStack.requireRoomToLink("PoolingAllocation.withTablesPerInstance");
    return new PoolingAllocation(instances, memoriesPerInstance, maxMemoryBytes, vmContextBytes, tables,
        maxTableElements);
  }

  /**
   * These sizes with pooled tables of at most {@code elements}.
   *
   * @param elements 0 to 2^28
   * @return the new sizes
   */
  public PoolingAllocation withMaxTableElements(long elements) {
    ThreadStack.requireRoomToLink("PoolingAllocation.withMaxTableElements");
    return new PoolingAllocation(instances, memoriesPerInstance, maxMemoryBytes, vmContextBytes, tablesPerInstance,
        elements);
  }

  dev.kiln.loader.pool.PoolConfig config() {
    return config(instances, memoriesPerInstance, maxMemoryBytes, vmContextBytes, tablesPerInstance, maxTableElements);
  }

  private static dev.kiln.loader.pool.PoolConfig config(int instances, int memories, long maxMemoryBytes,
      long vmContextBytes, int tables, long maxTableElements) {
    return new dev.kiln.loader.pool.PoolConfig(instances, memories, maxMemoryBytes / PAGE, vmContextBytes, tables,
        maxTableElements);
  }

  // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
  @Override
  public boolean equals(Object o) {
    return o instanceof PoolingAllocation other && instances == other.instances
        && memoriesPerInstance == other.memoriesPerInstance && maxMemoryBytes == other.maxMemoryBytes
        && vmContextBytes == other.vmContextBytes && tablesPerInstance == other.tablesPerInstance
        && maxTableElements == other.maxTableElements;
  }

  @Override
  public int hashCode() {
    int h = Integer.hashCode(instances);
    h = 31 * h + Integer.hashCode(memoriesPerInstance);
    h = 31 * h + Long.hashCode(maxMemoryBytes);
    h = 31 * h + Long.hashCode(vmContextBytes);
    h = 31 * h + Integer.hashCode(tablesPerInstance);
    return 31 * h + Long.hashCode(maxTableElements);
  }

  @Override
  public String toString() {
    return "PoolingAllocation[instances=" + instances + ", memoriesPerInstance=" + memoriesPerInstance
        + ", maxMemoryBytes=" + maxMemoryBytes + ", vmContextBytes=" + vmContextBytes + ", tablesPerInstance="
        + tablesPerInstance + ", maxTableElements=" + maxTableElements + "]";
  }
}
