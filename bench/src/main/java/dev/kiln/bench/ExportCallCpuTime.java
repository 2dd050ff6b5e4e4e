package dev.kiln.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * One way of calling {@code add(2, 40)} from {@link ExportCallBenchmark}, timed in this JVM by the
 * calling thread's CPU time instead of the wall clock: {@code bench/run export-call --cpu-time}
 * runs it once per way, each in a JVM of its own (so the loop's call site sees one way only, as in
 * a JMH fork). On a machine shared with other work, a thread that is descheduled in the middle of
 * a JMH iteration adds the time it waited to that iteration's mean; its CPU time does not grow
 * meanwhile. Prints {@code WAY NS BYTES}: the best round's nanoseconds and heap bytes per call.
 */
public final class ExportCallCpuTime {
  /** Rounds run before the measured ones, for the JIT. */
  private static final int WARM_UP_ROUNDS = 10;
  private static final int MEASURED_ROUNDS = 20;
  /** A round's CPU time, once the calls per round are calibrated. */
  private static final long ROUND_NANOS = 50_000_000;

  /** Where the calls' summed results go, so the JIT cannot drop the calls. */
  private static volatile long consumed;

  private ExportCallCpuTime() {}

  /** One call of the way being timed; its result is summed so the JIT keeps the call. */
  @FunctionalInterface
  private interface Call {
    long run() throws Throwable;
  }

  public static void main(String[] args) throws Throwable {
    if (args.length != 1) {
      System.err.println("usage: ExportCallCpuTime WAY (a benchmark method of ExportCallBenchmark)");
      System.exit(2);
    }
    ExportCallBenchmark bench = new ExportCallBenchmark();
    bench.setUp();
    Call call = switch (args[0]) {
      case "directCall" -> bench::directCall;
      case "typedHandle" -> bench::typedHandle;
      case "confinedDirectCall" -> bench::confinedDirectCall;
      case "confinedTypedHandle" -> bench::confinedTypedHandle;
      case "funcCall" -> bench::funcCall;
      case "downcall" -> bench::downcall;
      case "cAbs" -> bench::cAbs;
      case "chicory" -> bench::chicory;
      default -> throw new IllegalArgumentException("no way of calling named " + args[0]);
    };
    try {
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long calls = 10_000;
      long sink = 0;
      double bestNanos = Double.MAX_VALUE;
      double bestBytes = 0;
      for (int round = 0; round < WARM_UP_ROUNDS + MEASURED_ROUNDS; round++) {
        long bytesBefore = threads.getCurrentThreadAllocatedBytes();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        for (long i = 0; i < calls; i++) {
          // A new argument each call, as JMH's state is opaque to the JIT: with the same ones, a
          // callee the JIT inlines whole (Chicory's) would be computed once for the loop.
          bench.a = (int) i;
          sink += call.run();
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        long bytes = threads.getCurrentThreadAllocatedBytes() - bytesBefore;
        if (round >= WARM_UP_ROUNDS && (double) cpu / calls < bestNanos) {
          bestNanos = (double) cpu / calls;
          bestBytes = (double) bytes / calls;
        }
        // The next round's calls, so that it takes about ROUND_NANOS of CPU.
        calls = Math.max(1_000, (long) (calls * (double) ROUND_NANOS / Math.max(cpu, 1)));
      }
      System.out.printf(Locale.ROOT, "%s %.2f %.3f%n", args[0], bestNanos, bestBytes);
      consumed = sink;
    } finally {
      bench.tearDown();
    }
  }
}
