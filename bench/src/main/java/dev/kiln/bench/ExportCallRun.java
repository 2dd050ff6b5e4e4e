package dev.kiln.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code bench/run export-call}: runs {@link ExportCallBenchmark} (from the repository's root, for
 * {@code examples/hello.wasm}) and prints one line per way of calling {@code add(2, 40)}: its mean
 * and error in nanoseconds and its ratio to the bare downcall.
 */
public final class ExportCallRun {
  private ExportCallRun() {}

  public static void main(String[] args) throws RunnerException {
    BenchArguments.parse("export-call", "", args, a -> a);
    var options = new OptionsBuilder().include(ExportCallBenchmark.class.getName() + "\\.")
        .verbosity(VerboseMode.SILENT).build();
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (RunResult r : new Runner(options).run()) {
      String name = r.getParams().getBenchmark();
      scores.put(name.substring(name.lastIndexOf('.') + 1),
          new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    double floor = scores.getOrDefault("downcall", new double[] {Double.NaN})[0];
    scores.forEach((name, s) -> System.out.printf(Locale.ROOT, "export-call/%s %.1f ± %.1f ns (%.2fx the downcall)%n",
        name, s[0], s[1], s[0] / floor));
  }
}
