package dev.kiln.loader.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * Ranges of emulated code the host (re)wrote, in order. Unicorn translates guest code into host
 * code and keeps the translation keyed by address; it notices stores the guest makes, not bytes the
 * host writes through the pointer behind an identity mapping. The loader maps every new module's
 * {@code .text} fresh, possibly where an unloaded module's was, so each emulator engine drops its
 * translations of every range recorded here since it last looked, before it runs again: the
 * emulator's counterpart of the icache maintenance a native AArch64 host does.
 */
final class CodeWrites {
  private static final List<long[]> RANGES = new ArrayList<>();

  private CodeWrites() {}

  /** Records that {@code [begin, end)} holds new code. */
  static synchronized void record(long begin, long end) {
    RANGES.add(new long[] {begin, end});
  }

  /** How many ranges were recorded so far: what an engine has seen after processing them all. */
  static synchronized int count() {
    return RANGES.size();
  }

  /** The ranges recorded from index {@code from} on. */
  static synchronized List<long[]> since(int from) {
    return List.copyOf(RANGES.subList(from, RANGES.size()));
  }
}
