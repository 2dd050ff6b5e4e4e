package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.runtime.tools.ArtifactContents;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln compile} over every sightglass program with the real x86-64 backend: each one either
 * compiles to an artifact that opens with every structural check, or is refused with exit 1 and one
 * {@code unsupported:} line naming the operator, offset and function. Never an internal error.
 */
class SightglassCompileTest {
  static final Path CORPUS = Path.of(System.getProperty("kiln.corpora", "../../shared/corpora"), "sightglass");

  @TempDir Path dir;

  @Test
  void everyProgramCompilesOrIsRefusedWithOneLine() throws IOException {
    assumeTrue(Files.isDirectory(CORPUS), "sightglass corpus not found at " + CORPUS);
    List<Path> modules;
    try (Stream<Path> files = Files.walk(CORPUS)) {
      modules = files.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
    }
    assertTrue(modules.size() > 10, "corpus has " + modules.size() + " modules");
    List<String> compiled = new ArrayList<>();
    for (Path wasm : modules) {
      Path out = dir.resolve(CORPUS.relativize(wasm).toString().replace('/', '_') + ".cwasm");
      ArtifactCommandsTest.Run run = ArtifactCommandsTest.kiln("compile", wasm.toString(), "-o", out.toString());
      if (run.exit() == 0) {
        try (Arena arena = Arena.ofConfined()) {
          ArtifactContents.open(out, arena); // read back through the loader's checks
        }
        compiled.add(wasm.toString());
      } else {
        assertEquals(1, run.exit(), wasm + ":\n" + run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith(wasm + ": unsupported: "), run.err());
      }
    }
    System.out.println("sightglass: " + compiled.size() + " of " + modules.size() + " compiled " + compiled);
  }
}
