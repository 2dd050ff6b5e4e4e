package dev.kiln.loader.pool;

import dev.kiln.artifact.info.MemoryType;

/**
 * The sizes of an {@link InstancePool}, which the embedder chooses: how many instances may live at
 * once, how many memories each may define, how large a memory may grow, and how many bytes an
 * instance's VMContext may take. A module that needs more is refused when instantiated (one line
 * naming the limit), not given memory from elsewhere.
 *
 * @param instances instance slots, {@code >= 1}: instances alive at once in all the engine's stores
 * @param memoriesPerInstance memories one instance may define, {@code >= 0}
 * @param maxMemoryPages pages (64 KiB) a pooled memory may have, at least its minimum and at most
 *     65,536 (a slot is the 32-bit index space plus its guard)
 * @param vmContextBytes bytes of one instance's VMContext, {@code >= 4096}
 */
public record PoolConfig(int instances, int memoriesPerInstance, long maxMemoryPages, long vmContextBytes) {
  /** Pages of a 32-bit memory's whole index space (spec 4.2.8). */
  public static final long MAX_PAGES = 1L << 16;

  public PoolConfig {
    if (instances < 1) {
      throw new IllegalArgumentException("an instance pool needs at least one slot, got " + instances);
    }
    if (memoriesPerInstance < 0) {
      throw new IllegalArgumentException("memories per instance must be >= 0, got " + memoriesPerInstance);
    }
    if (maxMemoryPages < 0 || maxMemoryPages > MAX_PAGES) {
      throw new IllegalArgumentException("a pooled memory may have 0 to " + MAX_PAGES + " pages, not "
          + maxMemoryPages);
    }
    if (vmContextBytes < 4096) {
      throw new IllegalArgumentException("a VMContext slot needs at least 4096 bytes, got " + vmContextBytes);
    }
    addressSpaceBytes(instances, memoriesPerInstance, vmContextBytes);
  }

  /** Bytes of one slot's VMContext region: {@code vmContextBytes} rounded up to whole pages. */
  public long vmContextSlotBytes() {
    return vmContextSlotBytes(vmContextBytes);
  }

  /** Bytes of the mapping holding every slot's VMContext region. */
  public long vmContextRegionBytes() {
    return Math.multiplyExact(vmContextSlotBytes(), (long) instances);
  }

  /** Bytes of the mapping holding every slot's memory regions ({@link MemorySlot#BYTES} each). */
  public long memoryRegionBytes() {
    return Math.multiplyExact(Math.multiplyExact(MemorySlot.BYTES, (long) memoriesPerInstance), (long) instances);
  }

  /** Address space the pool reserves: its memory regions and its VMContext regions. */
  public long addressSpaceBytes() {
    return Math.addExact(memoryRegionBytes(), vmContextRegionBytes());
  }

  private static long vmContextSlotBytes(long vmContextBytes) {
    return dev.kiln.loader.sys.VirtualMemory.pageAlign(vmContextBytes);
  }

  /**
   * Checks that every size the pool derives from the settings is a 64-bit byte count (exact
   * arithmetic: a product that wrapped would reserve too little, or nothing, for the slots the pool
   * then hands out), naming the settings whose product does not fit.
   */
  private static void addressSpaceBytes(int instances, int memoriesPerInstance, long vmContextBytes) {
    long memories;
    try {
      memories = Math.multiplyExact(Math.multiplyExact(MemorySlot.BYTES, (long) memoriesPerInstance), (long) instances);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("an instance pool of " + instances + " instances x " + memoriesPerInstance
          + " memories per instance x " + MemorySlot.BYTES + " bytes of address space per memory does not fit in a"
          + " 64-bit byte count; make instances or memoriesPerInstance smaller");
    }
    long vmContexts;
    try {
      vmContexts = Math.multiplyExact(vmContextSlotBytes(vmContextBytes), (long) instances);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("an instance pool of " + instances + " instances x vmContextBytes "
          + vmContextBytes + " does not fit in a 64-bit byte count; make instances or vmContextBytes smaller");
    }
    if (memories > Long.MAX_VALUE - vmContexts) {
      throw new IllegalArgumentException("an instance pool of " + instances + " instances x " + memoriesPerInstance
          + " memories per instance with vmContextBytes " + vmContextBytes + ": its memory regions (" + memories
          + " bytes) and VMContext regions (" + vmContexts + " bytes) together do not fit in a 64-bit byte count;"
          + " make instances, memoriesPerInstance or vmContextBytes smaller");
    }
  }

  /** {@code instances} slots of one memory of up to 4 GiB each and a VMContext of up to 1 MiB. */
  public static PoolConfig of(int instances) {
    return new PoolConfig(instances, 1, MAX_PAGES, 1 << 20);
  }

  /** Largest size in bytes a pooled memory may grow to. */
  public long maxMemoryBytes() {
    return maxMemoryPages * MemoryType.PAGE_SIZE;
  }
}
