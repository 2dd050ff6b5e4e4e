package dev.kiln.wast;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes tiny hand-written scripts for the engine's tests; line N of the list is line N of the file. */
final class Snippets {
  private Snippets() {}

  static Path write(Path dir, String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, List.of(lines));
    return file;
  }
}
