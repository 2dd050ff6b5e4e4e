package dev.kiln.bench.gc;

import dev.kiln.artifact.Target;
import dev.kiln.bench.ExportPeers;
import dev.kiln.bench.ExportPeers.Row;
import dev.kiln.bench.KilnExportRun;
import dev.kiln.loader.runtime.GcPauses;
import dev.kiln.wat.Wat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/run gc [--repeat N] [--node PATH]}: each program of {@link GcProgram} on Kiln
 * (x86-64), Wasmtime 49 (wasmtime-py, the shared peer's virtual environment) and Node in one run.
 * Each engine compiles the program once and then calls {@code run} N times, each in a new store
 * (instance), timing the call alone; the table gives the median and the best call in ms, the
 * median's ratio to Wasmtime's, every call's ms, and for Kiln the collections its store made
 * during each call; for the 100 MB-live program, Kiln's collection pauses (the store's record,
 * {@code Store.gcStatistics}). Every
 * call's result must be the program's {@link GcProgram#expected} value, else the run fails. The
 * peers read the binary Kiln's own text reader ({@link Wat#toBinary}) makes of the {@code .wat}.
 * Node runs only where its V8 takes standard WebAssembly GC (V8 11.9 and later: Node 22+; Node
 * 20's V8 knows only a pre-standard encoding): the run probes it and says so otherwise.
 */
public final class GcBenchRun {
  private GcBenchRun() {}

  public static void main(String[] args) throws Exception {
    ExportPeers.Options options = ExportPeers.Options.parse("gc", 3, args);
    int repeat = options.repeat();
    Path dir = Path.of("bench", "gc").toAbsolutePath();
    Path work = Files.createTempDirectory("kiln-gc-bench");
    ExportPeers peers = new ExportPeers(options.node());
    // Node 20's V8 rejects the standard GC type codes even behind --experimental-wasm-gc
    String nodeVersion = peers.nodeVersionIfItRuns("(module (type $s (struct (field i32)))"
        + " (func (export \"run\") (result i64) (drop (struct.new $s (i32.const 1))) (i64.const 7)))",
        "standard wasm GC", work);
    System.out.printf(Locale.ROOT, "load average %s; %d calls per program per engine; node: %s%n",
        Files.readString(Path.of("/proc/loadavg")).trim(), repeat, nodeVersion);
    boolean allMatch = true;
    System.out.printf(Locale.ROOT, "%-13s %-9s %10s %10s %8s  %s%n", "program", "engine", "median ms", "best ms",
        "/wasmtime", "result, notes");
    for (GcProgram program : GcProgram.values()) {
      byte[] wasm = Wat.toBinary(program.text(dir), program.source(dir).toString());
      Path wasmFile = work.resolve(program.label() + ".wasm");
      Files.write(wasmFile, wasm);
      long[] runArgs = program.benchArgs();
      List<Row> rows = new ArrayList<>();
      List<GcPauses.Pause> pauses = new ArrayList<>();
      rows.add(kiln(wasm, repeat, runArgs, pauses));
      rows.add(peers.wasmtime(wasmFile, "run", repeat, runArgs));
      if (nodeVersion.startsWith("v")) {
        rows.add(peers.node(wasmFile, "run", repeat, runArgs));
      }
      long expected = program.expected(runArgs);
      double wasmtimeMedian = rows.get(1).median();
      for (Row row : rows) {
        boolean match = row.results().stream().allMatch(r -> r == expected);
        allMatch &= match;
        System.out.printf(Locale.ROOT, "%-13s %-9s %10.1f %10.1f %7.2fx  %s%s%n", program.label(), row.engine(),
            row.median(), row.best(), row.median() / wasmtimeMedian,
            match ? expected : "MISMATCH " + row.results() + " (expected " + expected + ")",
            ", calls ms " + row.millis().stream().map(ms -> String.format(Locale.ROOT, "%.0f", ms)).toList()
                + row.note());
      }
      if (program == GcProgram.PAUSE) {
        // Wasmtime's collector publishes no pause: wasmtime-py has neither a collection hook nor
        // statistics, and its collections run inside the allocating call, timed only as part of it.
        System.out.printf(Locale.ROOT, "%-13s %-9s pauses: %s; wasmtime: not measurable (wasmtime-py exposes no"
            + " collection hook or statistics)%n", program.label(), "kiln", pauseSummary(pauses));
      }
    }
    if (!allMatch) {
      System.err.println("error: an engine returned a value other than the program's check value");
      System.exit(1);
    }
  }

  /** Kiln's calls of one program; each collection's pause is added to {@code pauses}. */
  private static Row kiln(byte[] wasm, int repeat, long[] runArgs, List<GcPauses.Pause> pauses) {
    List<Double> millis = new ArrayList<>();
    List<Long> results = new ArrayList<>();
    List<Long> collections = new ArrayList<>();
    try (KilnExportRun kiln = new KilnExportRun(wasm, Target.X86_64)) {
      for (int i = 0; i < repeat; i++) {
        KilnExportRun.Measurement m = kiln.run(runArgs);
        millis.add(m.millis());
        results.add(m.result());
        collections.add(m.collections());
        pauses.addAll(m.pauses());
      }
    }
    return new Row("kiln", millis, results, ", collections " + collections);
  }

  /**
   * Kiln's collection pauses of all the calls of one program (the store's own record, {@code
   * Store.gcStatistics}): the longest, the median and the live bytes the longest copied.
   */
  private static String pauseSummary(List<GcPauses.Pause> pauses) {
    if (pauses.isEmpty()) {
      return "no collection";
    }
    List<GcPauses.Pause> sorted = pauses.stream()
        .sorted(java.util.Comparator.comparingLong(GcPauses.Pause::nanos)).toList();
    GcPauses.Pause longest = sorted.getLast();
    return String.format(Locale.ROOT, "%d collections: longest %.1f ms (%.1f MB live copied), median %.1f ms",
        pauses.size(), longest.nanos() / 1e6, longest.bytesCopied() / 1e6, sorted.get(sorted.size() / 2).nanos() / 1e6);
  }
}
