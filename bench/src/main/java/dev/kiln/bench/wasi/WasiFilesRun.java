package dev.kiln.bench.wasi;

import dev.kiln.bench.BenchArguments;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code bench/run wasi-files}: runs {@link WasiFilesBenchmark} and prints one line per call
 * sequence with its mean and error in nanoseconds.
 */
public final class WasiFilesRun {
  private WasiFilesRun() {}

  public static void main(String[] args) throws RunnerException {
    BenchArguments.parse("wasi-files", "", args, a -> a);
    var options = new OptionsBuilder().include(WasiFilesBenchmark.class.getName())
        .verbosity(VerboseMode.SILENT).build();
    for (RunResult r : new Runner(options).run()) {
      String name = r.getParams().getBenchmark();
      var result = r.getPrimaryResult();
      System.out.printf(Locale.ROOT, "wasi-files/%s %.0f ± %.0f ns%n",
          name.substring(name.lastIndexOf('.') + 1), result.getScore(), result.getScoreError());
    }
  }
}
