package dev.kiln.bench;

import dev.kiln.wat.Wat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The peers of the export benchmarks (bench/gc, bench/exceptions): Wasmtime 49 through wasmtime-py
 * (the shared peer's virtual environment) and Node, each driven by its script under {@code
 * bench/peers/}, which compiles a module once and then calls one export in a new instance per call,
 * timing the call alone. Both scripts print {@code ms=... result=...} per call and a version line
 * last; {@link #run} reads them into a {@link Row}.
 */
public final class ExportPeers {
  /** One engine's calls of one export: each call's ms and result, and a note for the table. */
  public record Row(String engine, List<Double> millis, List<Long> results, String note) {
    public double median() {
      double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return sorted[sorted.length / 2];
    }

    public double best() {
      return millis.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }
  }

  /**
   * The command line a peer run takes: {@code [--repeat N] [--node PATH]}, calls per program per
   * engine and the Node to run.
   */
  public record Options(int repeat, String node) {
    /** Reads {@code args} for {@code bench/run command}, {@code defaultRepeat} calls unless given. */
    public static Options parse(String command, int defaultRepeat, String[] args) {
      return BenchArguments.parse(command, "[--repeat N] [--node PATH]", args, a -> {
        int repeat = defaultRepeat;
        String node = "node";
        while (a.hasNext()) {
          String option = a.next();
          switch (option) {
            case "--repeat" -> repeat = a.count(option);
            case "--node" -> node = a.value(option);
            default -> throw a.unexpected(option);
          }
        }
        return new Options(repeat, node);
      });
    }
  }

  private final Path scripts;
  private final Path wasmtimePeer;
  private final String node;

  /** Peers for a run from the project's root ({@code bench/run}), with {@code node} as the Node to run. */
  public ExportPeers(String node) {
    this.scripts = Path.of("bench", "peers").toAbsolutePath();
    this.wasmtimePeer = scripts.resolve("../../../shared/peers/wasmtime-py").normalize();
    this.node = node;
  }

  /** {@code export(args...)} of {@code wasm} on Wasmtime, {@code repeat} calls. */
  public Row wasmtime(Path wasm, String export, int repeat, long... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", "-c",
        "venv=$(\"$0\") && exec \"$venv/bin/python\" \"$@\"", wasmtimePeer.resolve("setup.sh").toString(),
        scripts.resolve("wasmtime-export.py").toString(), wasm.toString(), export, Integer.toString(repeat)));
    command.addAll(texts(args));
    return run("wasmtime", command);
  }

  /** {@code export(args...)} of {@code wasm} on Node, {@code repeat} calls. */
  public Row node(Path wasm, String export, int repeat, long... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(node, scripts.resolve("node-export.mjs").toString(),
        wasm.toString(), export, Integer.toString(repeat)));
    command.addAll(texts(args));
    return run("node", command);
  }

  /**
   * Node's version when it runs {@code probeText} (a module whose export {@code run} returns the
   * i64 7) and so the feature it uses, else a note saying Node is not run and why: the machine's
   * Node 20 knows neither standard GC nor exnref.
   */
  public String nodeVersionIfItRuns(String probeText, String feature, Path work)
      throws IOException, InterruptedException {
    Path probe = work.resolve("probe.wasm");
    Files.write(probe, Wat.toBinary(probeText, "probe.wat"));
    Process process;
    try {
      process = new ProcessBuilder(node, scripts.resolve("node-export.mjs").toString(), probe.toString(), "run", "1")
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      return "not run (" + node + ": " + e.getMessage() + ")";
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() == 0 && output.contains("result=7")) {
      return output.substring(output.indexOf("node=") + "node=".length()).trim();
    }
    String version = new String(new ProcessBuilder(node, "--version").start().getInputStream().readAllBytes(),
        StandardCharsets.UTF_8).trim();
    return "not run (" + node + " " + version + " does not compile " + feature + "; give --node PATH)";
  }

  private static List<String> texts(long[] args) {
    return Arrays.stream(args).mapToObj(Long::toString).toList();
  }

  /** Runs a peer script and reads its lines; a failed script or one with no call is an error. */
  private static Row run(String engine, List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<Double> millis = new ArrayList<>();
    List<Long> results = new ArrayList<>();
    String version = "";
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("ms=")) {
          String[] parts = line.split(" ");
          millis.add(Double.parseDouble(parts[0].substring("ms=".length())));
          results.add(Long.parseLong(parts[1].substring("result=".length())));
        } else {
          version = line;
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || millis.isEmpty()) {
      throw new IllegalStateException(engine + " failed (exit " + exit + "): " + String.join(" ", command));
    }
    return new Row(engine, millis, results, ", " + version);
  }
}
