package dev.kiln.loader.sys;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many {@code mmap}, {@code munmap}, {@code mprotect} and {@code madvise} calls the loader has
 * made in this process: what the instance pool promises to keep off the instantiate path (no
 * mapping made or removed per instance) is checked by counting these, not by timing. A {@link
 * LongAdder} per call: an increment touches a cell of the calling thread's own, so counting adds
 * no shared write to the calls it counts. {@link #countOnThisThread} counts the calling thread's
 * alone: what a test's cycles did, without the {@code munmap} of a pool from an earlier test that
 * the JVM's cleaner thread makes whenever a collection finds it unreachable.
 */
public enum MappingCalls {
  MMAP,
  MUNMAP,
  MPROTECT,
  MADVISE;

  private final LongAdder calls = new LongAdder();
  /** Each thread's calls, indexed by ordinal: a plain array of the thread's own, no shared write. */
  private static final ThreadLocal<long[]> ON_THIS_THREAD = ThreadLocal.withInitial(() -> new long[values().length]);

  void increment() {
    calls.increment();
    ON_THIS_THREAD.get()[ordinal()]++;
  }

  /** Calls made so far by the calling thread. */
  public long countOnThisThread() {
    return ON_THIS_THREAD.get()[ordinal()];
  }

  /** Calls made so far in this process. */
  public long count() {
    return calls.sum();
  }
}
