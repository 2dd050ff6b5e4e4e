package dev.kiln.loader.sys;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A count many threads add to without a shared write, whose add never allocates and so never
 * throws: {@link NativeHeap}'s live blocks, counted right after {@code calloc(3)} returned and
 * before {@code free(3)} is called, where a throwable would leave the count or the block wrong
 * (issue 35). A {@link java.util.concurrent.atomic.LongAdder} makes a cell the first time threads
 * collide on it, an allocation that can fail with {@code OutOfMemoryError}; here every stripe
 * exists from the start, each on a cache line of its own, picked by the thread's id.
 */
final class BlockCount {
  private static final int STRIPES = 16;
  /** Longs between two stripes: 64 bytes, a cache line on x86-64 and on most AArch64 cores. */
  private static final int SPACING = 8;

  private final AtomicLongArray cells = new AtomicLongArray(STRIPES * SPACING);

  /** Adds {@code delta} to the current thread's stripe. */
  void add(long delta) {
    int stripe = (int) (Thread.currentThread().threadId() & (STRIPES - 1));
    cells.getAndAdd(stripe * SPACING, delta);
  }

  /** The sum over the stripes (a snapshot, exact when no add runs meanwhile). */
  long sum() {
    long sum = 0;
    for (int i = 0; i < STRIPES; i++) {
      sum += cells.get(i * SPACING);
    }
    return sum;
  }
}
