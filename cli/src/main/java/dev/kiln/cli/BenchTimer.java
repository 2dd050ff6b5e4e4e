package dev.kiln.cli;

import dev.kiln.runtime.Linker;
import java.io.PrintWriter;

/**
 * {@code kiln run --bench-timer}: the two imports sightglass programs call around their measured
 * work, {@code bench.start} and {@code bench.end} (both {@code [] -> []}), as host functions that
 * read {@link System#nanoTime()}; after the run the interval is printed as {@code bench_ms=MS} on
 * stderr, the way sightglass's own harness reports it. Lets {@code kiln run} execute a sightglass
 * program directly; {@code bench/run sightglass} is the runner that also checks outputs and peers.
 */
final class BenchTimer {
  private long start = -1;
  private long end = -1;

  private BenchTimer() {}

  static BenchTimer define(Linker linker) {
    BenchTimer timer = new BenchTimer();
    // Typed host functions are word callbacks, the shape WASI's functions have: bench.end's call is
    // inside the interval, and this path is the one the JVM has already loaded and run for them.
    linker.func("bench", "start", Runnable.class, () -> timer.start = System.nanoTime());
    linker.func("bench", "end", Runnable.class, () -> timer.end = System.nanoTime());
    return timer;
  }

  /** Prints {@code bench_ms=MS}, or a note that the guest did not call both imports. */
  void report(PrintWriter err) {
    if (start < 0 || end < start) {
      err.println("bench_ms=- (the guest did not call bench.start and then bench.end)");
    } else {
      err.println("bench_ms=" + Millis.of(end - start, 3));
    }
  }
}
