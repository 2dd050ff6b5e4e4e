package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.loader.sys.LibcCall;
import dev.kiln.loader.sys.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seeds for the hash tables whose keys a guest chooses ({@link WordCounts}): each seed is drawn
 * from the kernel's random source ({@code getrandom(2)}, the pool {@code /dev/urandom} reads), so
 * it stays unpredictable to a guest and independent of every other table's (knowing one seed tells
 * nothing of the next), but a table is not made under a generator's lock. Seeds are drawn {@value
 * #BATCH} at a time into a batch that every thread takes from with one atomic increment; only the
 * thread that finds a batch empty takes the lock, to draw the next.
 *
 * <p>Not {@code SecureRandom}: its first use initialises the JDK's security providers (50-140 ms of
 * a cold JVM), which this class's own initialisation, made when an engine starts ({@link
 * CallPathClasses}), would then cost every engine; made on the first table instead, at the end of
 * some stack, a failed initialisation of those classes broke them for the JVM's life (issue 35).
 */
final class TableSeeds {
  static final int BATCH = 256;
  private static final MethodHandle GETRANDOM = LibcCall.bind("getrandom");

  /** Drawn seeds, and the index of the next one to hand out (past the end: the batch is spent). */
  private record Batch(long[] seeds, AtomicInteger next) {}

  private static volatile Batch current = draw();
  /** Batches drawn, under the class's lock: for tests. */
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
    long bytes = BATCH * JAVA_LONG.byteSize();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(bytes);
      MemorySegment errno = LibcCall.errnoSlot(arena);
      // A read of more than 256 bytes may return fewer if a signal interrupts it (getrandom(2)).
      for (long filled = 0; filled < bytes; ) {
        long got = LibcCall.call(GETRANDOM, errno, buffer.address() + filled, bytes - filled, 0);
        if (got < 0 && LibcCall.errno(errno) != 4 /* EINTR */) {
          throw new NativeException("getrandom failed: errno " + LibcCall.errno(errno));
        }
        filled += Math.max(got, 0);
      }
      return new Batch(buffer.toArray(JAVA_LONG), new AtomicInteger());
    }
  }
}
