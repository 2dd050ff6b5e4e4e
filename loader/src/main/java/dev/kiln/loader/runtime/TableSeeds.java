package dev.kiln.loader.runtime;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seeds for the hash tables whose keys a guest chooses ({@link WordCounts}): each seed is a draw of
 * one {@link SecureRandom}, so it stays unpredictable to a guest and independent of every other
 * table's (knowing one seed tells nothing of the next), but a table is not made under that
 * generator's lock. {@code SecureRandom.nextLong} takes the generator's lock for every call (and the
 * default Linux generator, NativePRNG, a process-wide one around its reads and mixing), which every
 * thread making stores queued on. Here seeds are drawn {@value #BATCH} at a time into a batch that
 * every thread takes from with one atomic increment; only the thread that finds a batch empty takes
 * the lock, to draw the next.
 */
final class TableSeeds {
  static final int BATCH = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Drawn seeds, and the index of the next one to hand out (past the end: the batch is spent). */
  private record Batch(long[] seeds, AtomicInteger next) {}

  private static volatile Batch current = draw();
  /** Batches drawn from {@link #RANDOM}, under the class's lock: for tests. */
  private static long draws = 1;

  private TableSeeds() {}

  /** A fresh seed, never handed out before. */
  static long next() {
    while (true) {
      Batch batch = current;
      int at = batch.next().getAndIncrement();
      if (at < BATCH) {
        return batch.seeds()[at];
      }
      refill(batch);
    }
  }

  /** How many batches were drawn so far. */
  static synchronized long draws() {
    return draws;
  }

  /** Replaces {@code spent} with a new batch unless another thread did already. */
  private static synchronized void refill(Batch spent) {
    if (current == spent) {
      current = draw();
      draws++;
    }
  }

  private static Batch draw() {
    byte[] bytes = new byte[BATCH * Long.BYTES];
    RANDOM.nextBytes(bytes);
    long[] seeds = new long[BATCH];
    ByteBuffer.wrap(bytes).asLongBuffer().get(seeds);
    return new Batch(seeds, new AtomicInteger());
  }
}
