package dev.kiln.loader.pool;

import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An engine's instance pool (Wasmtime's pooling allocator, in Kiln's terms): every slot's VMContext
 * region, memory regions and table regions reserved up front, in three mappings made when the pool is made, and
 * handed to instances from a free list. Instantiating takes a slot, freeing an instance empties it
 * and puts it back; neither maps nor unmaps anything (the test counts {@code sys.MappingCalls}).
 *
 * <p><b>Address space.</b> The memory mapping is {@code instances x memoriesPerInstance x}
 * {@link PoolConfig#memorySlotBytes()} of {@code PROT_NONE, MAP_NORESERVE} address space, the table
 * mapping likewise {@link PoolConfig#tableSlotBytes()} per table, taken with the VMContext regions
 * from the process's reservation budget once ({@link
 * PoolConfig#addressSpaceBytes}); a store's own share ({@code StoreLimits.maxAddressSpace}) and
 * its other limits are still charged per instance by the instance's memories and tables. The mappings live as
 * long as the pool object: an automatic arena unmaps them once neither the engine nor any store
 * holding the pool can reach it (a store's instances hold the pool through their store). One rule
 * for raw memory handed out of a slot: its scope must keep the pool reachable ({@link
 * InstanceSlot#keepMappedWhileOpen}), so a view kept after the engine and its stores became
 * garbage still shows its own instance's pages, never unmapped ones or another pool's.
 *
 * <p><b>Free list.</b> A stack of slot indices with a version-stamped head (compare-and-set, no
 * lock): threads making instances of one engine share it, so it must not be a lock they queue on.
 * The stack gives back the slot freed last, whose pages are the most likely to be cached.
 *
 * <p><b>A slot per thread.</b> In front of the stack each thread keeps the slot it freed last
 * ({@link #cached}): its next instance takes that slot again, so a thread making an instance per
 * request reuses one slot, whose VMContext and memory pages its core has just written, and writes
 * nothing other threads share. Through the shared stack, two threads traded slots on nearly every
 * cycle, and with them the cache lines of the slot's emptied pages and of the stack's head (issue
 * 41: two threads made 1.2-1.3 times one thread's instances). A kept slot is still free: its state
 * ({@link #state}) says so, and the thread takes it back with a compare-and-set from {@code CACHED}
 * to {@code TAKEN}, which another thread may win first when the stack is empty ({@link #steal}), so
 * a thread that stops making instances strands no slot. Each state is on a cache line of its own.
 */
public final class InstancePool {
  private final PoolConfig config;
  private final InstanceSlot[] slots;
  /** Head of the free stack: version in the high 32 bits, slot index + 1 in the low (0 = empty). */
  private final AtomicLong head = new AtomicLong();
  /** Below each free slot on the stack: its index + 1, 0 at the bottom. */
  private final AtomicIntegerArray next;
  /** Each slot's {@link #TAKEN}, {@link #STACKED} or {@link #CACHED}, at {@code index * STATE_STRIDE}. */
  private final AtomicIntegerArray state;
  /** The slot each thread freed last (a one-element array, -1 for none); it may have been stolen since. */
  private final ThreadLocal<int[]> cached = ThreadLocal.withInitial(() -> new int[] {-1});
  /** The stores whose closed instances may keep slots until their owner decision. */
  private final HeapHeldSlotStores heapHeld = new HeapHeldSlotStores();

  /** In use by an instance. */
  private static final int TAKEN = 0;
  /** Free, on the shared stack. */
  private static final int STACKED = 1;
  /** Free, kept by the thread that freed it (and takeable by any). */
  private static final int CACHED = 2;
  /** Ints between two slots' states: 64 bytes, so that threads keeping slots write no line in common. */
  private static final int STATE_STRIDE = 16;

  private InstancePool(PoolConfig config, Arena arena) {
    this.config = config;
    int instances = config.instances();
    this.next = new AtomicIntegerArray(instances);
    this.state = new AtomicIntegerArray(instances * STATE_STRIDE);
    long vmctxBytes = config.vmContextSlotBytes();
    VirtualMemory vmctxs = VirtualMemory.reserve(config.vmContextRegionBytes(), arena);
    vmctxs.protect(0, vmctxs.size(), dev.kiln.loader.sys.Protection.READ_WRITE);
    long memoryBytes = config.memoryRegionBytes();
    long memorySlotBytes = config.memorySlotBytes();
    VirtualMemory memories = memoryBytes == 0 ? null : VirtualMemory.reserve(memoryBytes, arena);
    long tableBytes = config.tableRegionBytes();
    long tableSlotBytes = config.tableSlotBytes();
    VirtualMemory tables = tableBytes == 0 ? null : VirtualMemory.reserve(tableBytes, arena);
    this.slots = new InstanceSlot[instances];
    for (int i = 0; i < instances; i++) {
      List<MemorySlot> memorySlots = new ArrayList<>(config.memoriesPerInstance());
      for (int m = 0; m < config.memoriesPerInstance(); m++) {
        long at = ((long) i * config.memoriesPerInstance() + m) * memorySlotBytes;
        MemorySlot slot = new MemorySlot(memories.slice(at, memorySlotBytes));
        memorySlots.add(slot);
        // The registration alone, not the slot: a cleanup that reached the arena's own memory
        // would keep an automatic arena alive for ever.
        StoreResources.whenClosed(arena, slot.guard()::close);
      }
      List<TableSlot> tableSlots = new ArrayList<>(config.tablesPerInstance());
      for (int t = 0; t < config.tablesPerInstance(); t++) {
        tableSlots.add(new TableSlot(tables.slice(((long) i * config.tablesPerInstance() + t) * tableSlotBytes,
            tableSlotBytes)));
      }
      slots[i] = new InstanceSlot(this, i, vmctxs.slice((long) i * vmctxBytes, vmctxBytes), List.copyOf(memorySlots),
          List.copyOf(tableSlots));
    }
    for (int i = instances - 1; i >= 0; i--) {
      push(i);
    }
  }

  /**
   * Reserves a pool of {@code config}'s sizes.
   *
   * @throws dev.kiln.loader.runtime.ModuleInstantiationException if the process's address-space
   *     budget for memories has no room for the pool's memory and VMContext regions
   * @throws dev.kiln.loader.sys.NativeException if the kernel refuses the mappings
   */
  public static InstancePool create(PoolConfig config) {
    Arena arena = Arena.ofAuto();
    // The VMContext regions count too: they are address space the process's memories cannot have.
    StoreResources.reserveProcessAddressSpace(config.addressSpaceBytes(), "an instance pool of "
        + config.instances() + " slots", arena);
    return new InstancePool(config, arena);
  }

  public PoolConfig config() {
    return config;
  }

  /**
   * Takes a free slot for an instance ({@code what}, for the message).
   *
   * @throws ResourceLimitException if every slot is in use
   */
  public InstanceSlot acquire(String what) {
    int[] mine = cached.get();
    int index = mine[0];
    mine[0] = -1;
    if (index < 0 || !state.compareAndSet(index * STATE_STRIDE, CACHED, TAKEN)) {
      index = pop();
    }
    if (index < 0) {
      index = steal();
    }
    if (index < 0) {
      throw new ResourceLimitException("the engine's instance pool has all of its " + slots.length
          + " slots in use; cannot create " + what + " (close instances or stores, or make the pool larger)");
    }
    return slots[index];
  }

  /**
   * {@code store} holds a slot whose instance its GC heap may keep after its close (until an owner
   * decision): another store refused a slot will ask it to decide ({@link #makeRoomFor}). Called
   * under the store's claim, as the instance is made.
   */
  public void heldByHeapIn(NativeStore store) {
    heapHeld.add(store);
  }

  /**
   * {@code refused} found every slot in use (and its own owner decision freed none): the other
   * stores holding slots their closed instances keep make their owner decisions, those no other
   * thread is in ({@link HeapHeldSlotStores}).
   *
   * @return whether one freed instances, so that taking a slot is worth one more try
   */
  public boolean makeRoomFor(NativeStore refused) {
    return heapHeld.makeRoomFor(refused);
  }

  /** Free slots now (a snapshot): on the stack or kept by a thread. */
  public int freeSlots() {
    int free = 0;
    for (int i = 0; i < slots.length; i++) {
      if (state.get(i * STATE_STRIDE) != TAKEN) {
        free++;
      }
    }
    return free;
  }

  /**
   * Puts {@code slot} back: kept by this thread for its next instance unless it keeps one already
   * (a slot it kept and nobody stole), else on the shared stack.
   */
  void giveBack(InstanceSlot slot) {
    int[] mine = cached.get();
    if (mine[0] < 0 || state.get(mine[0] * STATE_STRIDE) != CACHED) {
      mine[0] = slot.index();
      state.set(slot.index() * STATE_STRIDE, CACHED);
      return;
    }
    push(slot.index());
  }

  /** A slot some thread keeps, taken from it, or -1: the stack is empty, but a kept slot is free too. */
  private int steal() {
    for (int i = 0; i < slots.length; i++) {
      if (state.get(i * STATE_STRIDE) == CACHED && state.compareAndSet(i * STATE_STRIDE, CACHED, TAKEN)) {
        return i;
      }
    }
    return -1;
  }

  private void push(int index) {
    state.set(index * STATE_STRIDE, STACKED);
    while (true) {
      long h = head.get();
      next.set(index, (int) h);
      if (head.compareAndSet(h, (((h >>> 32) + 1) << 32) | (index + 1L))) {
        return;
      }
    }
  }

  private int pop() {
    while (true) {
      long h = head.get();
      int top = (int) h - 1;
      if (top < 0) {
        return -1;
      }
      // The version in the head makes the swap fail if the slot was taken and given back meanwhile
      // (a stale `below` read then): the classic ABA of a lock-free stack.
      int below = next.get(top);
      if (head.compareAndSet(h, (((h >>> 32) + 1) << 32) | (below & 0xFFFF_FFFFL))) {
        state.set(top * STATE_STRIDE, TAKEN);
        return top;
      }
    }
  }
}
