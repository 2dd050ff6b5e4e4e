package dev.kiln.runtime;

import java.util.List;

/**
 * What a store's garbage collections have cost so far ({@link Store#gcStatistics()}): Kiln collects
 * a store's struct and array objects with a copying collector that stops the store's code while it
 * runs, so each collection's pause is the time the code waited, and the live bytes it copied are
 * what the pause is roughly proportional to (docs/EMBEDDING.md, "Garbage collection").
 *
 * @param collections how many collections the store made
 * @param refusals how many allocations due to collect could not and grew the heap instead, because wasm of
 *     the store waited in a host call whose wasm frames were not recorded (a host function of another
 *     store entered it, or code compiled by an older Kiln)
 * @param totalPauseNanos the pauses of all the collections, summed
 * @param longestPauseNanos the longest pause
 * @param bytesCopied the live bytes all the collections copied, summed
 * @param latest the latest collections one by one, oldest first: at most {@link #LATEST_KEPT}
 */
public record GcStatistics(long collections, long refusals, long totalPauseNanos, long longestPauseNanos,
    long bytesCopied, List<Pause> latest) {
  /** How many of the latest collections {@link #latest} lists at most. */
  public static final int LATEST_KEPT = dev.kiln.loader.runtime.GcPauses.KEPT;

  /**
   * One collection.
   *
   * @param nanos how long the store's code waited for it: from the start of the walk for its roots
   *     to the heap being ready for allocation again
   * @param liveBytesCopied the bytes of the objects it found alive and copied
   */
  public record Pause(long nanos, long liveBytesCopied) {
    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof Pause other && nanos == other.nanos && liveBytesCopied == other.liveBytesCopied;
    }

    @Override
    public int hashCode() {
      int h = Long.hashCode(nanos);
      return 31 * h + Long.hashCode(liveBytesCopied);
    }

    @Override
    public String toString() {
      return "Pause[nanos=" + nanos + ", liveBytesCopied=" + liveBytesCopied + "]";
    }
  }

  /** Copies {@code latest}. */
  public GcStatistics {
    latest = List.copyOf(latest);
  }

  // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
  @Override
  public boolean equals(Object o) {
    return o instanceof GcStatistics other && collections == other.collections && refusals == other.refusals
        && totalPauseNanos == other.totalPauseNanos && longestPauseNanos == other.longestPauseNanos
        && bytesCopied == other.bytesCopied && java.util.Objects.equals(latest, other.latest);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(collections);
    h = 31 * h + Long.hashCode(refusals);
    h = 31 * h + Long.hashCode(totalPauseNanos);
    h = 31 * h + Long.hashCode(longestPauseNanos);
    h = 31 * h + Long.hashCode(bytesCopied);
    return 31 * h + java.util.Objects.hashCode(latest);
  }

  @Override
  public String toString() {
    return "GcStatistics[collections=" + collections + ", refusals=" + refusals + ", totalPauseNanos="
        + totalPauseNanos + ", longestPauseNanos=" + longestPauseNanos + ", bytesCopied=" + bytesCopied
        + ", latest=" + latest + "]";
  }
}
