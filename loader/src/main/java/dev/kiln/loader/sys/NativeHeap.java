package dev.kiln.loader.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * Small blocks of Kiln-internal native state (a store context, a VMContext) from the C heap:
 * {@code calloc(3)} and {@code free(3)}, with no {@link Arena} behind them.
 *
 * <p><b>Why not an arena.</b> Closing a shared {@link Arena} is what makes FFM memory safe against
 * a late access from another thread: HotSpot stops every Java thread in a handshake
 * ({@code VM_HandshakeAllThreads}) to be sure none is inside an access to it. That is the right
 * price for memory a user may still hold a view of, and the wrong one for state only Kiln touches:
 * a store made and closed per request paid two such handshakes per cycle, each a futex storm over
 * every thread of the JVM plus a VM operation, about half the cycle in the kernel (issue 41). A
 * confined arena closes without a handshake but ties its memory to one thread, and a store moves
 * between threads; an automatic one frees when the GC gets round to it, long after a large VMContext
 * should be gone.
 *
 * <p><b>What the caller must guarantee.</b> The segments returned have no liveness check: a
 * read or write after {@link #free} touches whatever the C heap put there since, and may fault
 * (the JVM dies). So a block may only hold state that Kiln code alone reads and writes, each access
 * made while something guarantees the block is live: for a store's and its instances' blocks, the
 * store's thread claim ({@code runtime.ThreadClaim}), which every free takes and every entry into
 * compiled code holds, and for the few reads from other threads the store's lock with a closed
 * check. Nothing the embedder can hold (a memory view) may point into such a block.
 */
public final class NativeHeap {
  /** What {@code calloc} aligns to on 64-bit glibc and musl (glibc's MALLOC_ALIGNMENT: 2 * sizeof(size_t)). */
  public static final long ALIGNMENT = 16;

  private static final MethodHandle CALLOC = LibcCall.bind("calloc");
  private static final MethodHandle FREE = LibcCall.bind("free");

  /**
   * Blocks allocated and not yet freed, for tests that count what a cycle leaves behind. A {@link
   * LongAdder}: each thread adds to a cell of its own, so counting adds no shared write to the calls.
   */
  private static final LongAdder LIVE = new LongAdder();

  private NativeHeap() {}

  /** Blocks {@link #allocate}d and not yet {@link #free}d in this process (a snapshot). */
  public static long liveBlocks() {
    return LIVE.sum();
  }

  /**
   * {@code bytes} of zeroed memory aligned to {@link #ALIGNMENT}, valid until {@link #free}.
   *
   * @throws IllegalArgumentException if {@code bytes} is not positive
   * @throws OutOfMemoryError if the C heap has no room
   */
  public static MemorySegment allocate(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("native block of " + bytes + " bytes");
    }
    long address = LibcCall.call(CALLOC, LibcCall.threadErrnoSlot(), 1, bytes);
    if (address == 0) {
      throw new OutOfMemoryError("calloc(" + bytes + ") failed");
    }
    LIVE.increment();
    return MemorySegment.ofAddress(address).reinterpret(bytes);
  }

  /**
   * Gives back a block of {@link #allocate}; the caller makes sure nothing uses it any more. The
   * {@code free(3)} is the last call: a caller that marks the block freed once this returns, and
   * frees it again if this threw (a {@code StackOverflowError} at any frame, issue 35), never frees
   * it twice.
   */
  public static void free(MemorySegment block) {
    long address = block.address();
    MemorySegment errno = LibcCall.threadErrnoSlot();
    LIVE.decrement();
    try {
      LibcCall.call(FREE, errno, address);
    } catch (Throwable notFreed) {
      LIVE.increment();
      throw notFreed;
    }
  }
}
