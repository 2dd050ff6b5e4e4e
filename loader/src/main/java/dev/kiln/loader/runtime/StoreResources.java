package dev.kiln.loader.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What a store's live objects use, against its {@link StoreLimits}: memory bytes and table elements
 * (two {@link Budget}s) and the counts of instances, memories and tables. Growth from wasm runs on
 * the store's claiming thread, but host objects are made and freed from any thread and frees run
 * at store close, so every method is synchronised; none is on a hot path (a grow, a creation or a
 * free).
 */
public final class StoreResources {
  /** The three counted kinds of object. */
  public enum Kind {
    INSTANCE("instances"),
    MEMORY("memories"),
    TABLE("tables");

    private final String plural;

    Kind(String plural) {
      this.plural = plural;
    }
  }

  private final String store;
  private final StoreLimits limits;
  private final Budget memoryBytes;
  private final Budget tableElements;
  private final int[] counts = new int[Kind.values().length];

  StoreResources(String store, StoreLimits limits) {
    this.store = store;
    this.limits = limits;
    this.memoryBytes = new Budget(store, limits.maxMemoryBytes(), "byte", "memory");
    this.tableElements = new Budget(store, limits.maxTableElements(), "element", "table");
  }

  public StoreLimits limits() {
    return limits;
  }

  /** Committed linear-memory bytes of the store's live memories, against {@link StoreLimits#maxMemoryBytes}. */
  public Budget memoryBytes() {
    return memoryBytes;
  }

  /** Elements of the store's live tables, against {@link StoreLimits#maxTableElements}. */
  public Budget tableElements() {
    return tableElements;
  }

  /**
   * An amount the store's objects share (memory bytes, table elements) and its limit: each growth
   * takes first, each free gives back.
   */
  public static final class Budget {
    private final String store;
    private final long limit;
    private final String unit;
    private final String of;
    private long used;

    Budget(String store, long limit, String unit, String of) {
      this.store = store;
      this.limit = limit;
      this.unit = unit;
      this.of = of;
    }

    /** Takes {@code amount} more if the total stays within the limit; {@code false} (nothing taken) otherwise. */
    public synchronized boolean tryTake(long amount) {
      if (amount < 0 || amount > limit - used) {
        return false;
      }
      used += amount;
      return true;
    }

    /**
     * Takes the initial {@code amount} of a new object ({@code what}).
     *
     * @throws ResourceLimitException if it does not fit in what the store has left
     */
    public void take(long amount, String what) {
      if (!tryTake(amount)) {
        throw new ResourceLimitException(what + " needs " + amount + " " + unit + "s; " + store + " has " + used()
            + " of its " + limit + "-" + unit + " " + of + " limit in use");
      }
    }

    /** Gives back {@code amount}: what a freed object held, or a taken growth that then failed. */
    public synchronized void release(long amount) {
      used -= amount;
    }

    /** What the store's live objects hold now. */
    public synchronized long used() {
      return used;
    }
  }

  /**
   * Counts one more live {@code kind} ({@code what}) until {@code owner} closes, or refuses it.
   *
   * @throws ResourceLimitException if the store already has as many as its limit allows
   */
  public void add(Kind kind, String what, Arena owner) {
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

  private synchronized void add(Kind kind, String what) {
    int limit = switch (kind) {
      case INSTANCE -> limits.maxInstances();
      case MEMORY -> limits.maxMemories();
      case TABLE -> limits.maxTables();
    };
    if (counts[kind.ordinal()] >= limit) {
      throw new ResourceLimitException(store + " has " + counts[kind.ordinal()] + " live " + kind.plural
          + ", its limit; cannot create " + what);
    }
    counts[kind.ordinal()]++;
  }

  private synchronized void remove(Kind kind) {
    counts[kind.ordinal()]--;
  }

  /** Live objects of {@code kind}. */
  public synchronized int count(Kind kind) {
    return counts[kind.ordinal()];
  }
}
