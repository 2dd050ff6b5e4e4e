package dev.kiln.loader.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * What a store's collections cost the code they stopped: each collection's pause (from the moment
 * it starts walking roots to the moment the heap is ready for allocation again, the heap verifier of
 * the debug mode left out) and the live bytes it copied, the last {@link #KEPT} of them one by one
 * and all of them summed. For embedders watching pause times (the public API's {@code
 * Store.gcStatistics}) and for the benchmarks; a few arithmetic operations a collection.
 */
public final class GcPauses {
  /** How many of the latest pauses are kept one by one (a ring). */
  public static final int KEPT = 1024;

  /** One collection: how long it stopped the store's code, and how many live bytes it copied. */
  public record Pause(long nanos, long bytesCopied) {}

  /** Everything recorded so far; {@code latest} oldest first. */
  public record Snapshot(long collections, long totalNanos, long longestNanos, long bytesCopied, List<Pause> latest) {}

  private final long[] nanos = new long[KEPT];
  private final long[] copied = new long[KEPT];
  private long collections;
  private long totalNanos;
  private long longestNanos;
  private long bytesCopied;

  void record(long pauseNanos, long liveBytes) {
    int at = (int) (collections % KEPT);
    nanos[at] = pauseNanos;
    copied[at] = liveBytes;
    collections++;
    totalNanos += pauseNanos;
    longestNanos = Math.max(longestNanos, pauseNanos);
    bytesCopied += liveBytes;
  }

  long collections() {
    return collections;
  }

  Snapshot snapshot() {
    int kept = (int) Math.min(collections, KEPT);
    List<Pause> latest = new ArrayList<>(kept);
    for (long i = collections - kept; i < collections; i++) {
      int at = (int) (i % KEPT);
      latest.add(new Pause(nanos[at], copied[at]));
    }
    return new Snapshot(collections, totalNanos, longestNanos, bytesCopied, List.copyOf(latest));
  }
}
