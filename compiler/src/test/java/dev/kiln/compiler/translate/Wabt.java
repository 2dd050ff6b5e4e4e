package dev.kiln.compiler.translate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs Debian's wabt tools ({@code wat2wasm}, {@code wast2json}) for tests that need them. */
final class Wabt {
  private Wabt() {}

  /** Whether {@code tool} is on the PATH. */
  static boolean available(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Compiles wasm text to a binary module (tail calls enabled, which wat2wasm 1.0.32 is not by default). */
  static byte[] wat2wasm(String wat, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path in = Files.createTempFile(workDir, "input", ".wat");
      Path out = in.resolveSibling(in.getFileName() + ".wasm");
      Files.writeString(in, wat, StandardCharsets.UTF_8);
      run(workDir, "wat2wasm", "--enable-tail-call", in.toString(), "-o", out.toString());
      byte[] bytes = Files.readAllBytes(out);
      Files.delete(in);
      Files.delete(out);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Converts a .wast script into {@code outDir/<name>.json} plus its modules; returns the JSON. */
  static Path wast2json(Path wast, Path outDir, String... flags) {
    String name = wast.getFileName().toString().replaceFirst("\\.wast$", "");
    Path json = outDir.resolve(name + ".json");
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>(List.of("wast2json"));
    command.addAll(List.of(flags));
    command.addAll(List.of(wast.toString(), "-o", json.toString()));
    run(outDir, command.toArray(String[]::new));
    return json;
  }

  private static void run(Path dir, String... command) {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** This module's build folder (target, or target-NAME with -Dkiln.buildDir). */
  static Path buildDir() {
    try {
      Path classes = Path.of(Wabt.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return classes.getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
