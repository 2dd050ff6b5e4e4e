package dev.kiln.compiler.testsupport;

import java.lang.management.ManagementFactory;

/**
 * The bytes the current thread has allocated since a start ({@code
 * com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}): what the tests that bound a
 * compile's memory count, since the heap's size or a peak depends on the collector and on every
 * other thread.
 */
public final class ThreadAllocation {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final long start;

  private ThreadAllocation(long start) {
    this.start = start;
  }

  /** Starts counting on the current thread. */
  public static ThreadAllocation start() {
    return new ThreadAllocation(THREADS.getCurrentThreadAllocatedBytes());
  }

  /** The bytes the current thread, which must be the one that started, has allocated since. */
  public long bytes() {
    return THREADS.getCurrentThreadAllocatedBytes() - start;
  }
}
