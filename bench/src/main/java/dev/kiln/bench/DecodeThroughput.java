package dev.kiln.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code bench/run decode [DIR]}: decode + validate throughput of every .wasm under DIR (default: the
 * sightglass corpus), Kiln and Chicory in the same run. Prints one row per module and a total row
 * (all bytes / all time, so large modules weigh by size), in MB/s where MB = 10^6 bytes.
 */
public final class DecodeThroughput {
  private DecodeThroughput() {}

  public static void main(String[] args) throws IOException, RunnerException {
    Path dir = BenchArguments.parse("decode", "[DIR]", args,
        a -> a.existing(a.hasNext() ? a.next() : "../shared/corpora/sightglass"));
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
    }
    if (files.isEmpty()) {
      System.err.println("bench: no .wasm files under " + dir);
      System.exit(2);
    }
    var options =
        new OptionsBuilder()
            .include(DecodeBenchmark.class.getName())
            .param("file", files.stream().map(Path::toString).toArray(String[]::new))
            .verbosity(VerboseMode.SILENT)
            .jvmArgsAppend("--sun-misc-unsafe-memory-access=allow")
            .build();
    Map<String, double[]> totals = new LinkedHashMap<>(); // engine -> {bytes, microseconds}
    List<String> rows = new ArrayList<>();
    for (RunResult result : new Runner(options).run()) {
      String file = result.getParams().getParam("file");
      String engine = result.getParams().getBenchmark().replaceAll(".*\\.", "");
      long size = Files.size(Path.of(file));
      double micros = result.getPrimaryResult().getScore();
      double[] total = totals.computeIfAbsent(engine, e -> new double[2]);
      total[0] += size;
      total[1] += micros;
      rows.add(row(engine, dir.relativize(Path.of(file)).toString(), size, micros));
    }
    rows.forEach(System.out::println);
    totals.forEach((engine, t) -> System.out.println(row(engine, "TOTAL", (long) t[0], t[1])));
  }

  private static String row(String engine, String module, long bytes, double micros) {
    return String.format(
        Locale.ROOT, "%-8s %-36s %9d B %10.1f us %8.1f MB/s", engine, module, bytes, micros, bytes / micros);
  }
}
