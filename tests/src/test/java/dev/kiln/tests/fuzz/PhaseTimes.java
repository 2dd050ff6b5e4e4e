package dev.kiln.tests.fuzz;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Where a differential fuzzing run spends its time, summed per phase over all modules and threads
 * (generate, V8, compile and run per target), printed with the run's count so the next speed-up is
 * aimed at the largest phase rather than guessed.
 */
final class PhaseTimes {
  private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();

  <T> T time(String phase, Supplier<T> work) {
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      add(phase, System.nanoTime() - start);
    }
  }

  void add(String phase, long elapsedNanos) {
    nanos.computeIfAbsent(phase, p -> new LongAdder()).add(elapsedNanos);
  }

  /** "compile aarch64 812 s, ..." in phase-name order. */
  String summary() {
    StringBuilder s = new StringBuilder();
    new TreeMap<>(nanos).forEach((phase, sum) -> s.append(s.isEmpty() ? "" : ", ")
        .append(phase).append(' ').append(sum.sum() / 1_000_000).append(" ms"));
    return s.toString();
  }
}
