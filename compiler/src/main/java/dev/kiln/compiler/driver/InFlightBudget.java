package dev.kiln.compiler.driver;

import java.util.concurrent.Semaphore;

/**
 * How many bytes of wasm function body a compile's workers may have in flight at once, so that the
 * memory of the functions being compiled together stays within the heap: a function's compile holds
 * its IR, machine instructions and allocator state together, up to some 0.9 KB a byte of its body
 * (0.61 GB of objects at the allocator's peak for a function of 64,000 {@code struct.new}s, 704 KB of
 * body), and two such functions compiled side by side need the sum of theirs where one after the
 * other needs only the larger. A worker takes its function's body size from the budget before it
 * translates it and gives it back when the function is done; a function larger than the whole
 * budget takes all of it, so it is compiled alone, and never waits for more than there is.
 *
 * <p>The permits are taken in arrival order (a fair semaphore): a large function waiting for the
 * budget is not passed by the small ones behind it, which would keep it waiting for as long as they
 * last. Outside huge functions the budget is far from reached: yosys's largest body is 228 KB, and a
 * 2 GB heap gives 2 MB.
 */
final class InFlightBudget {
  /**
   * Heap bytes a function's compile is taken to hold per byte of its body: the most measured, a
   * chain of {@code struct.new}s (23 machine instructions for 11 bytes of body), rounded up. Most
   * code holds less, which leaves the rest of the heap to the module, the finished functions and
   * the collector.
   */
  static final long HEAP_BYTES_PER_BODY_BYTE = 1024;

  private final int bodyBytes;
  private final Semaphore permits;

  /** A budget of {@code bodyBytes} bytes of function body in flight (at least one). */
  InFlightBudget(int bodyBytes) {
    if (bodyBytes < 1) {
      throw new IllegalArgumentException("an in-flight budget needs at least one byte, got " + bodyBytes);
    }
    this.bodyBytes = bodyBytes;
    this.permits = new Semaphore(bodyBytes, true);
  }

  /** The budget of a heap of at most {@code maxHeapBytes} ({@link Runtime#maxMemory}). */
  static InFlightBudget forMaxHeap(long maxHeapBytes) {
    long bytes = maxHeapBytes / HEAP_BYTES_PER_BODY_BYTE;
    return new InFlightBudget((int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes)));
  }

  /** The budget's size, in bytes of function body. */
  int bodyBytes() {
    return bodyBytes;
  }

  /**
   * Waits until a function of {@code cost} bytes of body may start, and takes its share: its cost,
   * or the whole budget for a larger one. Returns the share, for {@link #leave}.
   */
  int enter(int cost) throws InterruptedException {
    int share = Math.min(Math.max(cost, 0), bodyBytes);
    if (share > 0) { // a fair semaphore queues even an acquire of nothing behind a waiting one
      permits.acquire(share);
    }
    return share;
  }

  /** Gives back a share {@link #enter} took. */
  void leave(int share) {
    if (share > 0) {
      permits.release(share);
    }
  }
}
