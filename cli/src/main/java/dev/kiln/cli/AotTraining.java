package dev.kiln.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run behind the CLI's JVM ahead-of-time cache (JEP 483, 514, 515): {@code ./kiln}
 * runs this class once with {@code -XX:AOTCacheOutput} after it builds the CLI, and the JVM stores
 * the classes it loaded and linked, and the method profiles it gathered, for every later {@code
 * kiln} process to start from. A class the training never loads is still loaded normally later, only
 * slower, so the run does what a user's commands do: validate, compile for both targets, inspect,
 * and run a {@code .cwasm}, an in-memory {@code .wasm} (through the compiled-module cache) and a
 * WASI command reading a preopened file. Every command goes through {@link Main#run}, the
 * same path as {@code main}; one that fails ends the training with its error, so the launcher keeps
 * no cache trained on an error path.
 *
 * <p>Usage: {@code AotTraining HELLO.wasm CAT.wasm} (examples/hello.wasm and examples/cat.wasm).
 */
public final class AotTraining {
  private AotTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: AotTraining HELLO.wasm CAT.wasm");
      System.exit(2);
    }
    Path scratch = Files.createTempDirectory("kiln-aot-training");
    try {
      train(Path.of(args[0]), Path.of(args[1]), scratch);
    } finally {
      try (Stream<Path> files = Files.walk(scratch)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void train(Path hello, Path cat, Path scratch) throws IOException {
    String helloCwasm = scratch.resolve("hello.cwasm").toString();
    String catCwasm = scratch.resolve("cat.cwasm").toString();
    String cacheDir = scratch.resolve("cache").toString();
    Files.writeString(scratch.resolve("in.txt"), "twelve bytes");
    String dir = "--dir=" + scratch + "::.";
    expect(0, "validate", hello.toString());
    expect(0, "compile", hello.toString(), "-o", helloCwasm);
    expect(0, "compile", "--target", "aarch64", hello.toString(), "-o", scratch.resolve("a64.cwasm").toString());
    expect(0, "compile", cat.toString(), "-o", catCwasm);
    expect(0, "inspect", helloCwasm);
    expect(0, "run", helloCwasm, "--invoke", "fac", "20");
    // A miss (compile and store), then a hit (map the stored entry).
    for (int i = 0; i < 2; i++) {
      expect(0, "run", "--cache-dir", cacheDir, hello.toString(), "--invoke", "add", "2", "40");
    }
    expect(0, "run", "--no-cache", hello.toString(), "--invoke", "fac", "5");
    // cat exits with the length of the file it copied, 12.
    expect(12, "run", dir, catCwasm, "--", "training", "in.txt");
    expect(12, "run", "--cache-dir", cacheDir, dir, cat.toString(), "--", "training", "in.txt");
    expect(0, "cache", "--cache-dir", cacheDir, "stats");
  }

  private static void expect(int status, String... args) {
    StringWriter err = new StringWriter();
    int actual = Main.run(new PrintWriter(Writer.nullWriter()), new PrintWriter(err), args);
    if (actual != status) {
      throw new IllegalStateException("training command kiln " + String.join(" ", List.of(args)) + " exited "
          + actual + ", expected " + status + ": " + err);
    }
  }
}
