package dev.kiln.bench.sightglass;

import dev.kiln.bench.BenchArguments;
import dev.kiln.bench.ScratchFolders;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run sightglass [--engines kiln,wasmtime,wasmtime-java,node] [--only TEXT] [--timeout SEC]
 * [--repeat N] [ROOT]}: every program of the sightglass corpus (default ../shared/corpora/sightglass)
 * on each engine, one process per program and engine, in one run; with {@code --repeat N} each
 * program runs N rounds of every engine in turn and the fastest run of each engine is reported. Each run gets a scratch folder holding the
 * program's inputs, preopened as "."; bench.start/bench.end are provided; stdout and stderr are
 * compared line by line with the expected files. Prints a progress line per run on stderr and, at
 * the end, a Markdown table (compile, instantiate, bench.start-to-end and total times per engine,
 * for Kiln's engines the allocator's spill stores, reloads and copies inside loops, Kiln's bench
 * time over Wasmtime 49's and over wasmtime-java's and in a fresh JVM over a warm one (kiln-warm),
 * and kiln-epochs' and kiln-fuel's bench CPU time over Kiln's, each with the geometric mean over programs both ran correctly for at least {@value
 * #MIN_RATIO_MS} ms)
 * followed by the reason for every run that did not pass.
 */
public final class SightglassRunner {
  private SightglassRunner() {}

  /** Below this bench time (ms, of the ratio's denominator) a ratio is timer noise (noop's ~0.01 ms). */
  static final double MIN_RATIO_MS = 0.1;

  /** One engine's outcome on one program. */
  record Outcome(ResultLine result, String stdout, String stderr) {
    boolean passed() {
      return result.get("reason").isEmpty() && "0".equals(result.get("exit").orElse(""))
          && !stdout.startsWith("DIFF") && !stderr.startsWith("DIFF");
    }

    String status() {
      Optional<String> reason = result.get("reason");
      if (reason.isPresent()) {
        return reason.get().startsWith("refused") ? "refused" : "failed";
      }
      if (!"0".equals(result.get("exit").orElse(""))) {
        return "exit " + result.get("exit").orElse("?");
      }
      if (stdout.startsWith("DIFF") || stderr.startsWith("DIFF")) {
        return "output differs";
      }
      return stdout.equals("unchecked") && stderr.equals("unchecked") ? "ran (no expected output)"
          : "ok";
    }

    String why() {
      return result.get("reason").orElse("stdout " + stdout + ", stderr " + stderr
          + ", exit " + result.get("exit").orElse("?"));
    }
  }

  /** The engines, programs and rounds of one run. */
  record Options(List<Engine> engines, String only, long timeoutSeconds, int repeat, Path root) {}

  static Options options(BenchArguments a) {
    List<Engine> engines = List.of(Engine.KILN, Engine.WASMTIME, Engine.WASMTIME_JAVA, Engine.NODE);
    String only = null;
    long timeoutSeconds = 600;
    int repeat = 1;
    Path root = null;
    while (a.hasNext()) {
      String arg = a.next();
      switch (arg) {
        case "--engines" -> engines = engines(a.value(arg));
        case "--only" -> only = a.value(arg);
        case "--timeout" -> timeoutSeconds = a.count(arg);
        case "--repeat" -> repeat = a.count(arg);
        default -> {
          if (root != null) {
            throw a.unexpected(arg);
          }
          root = a.existing(arg);
        }
      }
    }
    root = root != null ? root : a.existing("../shared/corpora/sightglass");
    return new Options(engines, only, timeoutSeconds, repeat, root.toAbsolutePath().normalize());
  }

  private static List<Engine> engines(String labels) {
    try {
      return java.util.Arrays.stream(labels.split(",")).map(Engine::byLabel).toList();
    } catch (IllegalArgumentException e) {
      throw new BenchArguments.UsageError(e.getMessage());
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = BenchArguments.parse("sightglass", "[--engines " + Engine.labels(",")
        + "] [--only TEXT] [--timeout SEC] [--repeat N] [DIR]", args, SightglassRunner::options);
    List<Engine> engines = options.engines();
    String only = options.only();
    long timeoutSeconds = options.timeoutSeconds();
    int repeat = options.repeat();
    Path root = options.root();
    Path scratchBase = Files.createTempDirectory("kiln-sightglass");
    List<Program> programs = new ArrayList<>();
    for (Program p : Program.discover(root)) {
      if (only == null || p.id().contains(only)) {
        programs.add(p);
      }
    }
    Map<Program, Map<Engine, Outcome>> outcomes = new LinkedHashMap<>();
    for (Program p : programs) {
      Map<Engine, Outcome> row = new LinkedHashMap<>();
      // The engines take turns, so each round sees the machine in about the same state.
      for (int round = 0; round < repeat; round++) {
        for (Engine e : engines) {
          Outcome o = run(e, p, root, scratchBase.resolve(e.label()), timeoutSeconds);
          row.merge(e, o, SightglassRunner::faster);
          System.err.printf(Locale.ROOT, "%-40s %-14s %-24s bench_ms=%s%s%n", p.id(), e.label(),
              o.status(), o.result().get("bench_ms").orElse("-"),
              o.result().get("bench_cpu_ms").map(cpu -> " bench_cpu_ms=" + cpu).orElse(""));
        }
      }
      outcomes.put(p, row);
    }
    report(System.out, engines, outcomes);
    // The engines' outputs are only worth keeping to look at a program that failed.
    if (outcomes.values().stream().allMatch(row -> row.values().stream().allMatch(Outcome::passed))) {
      ScratchFolders.delete(scratchBase);
    } else {
      System.err.println("outputs of the runs kept in " + scratchBase);
    }
  }

  /**
   * Of two runs of one program on one engine, the one to report: a passing run over a failing one,
   * then the shorter bench time (CPU time where the engine reports it).
   */
  static Outcome faster(Outcome a, Outcome b) {
    if (a.passed() != b.passed()) {
      return a.passed() ? a : b;
    }
    String key = a.result().get("bench_cpu_ms").isPresent() ? "bench_cpu_ms" : "bench_ms";
    double ta = a.result().millis(key).orElse(Double.MAX_VALUE);
    double tb = b.result().millis(key).orElse(Double.MAX_VALUE);
    return tb < ta ? b : a;
  }

  static Outcome run(Engine engine, Program program, Path root, Path base, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path scratch = program.prepareScratch(base);
    Engine.Invocation inv = engine.invocation(program, scratch, root);
    ProcessBuilder pb = new ProcessBuilder(inv.command()).directory(scratch.toFile());
    pb.environment().putAll(inv.environment());
    pb.redirectErrorStream(true);
    Path log = scratch.resolveSibling(program.name() + ".log");
    pb.redirectOutput(log.toFile());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return new Outcome(ResultLine.failed("cannot start " + inv.command().getFirst()), "-", "-");
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      return new Outcome(ResultLine.failed("timeout after " + timeoutSeconds + " s"), "-", "-");
    }
    ResultLine result = resultOf(engine, Files.readAllLines(log, StandardCharsets.UTF_8),
        process.exitValue());
    return new Outcome(result, OutputCheck.verdict(program.expected("stdout"), inv.stdout()),
        OutputCheck.verdict(program.expected("stderr"), inv.stderr()));
  }

  private static ResultLine resultOf(Engine engine, List<String> lines, int processExit) {
    for (String line : lines.reversed()) {
      if (line.startsWith(ResultLine.PREFIX)) {
        return ResultLine.parse(line);
      }
      if ((engine == Engine.NODE || engine == Engine.WASMTIME) && line.contains(" exit=")) {
        // run-node.mjs: "DIR/FILE iter=0 exit=N compile_ms=.. bench_ms=.. total_ms=.. ...",
        // wasmtime-py's sightglass.py the same without iter
        return ResultLine.parse(ResultLine.PREFIX + line);
      }
    }
    String tail = lines.isEmpty() ? "" : lines.getLast();
    return ResultLine.failed("process exited " + processExit + " without a result: " + tail);
  }

  static void report(PrintStream out, List<Engine> engines,
      Map<Program, Map<Engine, Outcome>> outcomes) {
    StringBuilder header = new StringBuilder("| program |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Engine e : engines) {
      header.append(' ').append(e.label()).append(" | compile ms | instantiate ms | bench ms | total ms |");
      rule.append("---|---:|---:|---:|---:|");
      if (e.compiledByKiln()) {
        header.append(" moves in loops (stores/reloads/copies) |");
        rule.append("---:|");
      }
    }
    List<Ratio> ratios = ratios(engines);
    for (Ratio r : ratios) {
      header.append(' ').append(r.label()).append(" |");
      rule.append("---:|");
    }
    out.println(header);
    out.println(rule);
    List<String> reasons = new ArrayList<>();
    for (var entry : outcomes.entrySet()) {
      StringBuilder row = new StringBuilder("| " + entry.getKey().id() + " |");
      for (Engine e : engines) {
        Outcome o = entry.getValue().get(e);
        row.append(' ').append(o.status()).append(" | ")
            .append(ms(o, "compile_ms")).append(" | ")
            .append(ms(o, "instantiate_ms")).append(" | ")
            .append(ms(o, "bench_ms")).append(" | ")
            .append(ms(o, "total_ms")).append(" |");
        if (e.compiledByKiln()) {
          row.append(' ').append(loopMoves(o)).append(" |");
        }
        if (!o.passed() && !o.status().startsWith("ran")) {
          reasons.add(entry.getKey().id() + " on " + e.label() + ": " + o.why());
        }
      }
      for (Ratio r : ratios) {
        row.append(r.add(entry.getValue()).map(v -> String.format(Locale.ROOT, " %.2fx |", v)).orElse(" - |"));
      }
      out.println(row);
    }
    for (Ratio r : ratios) {
      r.geometricMean().ifPresent(mean -> out.printf(Locale.ROOT,
          "%nGeometric mean of %s over %d program(s): %.2fx%n", r.label(), r.count, mean));
    }
    if (!reasons.isEmpty()) {
      out.println();
      out.println("Runs that did not pass:");
      reasons.forEach(r -> out.println("- " + r));
    }
  }

  /**
   * The ratio columns of a run: Kiln over Wasmtime 49 and over wasmtime-java (bench time), Kiln in
   * a fresh JVM over Kiln in a warm one (kiln-warm, bench time), and each Kiln variant with
   * checks compiled in (kiln-epochs, kiln-fuel) over plain Kiln (bench CPU time, which a loaded
   * machine disturbs less), when both engines ran.
   */
  private static List<Ratio> ratios(List<Engine> engines) {
    List<Ratio> ratios = new ArrayList<>();
    if (engines.contains(Engine.KILN) && engines.contains(Engine.WASMTIME)) {
      ratios.add(new Ratio(Engine.KILN, Engine.WASMTIME, "bench_ms"));
    }
    if (engines.contains(Engine.KILN) && engines.contains(Engine.WASMTIME_JAVA)) {
      ratios.add(new Ratio(Engine.KILN, Engine.WASMTIME_JAVA, "bench_ms"));
    }
    if (engines.contains(Engine.KILN_CLI) && engines.contains(Engine.WASMTIME)) {
      ratios.add(new Ratio(Engine.KILN_CLI, Engine.WASMTIME, "bench_ms"));
    }
    for (Engine fresh : List.of(Engine.KILN, Engine.KILN_CLI)) {
      if (engines.contains(fresh) && engines.contains(Engine.KILN_WARM)) {
        // Wall time: the cold JVM's cost is partly on other threads (JIT compilers, class loading).
        ratios.add(new Ratio(fresh, Engine.KILN_WARM, "bench_ms"));
      }
    }
    for (Engine variant : List.of(Engine.KILN_EPOCHS, Engine.KILN_FUEL)) {
      if (engines.contains(Engine.KILN) && engines.contains(variant)) {
        ratios.add(new Ratio(variant, Engine.KILN, "bench_cpu_ms"));
      }
    }
    return ratios;
  }

  /**
   * One engine's time ({@code key}, e.g. bench_ms) over another's, per program both ran correctly
   * with the second taking at least {@value #MIN_RATIO_MS} ms, and the geometric mean of those.
   */
  private static final class Ratio {
    private final Engine over;
    private final Engine under;
    private final String key;
    private double logSum;
    private int count;

    Ratio(Engine over, Engine under, String key) {
      this.over = over;
      this.under = under;
      this.key = key;
    }

    String label() {
      return over.label() + " / " + under.label() + " (" + key.replace("_ms", "").replace('_', ' ') + ")";
    }

    /** The program's ratio, if it has one; counted into the mean. */
    Optional<Double> add(Map<Engine, Outcome> row) {
      Outcome a = row.get(over);
      Outcome b = row.get(under);
      Optional<Double> ab = a.result().millis(key);
      Optional<Double> bb = b.result().millis(key);
      if (!a.passed() || !b.passed() || ab.isEmpty() || bb.isEmpty() || bb.get() < MIN_RATIO_MS || ab.get() <= 0) {
        return Optional.empty();
      }
      double r = ab.get() / bb.get();
      logSum += Math.log(r);
      count++;
      return Optional.of(r);
    }

    Optional<Double> geometricMean() {
      return count == 0 ? Optional.empty() : Optional.of(Math.exp(logSum / count));
    }
  }

  /** Kiln's static count of allocator moves inside loops ({@link KilnProgramRun}), or "-". */
  private static String loopMoves(Outcome o) {
    ResultLine r = o.result();
    return r.get("loop_spill_stores").isEmpty() ? "-"
        : r.get("loop_spill_stores").get() + "/" + r.get("loop_reloads").orElse("-") + "/"
            + r.get("loop_copies").orElse("-");
  }

  private static String ms(Outcome o, String key) {
    return o.result().millis(key).map(v -> String.format(Locale.ROOT, "%.1f", v)).orElse("-");
  }
}
