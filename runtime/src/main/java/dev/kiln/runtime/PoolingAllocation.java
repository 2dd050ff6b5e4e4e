package dev.kiln.runtime;

/**
 * Sizes of an engine's instance pool ({@link Engine.Builder#pooling}): for servers that make an
 * instance per request. With a pool, every instance of the engine's stores takes a slot reserved
 * when the engine was built (its VMContext and linear memories: each memory a 4 GiB region plus a
 * 32 MiB guard, as any 32-bit memory reserves) instead of mapping memory of its own, and gives the
 * slot back when it is freed: the memory's pages are dropped with {@code madvise(MADV_DONTNEED)}
 * (they read as zero for the next instance), the VMContext zeroed; nothing is mapped or unmapped
 * per instance. Store limits ({@link Store.Builder}) still apply to each store's instances. The
 * whole pool (memory regions and VMContext regions) is taken from the process's address-space
 * budget when the engine is built.
 *
 * <p>What does not fit is refused when instantiated, with a {@link KilnException} naming the
 * limit: a module with more memories than a slot holds, a memory whose minimum is larger than
 * {@code maxMemoryBytes}, a VMContext larger than {@code vmContextBytes}, and an instance when all
 * {@code instances} slots are in use ("the engine's instance pool has all of its N slots in use").
 * A pooled memory grows up to {@code maxMemoryBytes}; growing past it fails as {@code memory.grow}
 * may (it returns -1).
 *
 * @param instances instances alive at once in all the engine's stores, {@code >= 1}
 * @param memoriesPerInstance memories one instance may define, {@code >= 0}
 * @param maxMemoryBytes bytes one pooled memory may have, a multiple of 64 KiB up to 4 GiB
 * @param vmContextBytes bytes of one instance's VMContext (its globals, function references,
 *     memory and table records), {@code >= 4096}
 */
public record PoolingAllocation(int instances, int memoriesPerInstance, long maxMemoryBytes, long vmContextBytes) {
  private static final long PAGE = 65536;

  /**
   * Checks the sizes.
   *
   * @throws IllegalArgumentException if a size is out of its range, or the address space the sizes
   *     multiply to (memories and VMContexts of every slot) does not fit in a 64-bit byte count
   */
  public PoolingAllocation {
    if (maxMemoryBytes < 0 || maxMemoryBytes % PAGE != 0 || maxMemoryBytes > (1L << 32)) {
      throw new IllegalArgumentException("maxMemoryBytes must be a multiple of 64 KiB from 0 to 4 GiB, got "
          + maxMemoryBytes);
    }
    config(instances, memoriesPerInstance, maxMemoryBytes, vmContextBytes);
  }

  /**
   * {@code instances} slots, each of one memory of up to 4 GiB and a VMContext of up to 1 MiB.
   *
   * @param instances instances alive at once, {@code >= 1}
   * @return the sizes
   */
  public static PoolingAllocation ofInstances(int instances) {
    return new PoolingAllocation(instances, 1, 1L << 32, 1 << 20);
  }

  /**
   * These sizes with {@code memories} memories per instance.
   *
   * @param memories memories one instance may define
   * @return the new sizes
   */
  public PoolingAllocation withMemoriesPerInstance(int memories) {
    return new PoolingAllocation(instances, memories, maxMemoryBytes, vmContextBytes);
  }

  /**
   * These sizes with pooled memories of at most {@code bytes}.
   *
   * @param bytes a multiple of 64 KiB up to 4 GiB
   * @return the new sizes
   */
  public PoolingAllocation withMaxMemoryBytes(long bytes) {
    return new PoolingAllocation(instances, memoriesPerInstance, bytes, vmContextBytes);
  }

  /**
   * These sizes with VMContexts of at most {@code bytes}.
   *
   * @param bytes at least 4096
   * @return the new sizes
   */
  public PoolingAllocation withVmContextBytes(long bytes) {
    return new PoolingAllocation(instances, memoriesPerInstance, maxMemoryBytes, bytes);
  }

  dev.kiln.loader.pool.PoolConfig config() {
    return config(instances, memoriesPerInstance, maxMemoryBytes, vmContextBytes);
  }

  private static dev.kiln.loader.pool.PoolConfig config(int instances, int memories, long maxMemoryBytes,
      long vmContextBytes) {
    return new dev.kiln.loader.pool.PoolConfig(instances, memories, maxMemoryBytes / PAGE, vmContextBytes);
  }
}
