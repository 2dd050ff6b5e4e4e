package dev.kiln.loader.instance;

import dev.kiln.artifact.info.ElementSegment;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.SegmentMode;
import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.pool.InstancePool;
import dev.kiln.loader.pool.InstanceSlot;
import dev.kiln.loader.pool.PoolConfig;
import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.sys.NativeHeap;
import dev.kiln.loader.sys.SharedArenaClose;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * Where one {@link LoadedInstance}'s native memory lives, and what its store is charged for it:
 * the VMContext block, the instance's shared arena, an engine pool's slot, and the store's counts
 * of instances and bytes. Made before anything else of the instance (a refusal here takes nothing),
 * freed after everything else ({@link #free}).
 *
 * <p><b>Where it lives.</b> Memories, tables, builtin upcall stubs and passive element items live
 * in one shared arena of the instance: a memory's bytes are handed to the embedder as a {@link
 * MemorySegment} ({@code Memory.segment()}) that must fail cleanly, not fault, when used after
 * the free, and only a shared arena's close (which stops every JVM thread in a handshake to make
 * sure none is inside an access) gives that. An instance with a memory or a table keeps its
 * VMContext in that arena too, since the memories' and tables' definition records, which their
 * embedder-facing objects read, are inline in it. An instance with neither (nor element segments)
 * has nothing an embedder can view as raw memory: its VMContext comes from the C heap ({@link
 * NativeHeap}) and no arena is made, so making and closing it costs no handshake. Its VMContext is
 * then read and written only under the store's thread claim, which every free takes: by compiled
 * code, by instantiation, by calls ({@code FunctionInstance#call}) and by its globals ({@code
 * GlobalInstance}), each after checking that the instance is alive.
 *
 * <p><b>Pooled.</b> In a store whose engine has an {@link InstancePool}, the VMContext, the passive
 * element items (after the VMContext in its region), the defined memories and the defined tables
 * are a pool slot's instead (no mapping, no arena): the memories' bytes and the tables' slots reach
 * an embedder only through views scoped to the instance's arena, made on the first such view and
 * closed when the instance is freed, before its slot (memories and tables emptied, VMContext and
 * items zeroed) goes back to the pool. Builtin upcall stubs (a module whose code calls a table
 * builtin) stay in the arena.
 */
final class InstanceStorage {
  private final LoadedModule module;
  private final NativeStore store;
  /** The VMContext's size in bytes, what the store's byte limit is charged for it. */
  private final long vmctxBytes;
  /** The engine's pool, if the store has one: then the memories and VMContext are its. */
  private final InstancePool pool;
  /** The pool slot holding the VMContext and the defined memories, or null. */
  private final InstanceSlot slot;
  /** Whether the VMContext is in {@link #arena} rather than from the C heap or a pool slot. */
  private final boolean vmctxInArena;
  private final MemorySegment vmctx;
  /** Memories, tables, upcall stubs, element items and, with a memory or table, the VMContext; null until something needs it. */
  private Arena arena;

  /**
   * Counts an instance of {@code module} against {@code store}'s limits and takes its VMContext of
   * {@code vmctxBytes}: from the engine's pool, else from the arena or the C heap.
   *
   * @throws ResourceLimitException if the store's limits or the pool refuse it (nothing taken)
   * @throws ModuleInstantiationException if the module does not fit one pool slot
   */
  InstanceStorage(LoadedModule module, NativeStore store, long vmctxBytes, ModuleFacts facts) {
    this.module = module;
    this.store = store;
    this.vmctxBytes = vmctxBytes;
    ModuleInfo info = module.info();
    long vmctxLimit = store.resources().limits().maxVmContextBytes();
    if (vmctxBytes > vmctxLimit) {
      // Refused before anything is allocated or taken from the store (StoreLimits.DEFAULT_VMCONTEXT_BYTES).
      throw new ResourceLimitException("the VMContext of an instance of " + module + " needs " + vmctxBytes
          + " bytes, more than the " + vmctxLimit + " bytes " + store + " allows one instance");
    }
    this.pool = store.attached(InstancePool.class).orElse(null);
    this.vmctxInArena = pool == null && (!info.memories().isEmpty() || !info.tables().isEmpty());
    if (pool != null) {
      checkFitsPool(pool.config());
    }
    StoreResources resources = store.resources();
    // The VMContext grows with what the module declares (functions, globals, memories, tables,
    // segments), and the store, not the module, pays for each instance's: counted before it is
    // allocated, so a module declaring more than the store's byte limit is one line, not an allocation.
    resources.memoryBytes().take(vmctxBytes, facts.vmctxWhat());
    boolean counted = false;
    MemorySegment block = null;
    InstanceSlot taken = null;
    try {
      // no lambda for the retry: this is every instantiation's path (issue 41 counts its garbage)
      try {
        resources.add(StoreResources.Kind.INSTANCE, facts.instanceWhat());
      } catch (ResourceLimitException refused) {
        makeRoomOrRethrow(store, refused);
        resources.add(StoreResources.Kind.INSTANCE, facts.instanceWhat());
      }
      counted = true;
      if (pool != null) {
        try {
          taken = pool.acquire(facts.instanceWhat());
        } catch (ResourceLimitException refused) {
          // The pool is the engine's: another store's closed garbage may hold the slots.
          if (!store.decideOwnersToMakeRoom() && !pool.makeRoomFor(store)) {
            throw refused;
          }
          taken = pool.acquire(facts.instanceWhat());
        }
        block = taken.vmctx(vmctxBytes);
      } else {
        block = vmctxInArena ? arena().allocate(vmctxBytes, 16) : NativeHeap.allocate(vmctxBytes);
      }
    } catch (RuntimeException | Error e) {
      if (arena != null) {
        arena.close();
      }
      if (taken != null) {
        taken.release(new long[0]);
      } else if (block != null && !vmctxInArena) {
        NativeHeap.free(block);
      }
      if (counted) {
        resources.remove(StoreResources.Kind.INSTANCE);
      }
      resources.memoryBytes().release(vmctxBytes);
      throw e;
    }
    this.slot = taken;
    this.vmctx = block;
  }

  /**
   * Called when counting an instance against {@link
   * dev.kiln.loader.runtime.StoreLimits#maxInstances} was refused: returns (so that the caller
   * tries once more) only if the store's owner decision freed closed instances only its heap kept
   * ({@link NativeStore#decideOwnersToMakeRoom}); those hold their count (and a pool slot: the
   * pool's refusal asks the engine's other stores too, {@link InstancePool#makeRoomFor}) until a
   * decision, which otherwise comes only every 16 closes or at a host collection.
   */
  private static void makeRoomOrRethrow(NativeStore store, ResourceLimitException refused) {
    if (!store.decideOwnersToMakeRoom()) {
      throw refused;
    }
  }

  /**
   * Refuses a module the engine's pool has no room for in one slot (more memories than a slot
   * holds, a VMContext larger than a slot's), before anything is taken: a pool is a promise about
   * sizes, so such a module is not given memory from elsewhere.
   */
  private void checkFitsPool(PoolConfig config) {
    ModuleInfo info = module.info();
    if (info.memories().size() > config.memoriesPerInstance()) {
      throw new ModuleInstantiationException(module + " defines " + info.memories().size()
          + " memories; the engine's instance pool holds " + config.memoriesPerInstance() + " per instance");
    }
    if (info.tables().size() > config.tablesPerInstance()) {
      throw new ModuleInstantiationException(module + " defines " + info.tables().size()
          + " tables; the engine's instance pool holds " + config.tablesPerInstance() + " per instance");
    }
    // The passive element items follow the VMContext in its slot (InstanceSlot.afterVmctx), 8-aligned.
    long items = hostBytes() - vmctxBytes;
    long needed = ((vmctxBytes + 7) & ~7L) + items;
    if (needed > config.vmContextBytes()) {
      throw new ModuleInstantiationException(module + " needs a VMContext of " + vmctxBytes + " bytes"
          + (needed > vmctxBytes ? " and " + items + " bytes of passive element items" : "")
          + "; the engine's instance pool holds " + config.vmContextBytes() + " per instance");
    }
  }

  /** The VMContext block. */
  MemorySegment vmctx() {
    return vmctx;
  }

  /** The engine's pool, or null if the store has none. */
  InstancePool pool() {
    return pool;
  }

  /** The pool slot holding the VMContext, the defined memories and tables, or null. */
  InstanceSlot slot() {
    return slot;
  }

  /** The instance's shared arena, made on first use (see "Where it lives" above). */
  Arena arena() {
    if (arena == null) {
      arena = Arena.ofShared();
      if (slot != null) {
        // Views of the slot's memories are scoped to this arena: it must hold the pool's mappings.
        slot.keepMappedWhileOpen(arena);
      }
    }
    return arena;
  }

  /**
   * Host memory the instance holds against its store's byte limit beyond its memories and tables:
   * its VMContext and its passive element segments' items (8 bytes each).
   */
  long hostBytes() {
    long bytes = vmctxBytes;
    for (ElementSegment segment : module.info().elements()) {
      if (segment.mode() == SegmentMode.PASSIVE) {
        bytes += 8L * segment.items().size();
      }
    }
    return bytes;
  }

  /**
   * Frees its memory (the counts are given back by {@link #uncountInstance} and {@link
   * #uncountBytes}, each a step of the instance's free of its own): the arena first, so that views of
   * pooled memories handed out fail from then on, then the pooled memories (those of {@code memories} that {@code
   * owner} made, in their order) and {@code tables} (null if none were made) are emptied and the
   * slot goes back to the pool; or the C-heap block is freed.
   */
  void freeMemory(List<MemoryInstance> memories, Lifetime owner, InstanceTables tables) {
    if (arena != null) {
      // First: views of pooled memories handed out fail from now on, before the slot is reused.
      SharedArenaClose.closeIfOpen(arena, module);
    }
    if (slot != null) {
      // A loop: a stream here was a buffer and pipeline objects every cycle, memories or not.
      long[] lengths = new long[memories.size()];
      int defined = 0;
      for (MemoryInstance memory : memories) {
        if (memory.owner() == owner) {
          lengths[defined++] = memory.releasePooled();
        }
      }
      lengths = defined == lengths.length ? lengths : Arrays.copyOf(lengths, defined);
      if (tables != null) {
        tables.releasePooled();
      }
      slot.release(lengths);
    } else if (!vmctxInArena) {
      NativeHeap.free(vmctx);
    }
  }

  /** All three steps at once: for an instantiation refused before it had anything else to free. */
  void free() {
    freeMemory(List.of(), null, null);
    uncountInstance();
    uncountBytes();
  }

  /** Takes the instance out of the store's instance count (a step of its own: see LoadedInstance's free). */
  void uncountInstance() {
    store.resources().remove(StoreResources.Kind.INSTANCE);
  }

  /** Gives back the bytes the VMContext was charged to the store's memory budget. */
  void uncountBytes() {
    store.resources().memoryBytes().release(vmctxBytes);
  }
}
