package dev.kiln.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training runs behind the CLI's JVM ahead-of-time caches (JEP 483, 514): {@code ./kiln}
 * runs this class with {@code -XX:AOTCacheOutput} after it builds the CLI, and the JVM stores the
 * classes it loaded and linked for every later {@code kiln} process to start from (not the method
 * profiles and compilations it gathered: the launcher turns their recording off, since replaying
 * them at start cost short processes more than it saved). A class the training never loads is still loaded normally later, only
 * slower, so the run does what a user's commands do. Every command goes through {@link Main#run},
 * the same path as {@code main}; one that fails ends the training with its error, so the launcher
 * keeps no cache trained on an error path.
 *
 * <p>There are two caches because a JVM loads every class of its cache when it starts, whether the
 * command needs it or not: the cache of all commands (validate, compile for both targets, inspect,
 * and run a {@code .cwasm}, an in-memory {@code .wasm} through the compiled-module cache and a WASI
 * command reading a preopened file) holds the compiler and both code generators, some 2,700 classes,
 * which cost {@code kiln run X.cwasm} about 14 ms of CPU before {@code main}
 * (docs/history/performance-journal.md, "A parser of Kiln's own"). The cache for {@code kiln run}
 * is trained on runs only, of the artifacts and compiled-module cache entries the first training
 * left behind, so it holds what running needs.
 *
 * <p>Usage: {@code AotTraining HELLO.wasm CAT.wasm [DIR]} (examples/hello.wasm and
 * examples/cat.wasm) trains every command, in DIR if given (kept) or in a temporary folder (deleted);
 * {@code AotTraining --run DIR} then trains {@code kiln run} on what the first left in DIR.
 */
public final class AotTraining {
  private AotTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 2 && !args[0].equals("--run")) {
      Path scratch = Files.createTempDirectory("kiln-aot-training");
      try {
        everyCommand(Path.of(args[0]), Path.of(args[1]), new Workspace(scratch));
      } finally {
        deleteTree(scratch);
      }
    } else if (args.length == 3) {
      everyCommand(Path.of(args[0]), Path.of(args[1]), new Workspace(Files.createDirectories(Path.of(args[2]))));
    } else if (args.length == 2) {
      runOnly(new Workspace(Path.of(args[1])));
    } else {
      System.err.println("usage: AotTraining HELLO.wasm CAT.wasm [DIR] | AotTraining --run DIR");
      System.exit(2);
    }
  }

  /** Where one training keeps its files, and the next one finds them. */
  private record Workspace(Path dir) {
    String hello() {
      return dir.resolve("hello.wasm").toString();
    }

    String cat() {
      return dir.resolve("cat.wasm").toString();
    }

    String helloCwasm() {
      return dir.resolve("hello.cwasm").toString();
    }

    String catCwasm() {
      return dir.resolve("cat.cwasm").toString();
    }

    String cache() {
      return dir.resolve("cache").toString();
    }

    /** The guest's view of the folder, for cat to read in.txt from. */
    String preopen() {
      return "--dir=" + dir + "::.";
    }
  }

  private static void everyCommand(Path hello, Path cat, Workspace files) throws IOException {
    Files.copy(hello, Path.of(files.hello()), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(cat, Path.of(files.cat()), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(files.dir().resolve("in.txt"), "twelve bytes");
    expect(0, "validate", files.hello());
    expect(0, "compile", files.hello(), "-o", files.helloCwasm());
    expect(0, "compile", "--target", "aarch64", files.hello(), "-o", files.dir().resolve("a64.cwasm").toString());
    expect(0, "compile", files.cat(), "-o", files.catCwasm());
    expect(0, "inspect", files.helloCwasm());
    // A miss of the compiled-module cache (compile and store), then a hit (map the stored entry).
    for (int i = 0; i < 2; i++) {
      expect(0, "run", "--cache-dir", files.cache(), files.hello(), "--invoke", "add", "2", "40");
    }
    expect(0, "run", "--no-cache", files.hello(), "--invoke", "fac", "5");
    expect(12, "run", "--cache-dir", files.cache(), files.preopen(), files.cat(), "--", "training", "in.txt");
    runs(files);
    expect(0, "cache", "--cache-dir", files.cache(), "stats");
  }

  /** Only {@code kiln run}, of what {@link #everyCommand} compiled and cached: nothing is compiled. */
  private static void runOnly(Workspace files) {
    runs(files);
    expect(0, "run", "--cache-dir", files.cache(), files.hello(), "--invoke", "add", "2", "40");
    expect(12, "run", "--cache-dir", files.cache(), files.preopen(), files.cat(), "--", "training", "in.txt");
  }

  /** Runs of compiled artifacts: an export called, the exports listed, a WASI command (cat exits 12). */
  private static void runs(Workspace files) {
    expect(0, "run", files.helloCwasm(), "--invoke", "fac", "20");
    expect(RunCommand.NO_EXPORT_NAMED, "run", files.helloCwasm());
    expect(12, "run", files.preopen(), files.catCwasm(), "--", "training", "in.txt");
  }

  private static void expect(int status, String... args) {
    StringWriter err = new StringWriter();
    int actual = Main.run(new PrintWriter(Writer.nullWriter()), new PrintWriter(err), args);
    if (actual != status) {
      throw new IllegalStateException("training command kiln " + String.join(" ", List.of(args)) + " exited "
          + actual + ", expected " + status + ": " + err);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
