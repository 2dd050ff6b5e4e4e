package dev.kiln.bench;

import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code bench/run instantiate [THREADS...]}: {@link InstantiateBenchmark}'s cycles per second on
 * 1, 2 and 4 threads (or the counts given), each with its speed-up over one thread. The machine's
 * load matters here: say it beside the numbers.
 */
public final class InstantiateRun {
  private InstantiateRun() {}

  public static void main(String[] args) throws RunnerException {
    List<Integer> threads = BenchArguments.parse("instantiate", "[THREADS...]", args, a -> {
      java.util.ArrayList<Integer> counts = new java.util.ArrayList<>();
      while (a.hasNext()) {
        counts.add(a.count("THREADS", a.next()));
      }
      return counts.isEmpty() ? List.of(1, 2, 4) : List.copyOf(counts);
    });
    double single = 0;
    for (int n : threads) {
      RunResult result = new Runner(new OptionsBuilder().include(InstantiateBenchmark.class.getName())
          .threads(n).verbosity(VerboseMode.SILENT).build()).runSingle();
      double perSecond = result.getPrimaryResult().getScore();
      if (single == 0) {
        single = perSecond;
      }
      System.out.printf(Locale.ROOT, "instantiate/hello/threads-%d %.0f cycles/s (%.2fx the first line)%n", n,
          perSecond, perSecond / single);
    }
  }
}
