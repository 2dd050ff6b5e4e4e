package dev.kiln.bench;

import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code bench/run load [MODULE...]}: {@link LoadBenchmark} over hello and modules of growing size
 * (or only the {@link LoadBenchmark#module} values given), one row per
 * module with its text and file size and the microseconds of each benchmark: the whole load
 * (unsigned and with a verify key), the seal's parts (map only, map + CRC32C, map + HMAC-SHA256),
 * SHA-256 (the keyless digest not chosen) and reading the whole file, for comparison.
 */
public final class LoadTimes {
  private static final List<String> COLUMNS = List.of("openAndClose", "openSignedAndClose", "mapOnly",
      "mapAndVerifyCrc32c", "mapAndSha256", "mapAndVerifyHmac", "readWholeFile");
  private static final List<String> LABELS = List.of("open us", "open+key us", "map us", "map+crc us", "map+sha us",
      "map+hmac us", "read us");

  private LoadTimes() {}

  /** A {@link LoadBenchmark#module} value: {@code hello}, or FUNCTIONS/ADDS of a synthetic module. */
  private static String module(BenchArguments a, String text) {
    if (!text.equals("hello")) {
      String[] size = text.split("/", -1);
      if (size.length != 2) {
        throw new BenchArguments.UsageError("module " + text + ": neither hello nor FUNCTIONS/ADDS");
      }
      a.count("FUNCTIONS", size[0]);
      a.number("ADDS", size[1], 0);
    }
    return text;
  }

  public static void main(String[] args) throws RunnerException, IOException {
    var builder =
        new OptionsBuilder()
            .include(LoadBenchmark.class.getName())
            .verbosity(VerboseMode.SILENT)
            .jvmArgsAppend("--sun-misc-unsafe-memory-access=allow");
    List<String> modules = BenchArguments.parse("load", "[hello|FUNCTIONS/ADDS...]", args,
        a -> a.operands(text -> module(a, text)));
    if (!modules.isEmpty()) {
      builder.param("module", modules.toArray(String[]::new)); // e.g. bench/run load hello 50000/64
    }
    var options = builder.build();
    Map<String, Map<String, Double>> rows = new TreeMap<>(LoadTimes::compareModules);
    for (RunResult result : new Runner(options).run()) {
      String method = result.getParams().getBenchmark().replaceAll(".*\\.", "");
      rows.computeIfAbsent(result.getParams().getParam("module"), k -> new LinkedHashMap<>())
          .put(method, result.getPrimaryResult().getScore());
    }
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-10s %12s %12s", "module", "text bytes",
        "file bytes"));
    for (String label : LABELS) {
      header.append(String.format(Locale.ROOT, " %11s", label));
    }
    System.out.println(header);
    for (var row : rows.entrySet()) {
      CwasmFile file = CwasmFile.open(MemorySegment.ofArray(LoadBenchmark.artifact(row.getKey())));
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s %12d %12d", row.getKey(),
          file.section(KilnSection.TEXT).byteSize(), file.file().byteSize()));
      for (String column : COLUMNS) {
        line.append(String.format(Locale.ROOT, " %11.1f", row.getValue().getOrDefault(column, Double.NaN)));
      }
      System.out.println(line);
    }
  }

  /** hello first, then by function count and additions. */
  private static int compareModules(String a, String b) {
    return Long.compare(order(a), order(b));
  }

  private static long order(String module) {
    if (module.equals("hello")) {
      return -1;
    }
    String[] size = module.split("/");
    return Long.parseLong(size[0]) << 20 | Long.parseLong(size[1]);
  }
}
