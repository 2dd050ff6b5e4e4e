package dev.kiln.bench;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code bench/run call-indirect}: runs {@link CallIndirectBenchmark} and prints one line per case,
 * named as Wasmtime's criterion group names them, with the median of single {@code run(0, 65536)}
 * calls in microseconds:
 *
 * <pre>
 *   call-indirect/same-callee/table-init-lazy/65536-calls  123.4 µs
 * </pre>
 *
 * followed by the lazy/strict ratio of each case. Arguments: optional measured iteration count.
 */
public final class CallIndirectRun {
  private CallIndirectRun() {}

  public static void main(String[] args) throws RunnerException {
    OptionsBuilder builder = new OptionsBuilder();
    builder.include(CallIndirectBenchmark.class.getName()).verbosity(VerboseMode.SILENT);
    int iterations = BenchArguments.parse("call-indirect", "[ITERS]", args,
        a -> a.hasNext() ? a.count("ITERS", a.next()) : 0);
    if (iterations > 0) {
      builder.measurementIterations(iterations);
    }
    Options options = builder.build();
    Collection<RunResult> results = new Runner(options).run();
    double[][] median = new double[2][2];
    for (RunResult r : results) {
      String callees = r.getParams().getParam("callees");
      boolean lazy = Boolean.parseBoolean(r.getParams().getParam("lazy"));
      double us = r.getPrimaryResult().getStatistics().getPercentile(50);
      median[callees.equals("same-callee") ? 0 : 1][lazy ? 0 : 1] = us;
    }
    String[] cases = {"same-callee", "different-callees"};
    for (int c = 0; c < 2; c++) {
      for (int l = 0; l < 2; l++) {
        System.out.printf(Locale.ROOT, "call-indirect/%s/table-init-%s/%d-calls %.1f µs%n", cases[c],
            l == 0 ? "lazy" : "strict", CallIndirectModules.CALLS, median[c][l]);
      }
    }
    for (int c = 0; c < 2; c++) {
      System.out.printf(Locale.ROOT, "ratio %s lazy/strict = %.2f%n", cases[c], median[c][0] / median[c][1]);
    }
  }
}
