package dev.kiln.bench;

import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.compiler.link.LinkedText;
import dev.kiln.wasm.Wasm;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code bench/run load}: {@link LoadBenchmark} over modules of growing size, one row per module
 * with its text and file size, the time to open (map, check, publish, index, info) and close it, and
 * the time to merely read the whole file, for comparison.
 */
public final class LoadTimes {
  private LoadTimes() {}

  public static void main(String[] args) throws RunnerException {
    var options =
        new OptionsBuilder()
            .include(LoadBenchmark.class.getName())
            .verbosity(VerboseMode.SILENT)
            .jvmArgsAppend("--sun-misc-unsafe-memory-access=allow")
            .build();
    Map<String, double[]> rows = new TreeMap<>(); // "functions/adds" -> {open us, read us}
    for (RunResult result : new Runner(options).run()) {
      String key = result.getParams().getParam("functions") + "/" + result.getParams().getParam("addsPerFunction");
      String method = result.getParams().getBenchmark().replaceAll(".*\\.", "");
      rows.computeIfAbsent(key, k -> new double[2])[method.equals("openAndClose") ? 0 : 1] =
          result.getPrimaryResult().getScore();
    }
    System.out.println("functions  adds/fn   text bytes   file bytes   open+close us   read file us");
    rows.entrySet().stream()
        .sorted((a, b) -> compareKeys(a.getKey(), b.getKey()))
        .forEach(row -> {
          String[] k = row.getKey().split("/");
          int functions = Integer.parseInt(k[0]);
          int adds = Integer.parseInt(k[1]);
          var module = Wasm.load(SyntheticModule.build(functions, adds));
          CompiledModule compiled = Compiler.compile(module, X64Backend.forHost(), CompileOptions.defaults());
          LinkedText linked = ArtifactEmitter.link(compiled);
          int fileBytes = ArtifactEmitter.emit(compiled, linked, "bench").length;
          System.out.printf(Locale.ROOT, "%9d %8d %12d %12d %15.1f %14.1f%n", functions, adds,
              linked.text().length, fileBytes, row.getValue()[0], row.getValue()[1]);
        });
  }

  private static int compareKeys(String a, String b) {
    String[] x = a.split("/");
    String[] y = b.split("/");
    int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
    return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
  }
}
