package dev.kiln.loader.runtime;

import dev.kiln.artifact.vm.StoreLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What a store's live objects use, against its {@link StoreLimits}: committed bytes (memories' and
 * tables' pages) and table elements (two {@link Budget}s, kept in the store context where compiled
 * memory.grow reads and takes from the byte one: {@link StoreLayout#MEMORY_BYTES_USED}) and the
 * counts of instances, memories and tables. The budgets change only on the thread holding the store's claim (instantiation, host
 * object creation, grows, frees, close), as the compiled grow does, so no lock could order Java's
 * changes against compiled code's anyway; the counts are synchronised, since nothing native reads
 * them.
 */
public final class StoreResources {
  private static final ValueLayout.OfLong FIELD = ValueLayout.JAVA_LONG;

  /** The counted kinds of object. */
  public enum Kind {
    INSTANCE("instances"),
    MEMORY("memories"),
    TABLE("tables"),
    HOST_FUNCTION("host functions");

    private final String plural;

    Kind(String plural) {
      this.plural = plural;
    }
  }

  /** How many kinds are counted: {@code Kind.values()} copies its array on each call. */
  private static final int KINDS = Kind.values().length;

  /** The store, for messages (named when a message first needs it, {@code NativeStore#toString}). */
  private final Object store;
  private final StoreLimits limits;
  private final Budget memoryBytes;
  private final Budget tableElements;
  private final int[] counts = new int[KINDS];
  /** Set when the store frees its context, after which the budgets are not touched (they live in it). */
  private volatile boolean contextFreed;
  /** Address space the store's live memories and tables reserve; guarded by {@code this}. */
  private long reserved;

  /** The accounts live in {@code context}, the store context ({@link StoreLayout}). */
  StoreResources(Object store, StoreLimits limits, MemorySegment context) {
    this.store = store;
    this.limits = limits;
    this.memoryBytes = new Budget(this, store, context, StoreLayout.MEMORY_BYTES_USED, StoreLayout.MEMORY_BYTES_LIMIT,
        limits.maxMemoryBytes(), "byte", "memory");
    this.tableElements = new Budget(this, store, context, StoreLayout.TABLE_ELEMENTS_USED,
        StoreLayout.TABLE_ELEMENTS_LIMIT, limits.maxTableElements(), "element", "table");
  }

  public StoreLimits limits() {
    return limits;
  }

  /**
   * Committed bytes of the store's live memories and tables (a table's header and slots, whole
   * pages), against {@link StoreLimits#maxMemoryBytes}.
   */
  public Budget memoryBytes() {
    return memoryBytes;
  }

  /** Elements of the store's live tables, against {@link StoreLimits#maxTableElements}. */
  public Budget tableElements() {
    return tableElements;
  }

  /**
   * An amount the store's objects share (memory bytes, table elements) and its limit, as two u64
   * fields of the store context: each growth takes first, each free gives back. Called on the
   * thread holding the store's claim (see the class documentation).
   */
  public static final class Budget {
    private final StoreResources owner;
    private final Object store;
    private final MemorySegment context;
    private final long usedOffset;
    private final long limit;
    private final String unit;
    private final String of;

    Budget(StoreResources owner, Object store, MemorySegment context, long usedOffset, long limitOffset, long limit, String unit,
        String of) {
      this.owner = owner;
      this.store = store;
      this.context = context;
      this.usedOffset = usedOffset;
      this.limit = limit;
      this.unit = unit;
      this.of = of;
      context.set(FIELD, limitOffset, limit);
    }

    /** Takes {@code amount} more if the total stays within the limit; {@code false} (nothing taken) otherwise. */
    public boolean tryTake(long amount) {
      long used = used();
      if (amount < 0 || amount > limit - used) {
        return false;
      }
      context.set(FIELD, usedOffset, used + amount);
      return true;
    }

    /**
     * Takes the initial {@code amount} of a new object ({@code what}).
     *
     * @throws ResourceLimitException if it does not fit in what the store has left
     */
    public void take(long amount, Object what) {
      if (!tryTake(amount)) {
        throw new ResourceLimitException(what + " needs " + amount + " " + unit + "s; " + store + " has " + used()
            + " of its " + limit + "-" + unit + " " + of + " limit in use");
      }
    }

    /**
     * Takes {@code amount} for {@code what}, host memory that lives as long as {@code owner} (an
     * instance's VMContext, its passive element items), and gives it back when the owner closes.
     *
     * @throws ResourceLimitException if it does not fit in what the store has left
     */
    public void takeUntilClosed(long amount, Object what, Arena owner) {
      take(amount, what);
      try {
        whenClosed(owner, () -> release(amount));
      } catch (RuntimeException e) {
        release(amount); // the owner is closed already: nothing would give it back
        throw e;
      }
    }

    /**
     * Gives back {@code amount}: what a freed object held, or a taken growth that then failed.
     * Nothing happens once the store itself is closed (an object whose arena outlived it).
     */
    public void release(long amount) {
      if (!owner.contextFreed) {
        context.set(FIELD, usedOffset, used() - amount);
      }
    }

    /**
     * What the store's live objects hold now, including what compiled memory.grow took.
     *
     * @throws IllegalStateException if the store is closed
     */
    public long used() {
      if (owner.contextFreed) {
        throw new IllegalStateException(store + " is closed");
      }
      return context.get(FIELD, usedOffset);
    }
  }

  /**
   * Marks the store context freed ({@link NativeStore#close()}): an object freed later gives back
   * nothing (the accounts went with the store), and reading them fails instead of touching freed
   * memory.
   */
  void contextFreed() {
    contextFreed = true;
  }

  /**
   * Counts one more live {@code kind} ({@code what}) until {@code owner} closes, or refuses it.
   *
   * @throws ResourceLimitException if the store already has as many as its limit allows
   */
  public void add(Kind kind, Object what, Arena owner) {
    add(kind, what);
    whenClosed(owner, () -> remove(kind));
  }

  /**
   * Runs {@code release} when {@code arena} closes: how an object gives back what it took, since
   * its native memory lives exactly as long as its owner's arena (an instance's, or a host
   * object's own).
   */
  public static void whenClosed(Arena arena, Runnable release) {
    MemorySegment.NULL.reinterpret(arena, unused -> release.run());
  }

  /**
   * Reserves {@code bytes} of address space for {@code what} (a memory's or table's reservation)
   * until {@code owner} closes: from the store's share, {@link StoreLimits#maxAddressSpace}, and
   * from the process's ({@link ReservationBudget#PROCESS}), so that no store can take the address
   * space every other store's memories need, and all of them together leave the JVM its own.
   *
   * @throws ResourceLimitException if the store's share has no room for it
   * @throws ModuleInstantiationException if the process's budget has none
   */
  public void reserveAddressSpace(long bytes, Object what, Arena owner) {
    takeReservation(bytes, what);
    if (!ReservationBudget.PROCESS.take(bytes)) {
      giveBackReservation(bytes);
      throw new ModuleInstantiationException("cannot reserve " + bytes + " bytes of address space for " + what
          + ": the process's memories and tables hold " + ReservationBudget.PROCESS.reserved() + " of their "
          + ReservationBudget.PROCESS.limit() + " (every 32-bit memory reserves 4 GiB plus a guard region)");
    }
    try {
      whenClosed(owner, () -> {
        ReservationBudget.PROCESS.release(bytes);
        giveBackReservation(bytes);
      });
    } catch (RuntimeException e) {
      // The owner is closed already: nothing would give the reservation back.
      ReservationBudget.PROCESS.release(bytes);
      giveBackReservation(bytes);
      throw e;
    }
  }

  /**
   * {@link #reserveAddressSpace(long, Object, Arena)} for an owner without an arena, which gives the
   * bytes back itself with {@link #releaseAddressSpace} (a store's GC heap).
   *
   * @throws ResourceLimitException if the store's share has no room for it
   * @throws ModuleInstantiationException if the process's budget has none
   */
  void reserveAddressSpace(long bytes, Object what) {
    takeReservation(bytes, what);
    if (!ReservationBudget.PROCESS.take(bytes)) {
      giveBackReservation(bytes);
      throw new ModuleInstantiationException("cannot reserve " + bytes + " bytes of address space for " + what
          + ": the process's memories and tables hold " + ReservationBudget.PROCESS.reserved() + " of their "
          + ReservationBudget.PROCESS.limit());
    }
  }

  /** Ends one {@link #reserveAddressSpace(long, Object)}. */
  void releaseAddressSpace(long bytes) {
    ReservationBudget.PROCESS.release(bytes);
    giveBackReservation(bytes);
  }

  /**
   * Takes {@code bytes} from the process's address-space budget for {@code what} (an instance
   * pool's memory regions, reserved once for all its stores) until {@code owner} closes.
   *
   * @throws ModuleInstantiationException if the process's budget has no room for it
   */
  public static void reserveProcessAddressSpace(long bytes, Object what, Arena owner) {
    if (!ReservationBudget.PROCESS.take(bytes)) {
      throw new ModuleInstantiationException("cannot reserve " + bytes + " bytes of address space for " + what
          + ": the process's memories and tables hold " + ReservationBudget.PROCESS.reserved() + " of their "
          + ReservationBudget.PROCESS.limit());
    }
    whenClosed(owner, () -> ReservationBudget.PROCESS.release(bytes));
  }

  /** Address space the process's memories, tables and pools reserve now (a snapshot). */
  public static long processReservedAddressSpace() {
    return ReservationBudget.PROCESS.reserved();
  }

  /**
   * Counts {@code bytes} of address space that {@code what} (a pooled memory, whose region the pool
   * reserved) holds against the store's share ({@link StoreLimits#maxAddressSpace}), as an on-demand
   * memory's reservation would be, until {@link #giveBackAddressSpaceShare}.
   *
   * @throws ResourceLimitException if the store's share has no room for it
   */
  public void takeAddressSpaceShare(long bytes, Object what) {
    takeReservation(bytes, what);
  }

  /** Ends one {@link #takeAddressSpaceShare}. */
  public void giveBackAddressSpaceShare(long bytes) {
    giveBackReservation(bytes);
  }

  private synchronized void takeReservation(long bytes, Object what) {
    long limit = limits.maxAddressSpace();
    if (bytes > limit - reserved) {
      throw new ResourceLimitException(what + " reserves " + bytes + " bytes of address space; " + store + " has "
          + reserved + " of its " + limit + "-byte address-space limit in use (every 32-bit memory reserves 4 GiB"
          + " plus a guard region, whatever its size)");
    }
    reserved += bytes;
  }

  private synchronized void giveBackReservation(long bytes) {
    reserved -= bytes;
  }

  /** Address space the store's live memories and tables reserve, against {@link StoreLimits#maxAddressSpace}. */
  public synchronized long reservedAddressSpace() {
    return reserved;
  }

  /**
   * Counts one more live {@code kind} ({@code what}) until {@link #remove}, for an owner without an
   * arena (an instance whose native state comes from the C heap).
   *
   * @throws ResourceLimitException if the store already has as many as its limit allows
   */
  public synchronized void add(Kind kind, Object what) {
    int limit = switch (kind) {
      case INSTANCE -> limits.maxInstances();
      case MEMORY -> limits.maxMemories();
      case TABLE -> limits.maxTables();
      case HOST_FUNCTION -> limits.maxHostFunctions();
    };
    if (counts[kind.ordinal()] >= limit) {
      throw new ResourceLimitException(store + " has " + counts[kind.ordinal()] + " live " + kind.plural
          + ", its limit; cannot create " + what);
    }
    counts[kind.ordinal()]++;
  }

  /** Ends one {@link #add(Kind, String)}. */
  public synchronized void remove(Kind kind) {
    counts[kind.ordinal()]--;
  }

  /** Live objects of {@code kind}. */
  public synchronized int count(Kind kind) {
    return counts[kind.ordinal()];
  }
}
