package dev.kiln.loader.sys;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many {@code mmap}, {@code munmap}, {@code mprotect} and {@code madvise} calls the loader has
 * made in this process: what the instance pool promises to keep off the instantiate path (no
 * mapping made or removed per instance) is checked by counting these, not by timing. A {@link
 * LongAdder} per call: an increment touches a cell of the calling thread's own, so counting adds
 * no shared write to the calls it counts.
 */
public enum MappingCalls {
  MMAP,
  MUNMAP,
  MPROTECT,
  MADVISE;

  private final LongAdder calls = new LongAdder();

  void increment() {
    calls.increment();
  }

  /** Calls made so far in this process. */
  public long count() {
    return calls.sum();
  }
}
