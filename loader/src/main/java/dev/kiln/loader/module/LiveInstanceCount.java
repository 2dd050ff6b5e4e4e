package dev.kiln.loader.module;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many instances of a module are alive, and whether the module is closed: what decides when its
 * code may be unmapped ({@link LoadedModule#retain}, {@link LoadedModule#release}, {@link
 * LoadedModule#close}).
 *
 * <p><b>Striped.</b> An instance per request on many threads retains and releases the module on
 * every cycle. In one shared word every retain and release was a read-modify-write of the same
 * cache line from both cores, and a retain's compare-and-set failed and went round again whenever
 * another thread changed the count between its read and its write (issue 41: 16 threads on 2
 * cores). Here each thread counts in a stripe picked by
 * its thread id, on a 128-byte line of its own (two 64-byte lines: x86 fetches lines in adjacent
 * pairs), so threads on different cores rarely write a line in common. A stripe may go below zero
 * (an instance released on another thread than the one that made it); only the sum means anything.
 *
 * <p><b>The last one out.</b> The sum is read stripe by stripe while other threads change stripes,
 * so it is no snapshot; what makes it safe is the order of the steps (JLS 17.4.4: the
 * {@code getAndAdd}s, the volatile write of {@link #closed} and the volatile reads are
 * synchronization actions, in one total order consistent with each thread's program order):
 * <ul>
 *   <li>{@link #enter} adds 1 and <em>then</em> reads {@link #closed}; {@link #close} writes
 *       {@link #closed} and <em>then</em> sums. An enter that saw the module open therefore added
 *       its 1 before the close's write, so every sum made after the close sees it until that
 *       instance's own {@link #exit}: no sum after the close can miss a live instance, and it can
 *       only count too many (an enter that will see the close and take its 1 back).
 *   <li>Every step that lowers a stripe after the close (an exit, an enter taking back its 1) sums
 *       after it, as the close does. The last such step in the total order sums after every change
 *       to every stripe, so it sees zero: someone always frees a closed module once its last
 *       instance is gone.
 * </ul>
 * More than one step may see zero (the close and an exit, say); the caller frees once ({@link
 * LoadedModule}'s {@code unmapped} flag under its monitor). The adds are full read-modify-writes
 * ({@code lock xadd}), not the release-only compare-and-sets of {@link
 * java.util.concurrent.atomic.LongAdder}, whose cells a later read of {@link #closed} could pass
 * (the store-load reordering the first rule must forbid).
 */
final class LiveInstanceCount {
  /** Longs from one stripe to the next: 128 bytes. */
  private static final int STRIDE = 16;
  /** Stripes: a power of two, four per processor (threads outnumber cores in a server), at most 64. */
  private static final int STRIPES =
      Math.min(64, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1) << 1);

  private final AtomicLongArray stripes = new AtomicLongArray(STRIPES * STRIDE);
  private volatile boolean closed;

  /**
   * Counts one more instance unless the module is closed.
   *
   * @return whether it was counted; if not, {@link #closedAndEmpty()} may have become true meanwhile
   *     (the caller checks it, as after an {@link #exit})
   */
  boolean enter() {
    int at = stripe();
    stripes.getAndAdd(at, 1);
    if (closed) {
      stripes.getAndAdd(at, -1);
      return false;
    }
    return true;
  }

  /**
   * Counts one instance fewer.
   *
   * @return whether the module is closed and no instance is left now (the caller frees it)
   */
  boolean exit() {
    stripes.getAndAdd(stripe(), -1);
    return closedAndEmpty();
  }

  /**
   * Closes: no {@link #enter} succeeds after this. Idempotent.
   *
   * @return whether no instance is left now (the caller frees the module)
   */
  boolean close() {
    closed = true;
    return sum() == 0;
  }

  /** Whether the module is closed and no instance is counted: a sum after the steps above. */
  boolean closedAndEmpty() {
    return closed && sum() == 0;
  }

  private long sum() {
    long sum = 0;
    for (int i = 0; i < STRIPES; i++) {
      sum += stripes.get(i * STRIDE);
    }
    return sum;
  }

  /** This thread's stripe: its id's bits mixed (ids are consecutive), so neighbours fall apart. */
  private static int stripe() {
    long id = Thread.currentThread().threadId();
    return (int) ((id * 0x9E37_79B9_7F4A_7C15L) >>> 58) % STRIPES * STRIDE;
  }
}
