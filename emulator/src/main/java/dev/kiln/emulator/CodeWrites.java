package dev.kiln.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ranges of emulated code the host (re)wrote, in order. Unicorn translates guest code into host
 * code and keeps the translation keyed by address; it notices stores the guest makes, not bytes the
 * host writes through the pointer behind an identity mapping. The loader maps every new module's
 * {@code .text} fresh, possibly where an unloaded module's was, so each emulator engine drops its
 * translations of every range recorded here since it last looked, before it runs again: the
 * emulator's counterpart of the icache maintenance a native AArch64 host does.
 *
 * <p>Only the latest {@link #RETAINED} ranges are kept, so a long-lived process that loads many
 * modules does not grow the log without bound; an engine that fell further behind is told so and
 * drops all its translations instead.
 */
final class CodeWrites {
  /** Ranges kept for engines that have not run since they were recorded. */
  static final int RETAINED = 4096;

  private static final ArrayDeque<long[]> RANGES = new ArrayDeque<>();
  /** Sequence number of the oldest range kept. */
  private static long first;

  private CodeWrites() {}

  /** Records that {@code [begin, end)} holds new code. */
  static synchronized void record(long begin, long end) {
    RANGES.addLast(new long[] {begin, end});
    if (RANGES.size() > RETAINED) {
      RANGES.removeFirst();
      first++;
    }
  }

  /** How many ranges were recorded so far: what an engine has seen after processing them all. */
  static synchronized long count() {
    return first + RANGES.size();
  }

  /**
   * The ranges recorded from sequence number {@code from} on, or empty if some of them are no
   * longer kept (the caller must then forget every translation).
   */
  static synchronized Optional<List<long[]>> since(long from) {
    if (from < first) {
      return Optional.empty();
    }
    List<long[]> all = new ArrayList<>(RANGES);
    return Optional.of(List.copyOf(all.subList((int) (from - first), all.size())));
  }
}
