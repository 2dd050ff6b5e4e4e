package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.sys.TableArrays;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The process's table of the open stores whose compiled code calls into Java ({@link
 * StoreUpcalls}). Every upcall stub compiled code calls (the host-call entry, the unwinder, the GC
 * slow path) is made once per executor with a static target, since a stub's target is a JNI global
 * root for as long as the stub lives: a target bound to a store's object kept that store, and
 * everything it holds, for the JVM's life (red team 24 F1). The target finds its store here from
 * the store context address it is passed (at offset 0 of the callee vmctx every upcall gets: a
 * VMContext or a host function's context block, {@link VmLayout#STORE_CONTEXT}).
 *
 * <p><b>Lookup.</b> The context block holds its store's slot in this table ({@link
 * StoreContext#UPCALL_SLOT_OFFSET}); a lookup reads it, indexes a volatile snapshot of the table and
 * answers only when the entry there is for exactly that context address. An address that is not an
 * open store's context (a closed store's, whose entry left the table before its block was freed, or
 * any other) finds nothing, so an upcall acts on the store whose context it was given or on none,
 * never on another one. The address itself is the vmctx register compiled code passes, which no
 * guest instruction chooses. The cost is a memory read, an array read and a compare: the unwinder
 * and the GC slow path pay it on every call.
 *
 * <p><b>Lifetime.</b> A store registers when it first needs an upcall ({@link StoreContext#upcalls})
 * and unregisters when its context is freed, before the block goes back to the C heap; freed slots
 * are reused, so the table is as large as the most such stores open at once.
 */
public final class UpcallRegistry {
  /** Every address, to read a context's slot and a vmctx's store context. */
  private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
  private static final Object LOCK = new Object();
  /** Entries by slot; replaced by a larger copy when full, written in place otherwise. */
  private static volatile StoreUpcalls[] table = new StoreUpcalls[16];
  /** Slots given back, reused first (a stack); under the lock. */
  private static int[] freeSlots = new int[16];
  private static int freeCount;
  /** The lowest slot never handed out; under the lock. */
  private static int nextSlot;

  private UpcallRegistry() {}

  /** The open store whose context is {@code storeContext}, or null when none is. */
  static StoreUpcalls of(long storeContext) {
    if (storeContext == 0) {
      return null;
    }
    int slot = ALL.get(JAVA_INT, storeContext + StoreContext.UPCALL_SLOT_OFFSET);
    StoreUpcalls[] entries = table;
    if (slot < 0 || slot >= entries.length) {
      return null;
    }
    StoreUpcalls entry = entries[slot];
    return entry != null && entry.context() == storeContext ? entry : null;
  }

  /** The open store whose context {@code vmctx} (a VMContext or a host context block) names, or null. */
  static StoreUpcalls ofVmctx(long vmctx) {
    return vmctx == 0 ? null : of(ALL.get(JAVA_LONG, vmctx + VmLayout.STORE_CONTEXT));
  }

  /** The host-call switchboard of the open store {@code vmctx} names, or null (none, or none made). */
  public static HostCallTarget hostCallsOf(long vmctx) {
    StoreUpcalls upcalls = ofVmctx(vmctx);
    return upcalls == null ? null : upcalls.hostCalls();
  }

  /** The exception runtime of the open store {@code vmctx} names, or null. */
  static StoreExceptions exceptionsOf(long vmctx) {
    StoreUpcalls upcalls = ofVmctx(vmctx);
    return upcalls == null ? null : upcalls.exceptions();
  }

  /** The GC slow path of the open store {@code vmctx} names, or null. */
  static GcSlowPath gcSlowPathOf(long vmctx) {
    StoreUpcalls upcalls = ofVmctx(vmctx);
    return upcalls == null ? null : upcalls.gcSlowPath();
  }

  /** Registers the store whose context is at {@code context}, its slot written to {@code slotWord}, in the block. */
  static StoreUpcalls register(long context, MemorySegment slotWord) {
    return register(context, slotWord, TableArrays.HEAP);
  }

  /**
   * {@link #register(long, MemorySegment)} with the table grown by {@code arrays}. Every allocation
   * (the entry, a larger table) comes before the slot is taken: an {@code OutOfMemoryError} at either
   * leaves the registry as it was, the slot free for the next store (issue 35: taken first, the slot
   * was lost for the process's life, neither in use nor free).
   */
  static StoreUpcalls register(long context, MemorySegment slotWord, TableArrays arrays) {
    synchronized (LOCK) {
      int slot = freeCount > 0 ? freeSlots[freeCount - 1] : nextSlot;
      StoreUpcalls entry = new StoreUpcalls(context, slot);
      StoreUpcalls[] entries = table;
      if (slot >= entries.length) {
        entries = arrays.copyOf(entries, entries.length * 2);
      }
      // Taken only now, with nothing left to allocate
      if (freeCount > 0) {
        freeCount--;
      } else {
        nextSlot++;
      }
      entries[slot] = entry;
      slotWord.set(JAVA_INT, 0, slot);
      table = entries; // the volatile write publishes the entry, in a new array or the same one
      return entry;
    }
  }

  /**
   * Removes {@code entry} and drops its targets: its store is closing and its context is about to
   * be freed. Idempotent (a close interrupted after it makes it again).
   */
  static void unregister(StoreUpcalls entry) {
    synchronized (LOCK) {
      entry.clear();
      if (freeCount == freeSlots.length) {
        // before the entry leaves: an overflow here leaves it in place for the next close to remove
        freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
      }
      StoreUpcalls[] entries = table;
      int slot = entry.slot();
      if (entries[slot] == entry) {
        entries[slot] = null;
        freeSlots[freeCount++] = slot;
        table = entries;
      }
    }
  }

  /** How many stores are registered now (for tests: a closed store must not be). */
  public static int registered() {
    synchronized (LOCK) {
      return nextSlot - freeCount;
    }
  }
}
