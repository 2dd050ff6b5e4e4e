package dev.kiln.wasm.validate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.wasm.decode.Decoder;
import dev.kiln.wasm.module.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every real program of the sightglass corpus (compiled by rustc and clang) validates. */
class ValidatorCorpusTest {
  @Test
  void everySightglassModuleValidates() throws IOException {
    Path dir = sightglass();
    assumeTrue(Files.isDirectory(dir), "sightglass corpus not found at " + dir);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
    }
    assumeTrue(!files.isEmpty());
    for (Path f : files) {
      Module m = Decoder.decode(Files.readAllBytes(f));
      assertDoesNotThrow(() -> Validator.validate(m), f.toString());
    }
  }

  private static Path sightglass() {
    String configured = System.getProperty("kiln.corpora");
    if (configured != null) {
      return Path.of(configured).resolve("sightglass");
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    Path repo = dir == null ? Path.of("").toAbsolutePath() : dir;
    return repo.resolveSibling("shared").resolve("corpora").resolve("sightglass");
  }
}
