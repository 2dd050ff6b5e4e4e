package dev.kiln.loader.pool;

import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.loader.sys.VirtualMemory;

/**
 * The sizes of an {@link InstancePool}, which the embedder chooses: how many instances may live at
 * once, how many memories and tables each may define, how large a memory or a table may grow, and
 * how many bytes an instance's VMContext (with its passive element items) may take. A module that
 * needs more is refused when instantiated (one line naming the limit), not given memory from elsewhere.
 *
 * @param instances instance slots, {@code >= 1}: instances alive at once in all the engine's stores
 * @param memoriesPerInstance memories one instance may define, {@code >= 0}
 * @param maxMemoryPages pages (64 KiB) a pooled memory may have, at most {@link #MAX_PAGES_64}: a
 *     32-bit memory never has more than 65,536 (spec 4.2.8), so pages past those are for 64-bit
 *     memories, and a slot is then that many bytes plus the guard instead of the 32-bit index space
 *     plus the guard
 * @param vmContextBytes bytes of one instance's VMContext and passive element items, {@code >= 4096}
 * @param tablesPerInstance tables one instance may define, {@code >= 0}
 * @param maxTableElements elements a pooled table may have, {@code 0} to {@link #MAX_TABLE_ELEMENTS}
 */
public record PoolConfig(int instances, int memoriesPerInstance, long maxMemoryPages, long vmContextBytes,
    int tablesPerInstance, long maxTableElements) {
  /** Pages of a 32-bit memory's whole index space (spec 4.2.8). */
  public static final long MAX_PAGES = 1L << 16;
  /**
   * Pages a pooled 64-bit memory may have at most: 2^48 bytes, the x86-64 user half of the address
   * space (the same bound an on-demand 64-bit memory has).
   */
  public static final long MAX_PAGES_64 = 1L << 32;
  /** Elements a table may have at most in Kiln, pooled or not ({@code table.TableInstance}). */
  public static final long MAX_TABLE_ELEMENTS = 1L << 28;
  /** Tables per instance and elements per table when the sizes do not say: one table of 20,000. */
  public static final int DEFAULT_TABLES = 1;
  public static final long DEFAULT_TABLE_ELEMENTS = 20_000;

  public PoolConfig {
    if (instances < 1) {
      throw new IllegalArgumentException("an instance pool needs at least one slot, got " + instances);
    }
    if (memoriesPerInstance < 0) {
      throw new IllegalArgumentException("memories per instance must be >= 0, got " + memoriesPerInstance);
    }
    if (maxMemoryPages < 0 || maxMemoryPages > MAX_PAGES_64) {
      throw new IllegalArgumentException("a pooled memory may have 0 to " + MAX_PAGES_64 + " pages (2^48 bytes), not "
          + maxMemoryPages);
    }
    if (vmContextBytes < 4096) {
      throw new IllegalArgumentException("a VMContext slot needs at least 4096 bytes, got " + vmContextBytes);
    }
    if (tablesPerInstance < 0) {
      throw new IllegalArgumentException("tables per instance must be >= 0, got " + tablesPerInstance);
    }
    if (maxTableElements < 0 || maxTableElements > MAX_TABLE_ELEMENTS) {
      throw new IllegalArgumentException("a pooled table may have 0 to " + MAX_TABLE_ELEMENTS + " elements, not "
          + maxTableElements);
    }
    checkRegions(instances, memoriesPerInstance, maxMemoryPages, vmContextBytes, tablesPerInstance, maxTableElements);
  }

  /** The sizes with the default tables ({@link #DEFAULT_TABLES} of {@link #DEFAULT_TABLE_ELEMENTS}). */
  public PoolConfig(int instances, int memoriesPerInstance, long maxMemoryPages, long vmContextBytes) {
    this(instances, memoriesPerInstance, maxMemoryPages, vmContextBytes, DEFAULT_TABLES, DEFAULT_TABLE_ELEMENTS);
  }

  /** Bytes of one slot's VMContext region: {@code vmContextBytes} rounded up to whole pages. */
  public long vmContextSlotBytes() {
    return VirtualMemory.pageAlign(vmContextBytes);
  }

  /** Bytes of the mapping holding every slot's VMContext region. */
  public long vmContextRegionBytes() {
    return Math.multiplyExact(vmContextSlotBytes(), (long) instances);
  }

  /**
   * Address space of one memory slot: what every 32-bit memory reserves (the index space and the
   * loader's guard), or, for a pool whose memories may be larger than 4 GiB (64-bit ones), that size
   * plus the same guard.
   */
  public long memorySlotBytes() {
    return memorySlotBytes(maxMemoryPages);
  }

  /** Bytes of the mapping holding every slot's memory regions ({@link #memorySlotBytes()} each). */
  public long memoryRegionBytes() {
    return Math.multiplyExact(Math.multiplyExact(memorySlotBytes(), (long) memoriesPerInstance), (long) instances);
  }

  /**
   * Address space of one table slot: the header and {@code maxTableElements} slots in whole pages,
   * then one inaccessible page, as an on-demand table reserves ({@code table.TableInstance}).
   */
  public long tableSlotBytes() {
    return tableSlotBytes(maxTableElements);
  }

  /** Bytes of the mapping holding every slot's table regions ({@link #tableSlotBytes()} each). */
  public long tableRegionBytes() {
    return Math.multiplyExact(Math.multiplyExact(tableSlotBytes(), (long) tablesPerInstance), (long) instances);
  }

  /** Address space the pool reserves: its memory, table and VMContext regions. */
  public long addressSpaceBytes() {
    return Math.addExact(Math.addExact(memoryRegionBytes(), tableRegionBytes()), vmContextRegionBytes());
  }

  private static long memorySlotBytes(long maxMemoryPages) {
    return Math.max(MemoryGuard.RESERVATION_32, maxMemoryPages * MemoryType.PAGE_SIZE) + MemoryGuard.LOADER_GUARD_BYTES;
  }

  private static long tableSlotBytes(long maxTableElements) {
    return VirtualMemory.pageAlign(TableStorage.HEADER_SIZE + maxTableElements * TableStorage.SLOT_SIZE)
        + VirtualMemory.pageSize();
  }

  /**
   * Checks that every size the pool derives from the settings is a 64-bit byte count (exact
   * arithmetic: a product that wrapped would reserve too little, or nothing, for the slots the pool
   * then hands out), naming the settings whose product does not fit.
   */
  private static void checkRegions(int instances, int memoriesPerInstance, long maxMemoryPages, long vmContextBytes,
      int tablesPerInstance, long maxTableElements) {
    long memorySlot = memorySlotBytes(maxMemoryPages);
    long memories;
    try {
      memories = Math.multiplyExact(Math.multiplyExact(memorySlot, (long) memoriesPerInstance), (long) instances);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("an instance pool of " + instances + " instances x " + memoriesPerInstance
          + " memories per instance x " + memorySlot + " bytes of address space per memory does not fit in a"
          + " 64-bit byte count; make instances or memoriesPerInstance smaller");
    }
    long tableSlot = tableSlotBytes(maxTableElements);
    long tables;
    try {
      tables = Math.multiplyExact(Math.multiplyExact(tableSlot, (long) tablesPerInstance), (long) instances);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("an instance pool of " + instances + " instances x " + tablesPerInstance
          + " tables per instance x " + tableSlot + " bytes of address space per table does not fit in a"
          + " 64-bit byte count; make instances, tablesPerInstance or maxTableElements smaller");
    }
    long vmContexts;
    try {
      vmContexts = Math.multiplyExact(VirtualMemory.pageAlign(vmContextBytes), (long) instances);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("an instance pool of " + instances + " instances x vmContextBytes "
          + vmContextBytes + " does not fit in a 64-bit byte count; make instances or vmContextBytes smaller");
    }
    if (memories > Long.MAX_VALUE - vmContexts || tables > Long.MAX_VALUE - vmContexts - memories) {
      throw new IllegalArgumentException("an instance pool of " + instances + " instances x " + memoriesPerInstance
          + " memories and " + tablesPerInstance + " tables per instance with vmContextBytes " + vmContextBytes
          + ": its memory regions (" + memories + " bytes), table regions (" + tables + " bytes) and VMContext regions ("
          + vmContexts + " bytes) together do not fit in a 64-bit byte count;"
          + " make instances, memoriesPerInstance, tablesPerInstance or vmContextBytes smaller");
    }
  }

  /** {@code instances} slots of one memory of up to 4 GiB, the default tables and a VMContext of up to 1 MiB. */
  public static PoolConfig of(int instances) {
    return new PoolConfig(instances, 1, MAX_PAGES, 1 << 20);
  }

  /** Largest size in bytes a pooled memory may grow to. */
  public long maxMemoryBytes() {
    return maxMemoryPages * MemoryType.PAGE_SIZE;
  }
}
