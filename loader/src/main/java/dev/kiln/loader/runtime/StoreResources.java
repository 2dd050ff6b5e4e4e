package dev.kiln.loader.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What a store's live objects use, against its {@link StoreLimits}: memory bytes and table elements
 * (each growth asks first, each free gives back) and the counts of instances, memories and tables.
 * Growth from wasm runs on the store's claiming thread, but host objects are made and freed from
 * any thread and frees run at store close, so every method is synchronised; none is on a hot path
 * (a grow, a creation or a free).
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
  private long memoryBytes;
  private long tableElements;
  private final int[] counts = new int[Kind.values().length];

  StoreResources(String store, StoreLimits limits) {
    this.store = store;
    this.limits = limits;
  }

  public StoreLimits limits() {
    return limits;
  }

  /**
   * Takes {@code bytes} more of linear memory if the store's total stays within {@link
   * StoreLimits#maxMemoryBytes}; {@code false} (and nothing taken) otherwise.
   */
  public synchronized boolean tryGrowMemory(long bytes) {
    if (bytes < 0 || bytes > limits.maxMemoryBytes() - memoryBytes) {
      return false;
    }
    memoryBytes += bytes;
    return true;
  }

  /**
   * Takes the initial {@code bytes} of a new memory ({@code what}).
   *
   * @throws ResourceLimitException if they do not fit in what the store has left
   */
  public void takeMemory(long bytes, String what) {
    if (!tryGrowMemory(bytes)) {
      throw new ResourceLimitException(what + " needs " + bytes + " bytes; " + store + " has " + memoryBytes()
          + " of its " + limits.maxMemoryBytes() + "-byte memory limit in use");
    }
  }

  /** Gives back {@code bytes} of linear memory (a freed memory's committed size). */
  public synchronized void releaseMemory(long bytes) {
    memoryBytes -= bytes;
  }

  /** As {@link #tryGrowMemory}, for table elements against {@link StoreLimits#maxTableElements}. */
  public synchronized boolean tryGrowTable(long elements) {
    if (elements < 0 || elements > limits.maxTableElements() - tableElements) {
      return false;
    }
    tableElements += elements;
    return true;
  }

  /**
   * Takes the initial {@code elements} of a new table ({@code what}).
   *
   * @throws ResourceLimitException if they do not fit in what the store has left
   */
  public void takeTable(long elements, String what) {
    if (!tryGrowTable(elements)) {
      throw new ResourceLimitException(what + " needs " + elements + " elements; " + store + " has "
          + tableElements() + " of its " + limits.maxTableElements() + "-element table limit in use");
    }
  }

  /** Gives back {@code elements} table elements (a freed table's size). */
  public synchronized void releaseTable(long elements) {
    tableElements -= elements;
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

  /** Committed linear-memory bytes of the store's live memories. */
  public synchronized long memoryBytes() {
    return memoryBytes;
  }

  /** Elements of the store's live tables. */
  public synchronized long tableElements() {
    return tableElements;
  }

  /** Live objects of {@code kind}. */
  public synchronized int count(Kind kind) {
    return counts[kind.ordinal()];
  }
}
