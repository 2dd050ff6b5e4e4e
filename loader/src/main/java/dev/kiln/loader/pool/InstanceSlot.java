package dev.kiln.loader.pool;

import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.List;

/**
 * What one pooled instance holds: a VMContext region, which also holds its passive element
 * segments' items ({@link #afterVmctx}), its memories' regions ({@link MemorySlot}) and its tables'
 * ({@link TableSlot}). Taken with {@link InstancePool#acquire}, given back with {@link #release}:
 * the VMContext and item bytes the instance used are zeroed and each memory and table the instance
 * had is emptied before another instance can take the slot.
 */
public final class InstanceSlot {
  private final InstancePool pool;
  private final int index;
  private final VirtualMemory vmctxRegion;
  private final List<MemorySlot> memories;
  private final List<TableSlot> tables;
  /** VMContext (and item) bytes the current instance uses, zeroed on release. */
  private long vmctxInUse;

  InstanceSlot(InstancePool pool, int index, VirtualMemory vmctxRegion, List<MemorySlot> memories,
      List<TableSlot> tables) {
    this.pool = pool;
    this.index = index;
    this.vmctxRegion = vmctxRegion;
    this.memories = memories;
    this.tables = tables;
  }

  int index() {
    return index;
  }

  /**
   * The slot's VMContext, {@code bytes} long (zero: a slot is zero when made, and zeroed again when
   * released).
   *
   * @throws IllegalArgumentException if it is larger than the pool's VMContext slots
   */
  public MemorySegment vmctx(long bytes) {
    if (bytes > vmctxRegion.size()) {
      throw new IllegalArgumentException("a VMContext of " + bytes + " bytes in a slot of " + vmctxRegion.size());
    }
    vmctxInUse = bytes;
    return vmctxRegion.segment().asSlice(0, bytes);
  }

  /**
   * {@code bytes} of the VMContext region right after what the instance uses so far (8-byte
   * aligned), for data the instance keeps as long as it lives and compiled code reaches only
   * through VMContext records (passive element segments' items): zero, and zeroed again on release.
   *
   * @throws IllegalArgumentException if the region has no room for them (the instance checks the
   *     sum against the pool's size before it takes anything)
   */
  public MemorySegment afterVmctx(long bytes) {
    long start = (vmctxInUse + 7) & ~7L;
    if (bytes < 0 || bytes > vmctxRegion.size() - start) {
      throw new IllegalArgumentException(bytes + " bytes after a VMContext of " + vmctxInUse + " in a slot of "
          + vmctxRegion.size());
    }
    vmctxInUse = start + bytes;
    return vmctxRegion.segment().asSlice(start, bytes);
  }

  /**
   * Keeps this slot's pool, and with it every mapping of the pool, reachable until {@code scope}
   * closes: the scope of whatever an instance in the slot hands out as raw memory (its views of the
   * slot's memories). A segment re-scoped to {@code scope} no longer references the pool's own
   * automatic arena, which unmaps every slot once nothing reaches the pool; without this, a view
   * kept after the engine, store and instance became garbage (none of them closed) would be
   * "alive" over unmapped pages, or over the slots of the next pool the kernel put at the same
   * addresses. While {@code scope} is open the slot is also not given back (its instance is not
   * freed), so what such a view shows is this instance's memory and nobody else's.
   */
  public void keepMappedWhileOpen(Arena scope) {
    StoreResources.whenClosed(scope, () -> Reference.reachabilityFence(pool));
  }

  /** The region of the instance's defined memory {@code definedIndex}. */
  public MemorySlot memory(int definedIndex) {
    return memories.get(definedIndex);
  }

  /** The region of the instance's defined table {@code definedIndex}. */
  public TableSlot table(int definedIndex) {
    return tables.get(definedIndex);
  }

  /**
   * Empties the slot and gives it back to the pool: for each memory, the length its instance left
   * (from the memory's definition record, since compiled code grows it), each table the instance
   * had (tables grow only through Java, so the slot knows their pages), then the VMContext.
   *
   * @param memoryLengths the byte length of each defined memory the instance had
   */
  public void release(long[] memoryLengths) {
    for (int m = 0; m < memoryLengths.length; m++) {
      memories.get(m).reset(memoryLengths[m]);
    }
    for (TableSlot table : tables) {
      table.reset();
    }
    vmctxRegion.segment().asSlice(0, vmctxInUse).fill((byte) 0);
    vmctxInUse = 0;
    pool.giveBack(this);
  }
}
