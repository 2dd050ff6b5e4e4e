package dev.kiln.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * and error in nanoseconds and its ratio to the bare downcall. With {@code --cpu-time}, each way
 * is timed by {@link ExportCallCpuTime} in a JVM of its own instead (best round's thread CPU time
 * and heap bytes per call), for a machine other work shares.
 */
public final class ExportCallRun {
  /** The ways, as ExportCallBenchmark's methods are named, in the order printed. */
  private static final List<String> WAYS = List.of("directCall", "typedHandle", "confinedDirectCall",
      "confinedTypedHandle", "funcCall", "downcall", "cAbs", "chicory");

  private ExportCallRun() {}

  public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
    boolean cpuTime = BenchArguments.parse("export-call", "[--cpu-time]", args, a -> {
      if (!a.hasNext()) {
        return false;
      }
      String arg = a.next();
      if (!arg.equals("--cpu-time")) {
        throw a.unexpected(arg);
      }
      return true;
    });
    Map<String, double[]> scores = cpuTime ? cpuTimes() : jmhScores();
    double floor = scores.getOrDefault("downcall", new double[] {Double.NaN})[0];
    scores.forEach((name, s) -> System.out.printf(Locale.ROOT, cpuTime
        ? "export-call/%s %.1f ns CPU, %.3f bytes a call (%.2fx the downcall)%n"
        : "export-call/%s %.1f ± %.1f ns (%.2fx the downcall)%n", name, s[0], s[1], s[0] / floor));
  }

  private static Map<String, double[]> jmhScores() throws RunnerException {
    var options = new OptionsBuilder().include(ExportCallBenchmark.class.getName() + "\\.")
        .verbosity(VerboseMode.SILENT).build();
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (RunResult r : new Runner(options).run()) {
      String name = r.getParams().getBenchmark();
      scores.put(name.substring(name.lastIndexOf('.') + 1),
          new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    return scores;
  }

  /** Each way's {@link ExportCallCpuTime} line: nanoseconds and bytes per call. */
  private static Map<String, double[]> cpuTimes() throws IOException, InterruptedException {
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (String way : WAYS) {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
      String root = System.getProperty("kiln.root");
      if (root != null) {
        command.add("-Dkiln.root=" + root);
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), ExportCallCpuTime.class.getName(), way));
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      String[] fields = out.split(" ");
      if (process.waitFor() != 0 || fields.length != 3 || !fields[0].equals(way)) {
        throw new IllegalStateException("timing " + way + " failed: " + out);
      }
      scores.put(way, new double[] {Double.parseDouble(fields[1]), Double.parseDouble(fields[2])});
    }
    return scores;
  }
}
