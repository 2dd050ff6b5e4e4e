package dev.kiln.bench.sightglass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares a run's output with the expected file line by line, as sightglass does
 * (crates/cli/src/benchmark.rs compare_output_file) and run-node.mjs mirrors: lines split on \n
 * (a \r before it dropped), a final empty line ignored.
 */
public final class OutputCheck {
  private OutputCheck() {}

  /** "match", "DIFF" (with the first differing line), or "unchecked" without an expected file. */
  public static String verdict(Optional<Path> expected, Path actual) throws IOException {
    if (expected.isEmpty()) {
      return "unchecked";
    }
    if (!Files.exists(actual)) {
      return "DIFF(no output file)";
    }
    List<String> want = lines(expected.get());
    List<String> got = lines(actual);
    if (want.equals(got)) {
      return "match";
    }
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      String w = i < want.size() ? want.get(i) : "<end>";
      String g = i < got.size() ? got.get(i) : "<end>";
      if (!w.equals(g)) {
        return "DIFF(line " + (i + 1) + ")";
      }
    }
    return "DIFF";
  }

  static List<String> lines(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    if (!lines.isEmpty() && lines.getLast().isEmpty()) {
      lines.removeLast();
    }
    return lines;
  }
}
