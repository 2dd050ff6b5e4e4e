package dev.kiln.wat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The modules wabt's {@code wast2json} writes for a script, by the line of their {@code (module}:
 * the reference the text reader's output is compared with. The invocation follows the CLI's
 * {@code dev.kiln.wast.Wast2Json} (same tool, same per-proposal flags).
 */
final class Wast2JsonReference {
  private static final Pattern COMMAND =
      Pattern.compile("\"line\": (\\d+), \"filename\": \"([^\"]+\\.wasm)\"");

  private final Path executable;

  private Wast2JsonReference(Path executable) {
    this.executable = executable;
  }

  /** wast2json from the PATH, or empty when it is not installed. */
  static Optional<Wast2JsonReference> locate() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "wast2json");
      if (Files.isExecutable(candidate)) {
        return Optional.of(new Wast2JsonReference(candidate));
      }
    }
    return Optional.empty();
  }

  /**
   * Converts {@code wast} into {@code outDir} and maps each module's line to its {@code .wasm}
   * file; empty when wast2json rejects the script (it cannot read some 3.0 syntax).
   */
  Optional<Map<Integer, Path>> convert(Path wast, List<String> flags, Path outDir) throws IOException, InterruptedException {
    Files.createDirectories(outDir);
    Path json = outDir.resolve(wast.getFileName().toString().replaceFirst("\\.wast$", ".json"));
    if (!Files.exists(json)) {
      List<String> command = new ArrayList<>();
      command.add(executable.toString());
      command.addAll(flags);
      command.add(wast.toString());
      command.add("-o");
      command.add(json.toString());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      if (process.waitFor() != 0) {
        Files.deleteIfExists(json);
        return Optional.empty();
      }
    }
    Map<Integer, Path> byLine = new HashMap<>();
    Matcher m = COMMAND.matcher(Files.readString(json, StandardCharsets.UTF_8));
    while (m.find()) {
      byLine.put(Integer.parseInt(m.group(1)), outDir.resolve(m.group(2)));
    }
    return Optional.of(byLine);
  }

  /** The wast2json flags for a script of the 2022 suite: its proposal folder's (as convert.sh). */
  static List<String> flagsFor(Path wast) {
    String folder = wast.getParent().getFileName().toString();
    return switch (folder) {
      case "tail-call" -> List.of("--enable-tail-call");
      case "extended-const" -> List.of("--enable-extended-const");
      case "multi-memory" -> List.of("--enable-multi-memory");
      case "memory64" -> wast.getFileName().toString().equals("binary.wast")
          ? List.of("--enable-memory64", "--disable-reference-types") : List.of("--enable-memory64");
      default -> List.of();
    };
  }
}
