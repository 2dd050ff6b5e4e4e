package dev.kiln.bench.sightglass;

import dev.kiln.bench.ScratchFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One sightglass benchmark program: a .wasm in a benchmark folder, with the folder's input files
 * (everything that is neither a module nor an expected output) and its expected stdout/stderr.
 * The expected files are {@code NAME.stdout.expected} or, failing that, {@code
 * default.stdout.expected} (sightglass's convention, also run-node.mjs's).
 *
 * @param root the corpus root (sightglass/)
 * @param dir the benchmark folder
 * @param wasm the module's file name in {@code dir}
 */
public record Program(Path root, Path dir, String wasm) {
  /** The module name without ".wasm" (benchmark, shootout-fib2, ...). */
  public String name() {
    return wasm.substring(0, wasm.length() - ".wasm".length());
  }

  /** "bz2/benchmark.wasm": how the program is named in reports. */
  public String id() {
    return root.relativize(dir.resolve(wasm)).toString();
  }

  public Path module() {
    return dir.resolve(wasm);
  }

  public Optional<Path> expected(String stream) {
    Path own = dir.resolve(name() + "." + stream + ".expected");
    if (Files.exists(own)) {
      return Optional.of(own);
    }
    Path fallback = dir.resolve("default." + stream + ".expected");
    return Files.exists(fallback) ? Optional.of(fallback) : Optional.empty();
  }

  /** The files a run needs beside it (inputs), copied into its scratch folder. */
  public List<Path> inputs() throws IOException {
    List<Path> inputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(Files::isRegularFile)
          .filter(p -> {
            String n = p.getFileName().toString();
            return !n.endsWith(".wasm") && !n.endsWith(".expected") && !n.endsWith(".md")
                || n.endsWith(".input.md");
          })
          .filter(p -> !p.getFileName().toString().startsWith("LICENSE"))
          .sorted()
          .forEach(inputs::add);
    }
    return inputs;
  }

  /** Every .wasm under {@code root}, in path order. */
  public static List<Program> discover(Path root) throws IOException {
    List<Program> programs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(p -> p.getFileName().toString().endsWith(".wasm"))
          .sorted()
          .forEach(p -> programs.add(new Program(root, p.getParent(), p.getFileName().toString())));
    }
    return programs;
  }

  /** A fresh scratch folder holding this program's inputs. */
  public Path prepareScratch(Path base) throws IOException {
    Path scratch = base.resolve(root.relativize(dir)).resolve(name());
    ScratchFolders.delete(scratch);
    Files.createDirectories(scratch);
    for (Path input : inputs()) {
      Files.copy(input, scratch.resolve(input.getFileName()));
    }
    return scratch;
  }
}
