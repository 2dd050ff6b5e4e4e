package dev.kiln.loader.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.tables.TrapCode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;

/**
 * The faults of native x86-64 wasm code that are traps: out-of-bounds accesses of 32-bit memories
 * that fault in the guard region instead of failing an explicit check (artifact.vm.MemoryGuard),
 * {@code heap_out_of_bounds}; and, as a defence in depth, an access of a null reference's field
 * whose check the compiler wrongly left out, {@code null_reference}, where the fault would otherwise
 * end the JVM. Two process-wide tables say what is Kiln's: the {@code .text} of every loaded native
 * module (with its trap stub), and every 32-bit memory's reservation (with its store's context). A
 * fault whose pc is in the first and whose address is in the second, or in the first pages of the
 * address space, is a wasm trap; any other goes to the handler that was there before (the JVM's).
 *
 * <p>The check is the SIGSEGV handler of {@link FaultHandlerCode}, installed once ({@link
 * #installHandler()}) in front of the JVM's and chained to it, as embedders of Wasmtime in a JVM
 * do: the JVM keeps its own uses of the signal.
 *
 * <p>The handler reads the tables while other threads change them, without a lock (a signal
 * handler cannot take one). So entries are written field by field in an order that is never a
 * false match (payload, start, then end with release semantics; a removed entry has end 0 first),
 * slots are reused rather than moved, and a table that fills up is copied into one twice its size
 * whose address is published before the larger count; the old copy stays allocated (the handler
 * may be reading it) and is never freed, which the doubling bounds. Everything lives in the global
 * arena: the handler may run until the process ends.
 */
public final class WasmFaults {
  // The registry header the handler reads (FaultHandlerCode's offsets).
  private static final long CODE_TABLE = 0;
  private static final long CODE_COUNT = 8;
  private static final long MEMORY_TABLE = 16;
  private static final long MEMORY_COUNT = 24;
  private static final long PREVIOUS_HANDLER = 32;
  private static final long TRAP_CODE = 40;
  private static final long NULL_TRAP_CODE = 48;
  private static final long HEADER_SIZE = 64;
  private static final long ENTRY_SIZE = 24;
  private static final int INITIAL_CAPACITY = 64;

  /**
   * Faults at addresses below this are accesses of a null reference's fields: every field Kiln's
   * code reads through a reference lies below it (a struct has at most 10,000 fields of at most 16
   * bytes, 160 KB; an array's length and a function reference's words are in their first bytes),
   * and nothing is mapped there (Linux keeps the first pages unmapped, {@code vm.mmap_min_addr},
   * and neither the JVM nor the C library maps anything that low).
   */
  public static final long NULL_PAGES_END = 0x100000;

  private static final VarHandle LONG = JAVA_LONG.varHandle();
  private static final MemorySegment REGISTRY = Arena.global().allocate(HEADER_SIZE, 16);
  /** Code entries: {@code {start, end, trap stub}}. */
  private static final Table CODE = new Table(REGISTRY, CODE_TABLE, CODE_COUNT, 0, 16, TableArrays.HEAP);
  /** Reservation entries: {@code {store context, start, end}} (the handler passes the entry as vmctx). */
  private static final Table MEMORY = new Table(REGISTRY, MEMORY_TABLE, MEMORY_COUNT, 8, 0, TableArrays.HEAP);
  private static boolean installed;
  /**
   * Orders {@link Registration#retarget}, which every pooled instantiation makes on whichever
   * thread (issue 41), against what moves or frees an entry (a table's growth, a removal):
   * optimistic for the first (validated, and shared only if something moved meanwhile), so that
   * threads taking pool slots neither wait for each other nor write a common word; exclusive,
   * inside the class monitor, for the others.
   */
  private static final StampedLock ENTRY_MOVES = new StampedLock();
  /** Retargets that fell back to {@link #ENTRY_MOVES}' shared lock (an entry moved meanwhile), for tests. */
  private static final LongAdder RETARGETS_UNDER_THE_LOCK = new LongAdder();

  static {
    REGISTRY.set(JAVA_LONG, TRAP_CODE, TrapCode.HEAP_OUT_OF_BOUNDS.code());
    REGISTRY.set(JAVA_LONG, NULL_TRAP_CODE, TrapCode.NULL_REFERENCE.code());
  }

  private WasmFaults() {}

  /** An entry of one of the tables; {@link #close()} removes it. Idempotent. */
  public static final class Registration implements AutoCloseable {
    /**
     * Stack a removal asks for: half of {@link SharedArenaClose#ROOM}, since a memory's entry is
     * removed as a cleanup of its arena a few frames below that close's own check, and an overflow
     * thrown by a check in a cleanup would lose the cleanups after it (the JDK runs them in a list
     * and catches only {@code RuntimeException}s).
     */
    private static final long REMOVE_ROOM = SharedArenaClose.ROOM / 2;

    private final Table table;
    private final int slot;
    private boolean closed;

    private Registration(Table table, int slot) {
      this.table = table;
      this.slot = slot;
    }

    /**
     * Gives the entry a new payload (a pooled memory's slot passing to an instance of another
     * store): written with release semantics, while no code can fault in the range (the slot is
     * between instances), so the handler never pairs the range with a payload of the wrong owner.
     *
     * <p>Every pooled instantiation does this, on whichever thread, so it writes no word threads
     * share: an optimistic read of {@link #ENTRY_MOVES} (a read of its state, no compare-and-set;
     * the shared lock's two compare-and-sets on one word were a cache line all cycling threads
     * wrote), then the payload, then a check that no table grew or entry was removed meanwhile. If
     * one did, the write may have gone to the copy a growth left behind, and is made again under the
     * shared lock, into the table now published. An entry is never removed while its own retarget
     * runs (the slot's pool is unreachable by then), so the payload never lands in another entry.
     */
    public void retarget(long payload) {
      long optimistic = ENTRY_MOVES.tryOptimisticRead();
      if (optimistic != 0 && !closed) {
        table.setPayload(slot, payload);
        if (ENTRY_MOVES.validate(optimistic)) {
          return;
        }
      }
      long stamp = ENTRY_MOVES.readLock();
      try {
        if (closed) {
          throw new IllegalStateException("the guard-fault entry is removed");
        }
        RETARGETS_UNDER_THE_LOCK.increment();
        table.setPayload(slot, payload);
      } finally {
        ENTRY_MOVES.unlockRead(stamp);
      }
    }

    /**
     * Removes the entry, marked closed only after it, so a close a throwable interrupted is finished
     * by the next instead of leaving the range registered for a store that is gone (issue 35). Begun
     * only with {@link #REMOVE_ROOM} of stack: an overflow inside the lock's {@code writeLock} or
     * {@code unlockWrite} left the process-wide lock held, and every later removal, retarget and
     * registration waited for ever ({@code SharedArenaCloseTest}).
     */
    @Override
    public void close() {
      synchronized (WasmFaults.class) {
        if (closed) {
          return;
        }
        ThreadStack.requireRoom(REMOVE_ROOM, "removing a guard-fault entry");
        long stamp = ENTRY_MOVES.writeLock();
        try {
          if (!closed) {
            table.remove(slot);
            closed = true;
          }
        } finally {
          ENTRY_MOVES.unlockWrite(stamp);
        }
      }
    }
  }

  /**
   * Registers {@code [start, end)} as a 32-bit memory's reservation, of the store whose context is at
   * {@code storeContext}.
   */
  public static synchronized Registration registerMemory(long storeContext, long start, long end) {
    return register(MEMORY, start, end, storeContext);
  }

  /**
   * Registers {@code [start, end)} as a loaded native module's {@code .text}, whose trap stub is at
   * {@code trapStub}. Every native module with a trap stub is registered, not only those that use the
   * guard: the handler also tells a wasm frame from the entry's by its return address.
   */
  public static synchronized Registration registerCode(long start, long end, long trapStub) {
    return register(CODE, start, end, trapStub);
  }

  /**
   * The entry's {@link Registration} is made before the entry is written: an {@code
   * OutOfMemoryError} making it after the entry left the range registered, for a store or module
   * that is gone, with nothing to remove it by (issue 35).
   */
  private static Registration register(Table table, long start, long end, long payload) {
    Registration registration = new Registration(table, table.slotForAdd());
    table.add(registration.slot, start, end, payload);
    return registration;
  }

  /** Memory reservations registered now (a snapshot), for tests that count what a cycle leaves behind. */
  public static synchronized int registeredMemories() {
    return MEMORY.registered();
  }

  /** Retargets so far that took the entry lock (a snapshot), for tests that check a cycle takes none. */
  static long retargetsUnderTheLock() {
    return RETARGETS_UNDER_THE_LOCK.sum();
  }

  /** Whether {@code address} lies in a registered memory reservation. */
  public static synchronized boolean inMemoryReservation(long address) {
    return MEMORY.find(address) >= 0;
  }

  /**
   * Installs the handler in front of the current SIGSEGV action, once per process.
   *
   * @throws NativeException if this host's ISA has no handler, or the current action is not a
   *     handler to chain to (the JVM always installs one)
   */
  public static synchronized void installHandler() {
    if (installed) {
      return;
    }
    List<CodeRow> rows = FaultHandlerCode.forArch(System.getProperty("os.arch")).orElseThrow(() ->
        new NativeException("no guard-page fault handler for " + System.getProperty("os.arch")));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment old = arena.allocate(Libc.SIGACTION_SIZE, 8);
      Libc.sigaction(Libc.SIGSEGV, MemorySegment.NULL, old);
      long previous = old.get(JAVA_LONG, Libc.SA_HANDLER);
      if (previous == 0 || previous == 1) {
        throw new NativeException("SIGSEGV has no handler to chain to (SIG_DFL or SIG_IGN)");
      }
      REGISTRY.set(JAVA_LONG, PREVIOUS_HANDLER, previous);
      // Never unmapped: the handler stays installed until the process ends.
      long handler = VirtualMemory.publishCode(CodeRow.assemble(rows, REGISTRY.address()));
      // The new action is the old one (mask, flags, restorer) with this handler in front.
      MemorySegment act = arena.allocate(Libc.SIGACTION_SIZE, 8);
      act.copyFrom(old);
      act.set(JAVA_LONG, Libc.SA_HANDLER, handler);
      act.set(JAVA_INT, Libc.SA_FLAGS, old.get(JAVA_INT, Libc.SA_FLAGS) | Libc.SA_SIGINFO);
      VarHandle.fullFence();
      Libc.sigaction(Libc.SIGSEGV, act, MemorySegment.NULL);
      installed = true;
    }
  }

  /** Whether {@link #installHandler()} has run. */
  public static synchronized boolean handlerInstalled() {
    return installed;
  }

  /**
   * One table of {@code {start, end, payload}} entries, its address and count published in {@code
   * header}'s fields. Its free slots are an int stack with room for every slot of the table, grown
   * with it before a slot is taken, so a removal allocates nothing and cannot fail half way (issue
   * 35: a slot pushed, boxed, on a deque after its entry was cleared was lost to an {@code
   * OutOfMemoryError}; and a removal runs as an arena's cleanup, where a throwable loses the
   * cleanups after it, since the JDK catches only {@code RuntimeException}s there).
   */
  static final class Table {
    private final MemorySegment header;
    private final long tableField;
    private final long countField;
    private final long startOffset;
    private final long payloadOffset;
    /** Where {@link #free} grows ({@link TableArrays}: a test's runs out on cue). */
    private final TableArrays arrays;
    private MemorySegment entries = MemorySegment.NULL;
    /** Slots whose entries were removed, reused first (a stack); as long as the table has slots. */
    private int[] free = new int[0];
    private int freeCount;
    private int count;

    Table(MemorySegment header, long tableField, long countField, long startOffset, long payloadOffset,
        TableArrays arrays) {
      this.header = header;
      this.tableField = tableField;
      this.countField = countField;
      this.startOffset = startOffset;
      this.payloadOffset = payloadOffset;
      this.arrays = arrays;
    }

    /**
     * The slot the next {@link #add} takes: a free one, else the next, for which the table (and its
     * stack of free slots) grows now if it is full. Takes nothing: an {@code OutOfMemoryError} here
     * leaves the table as it was.
     */
    int slotForAdd() {
      if (freeCount > 0) {
        return free[freeCount - 1];
      }
      if (count == capacity()) {
        grow();
      }
      return count;
    }

    /** Writes the entry into {@code slot}, {@link #slotForAdd}'s answer; allocates nothing. */
    void add(int slot, long start, long end, long payload) {
      if (Long.compareUnsigned(start, end) >= 0) {
        throw new IllegalArgumentException("empty range");
      }
      long at = slot * ENTRY_SIZE;
      entries.set(JAVA_LONG, at + payloadOffset, payload);
      entries.set(JAVA_LONG, at + startOffset, start);
      LONG.setRelease(entries, at + startOffset + 8, end);
      if (slot == count) {
        count++;
        LONG.setRelease(header, countField, (long) count);
      } else {
        freeCount--;
      }
    }

    void setPayload(int slot, long payload) {
      LONG.setRelease(entries, slot * ENTRY_SIZE + payloadOffset, payload);
    }

    /** Clears the entry and frees its slot; allocates nothing ({@link #free} has room for every slot). */
    void remove(int slot) {
      long at = slot * ENTRY_SIZE;
      LONG.setRelease(entries, at + startOffset + 8, 0L);
      LONG.setRelease(entries, at + startOffset, 0L);
      free[freeCount++] = slot;
    }

    /** How many slots hold an entry now. */
    int registered() {
      return count - freeCount;
    }

    /** The slot whose range holds {@code address}, or -1. */
    int find(long address) {
      for (int slot = 0; slot < count; slot++) {
        long at = slot * ENTRY_SIZE;
        long start = entries.get(JAVA_LONG, at + startOffset);
        long end = entries.get(JAVA_LONG, at + startOffset + 8);
        if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
          return slot;
        }
      }
      return -1;
    }

    private int capacity() {
      return (int) (entries.byteSize() / ENTRY_SIZE);
    }

    /** Both new arrays first, then the switch: an allocation that fails leaves the table as it was. */
    private void grow() {
      int capacity = Math.max(INITIAL_CAPACITY, 2 * capacity());
      int[] largerFree = arrays.ints(capacity);
      MemorySegment larger = Arena.global().allocate(capacity * ENTRY_SIZE, 16);
      System.arraycopy(free, 0, largerFree, 0, freeCount);
      free = largerFree; // room for slots the table does not have yet is harmless
      // No retarget between the copy and the switch: its payload would land in the old copy only.
      long stamp = ENTRY_MOVES.writeLock();
      try {
        larger.copyFrom(entries);
        entries = larger;
        LONG.setRelease(header, tableField, larger.address());
      } finally {
        ENTRY_MOVES.unlockWrite(stamp);
      }
    }
  }
}
