package dev.kiln.wasm.decode;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.wasm.module.CustomSection;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.validate.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decodes the real programs of the sightglass corpus and compares section counts with what wabt's
 * {@code wasm-objdump -h} (and {@code -x -j name} for function names) reports for the same files.
 */
class SightglassCorpusTest {
  /** One benchmark's counts as wasm-objdump 1.0.32 prints them. */
  record Expected(
      String benchmark, int types, int imports, int functions, int tables, int memories, int globals,
      int exports, int elements, int code, int data, int dataCountSections, int customSections,
      int functionNames) {}

  static Stream<Expected> benchmarks() {
    return Stream.of(
        new Expected("blake3-simd", 23, 11, 79, 1, 1, 2, 2, 1, 79, 2, 0, 9, 90),
        new Expected("bz2", 20, 14, 93, 1, 1, 1, 2, 1, 93, 2, 0, 9, 107),
        new Expected("hex-simd", 18, 12, 262, 1, 1, 2, 3, 1, 262, 2, 0, 3, 274),
        new Expected("noop", 9, 7, 28, 1, 1, 2, 2, 1, 28, 2, 0, 9, 35),
        new Expected("pulldown-cmark", 25, 13, 419, 1, 1, 2, 3, 1, 419, 2, 0, 3, 432),
        new Expected("quicksort", 14, 11, 24, 1, 1, 1, 2, 1, 24, 23, 1, 8, 0),
        new Expected("regex", 27, 13, 907, 1, 1, 2, 3, 1, 907, 2, 0, 3, 920),
        new Expected("richards", 13, 11, 24, 1, 1, 1, 2, 1, 24, 20, 1, 8, 0),
        new Expected("rust-json", 29, 13, 442, 1, 1, 2, 3, 1, 442, 2, 0, 3, 455));
  }

  /** The sightglass corpus, under the {@code kiln.corpora} folder the root pom gives every test. */
  static Path sightglass() {
    return Path.of(System.getProperty("kiln.corpora", "../../shared/corpora")).resolve("sightglass");
  }

  @ParameterizedTest
  @MethodSource("benchmarks")
  void countsMatchWasmObjdump(Expected e) throws IOException {
    Path file = sightglass().resolve(e.benchmark()).resolve("benchmark.wasm");
    assumeTrue(Files.isRegularFile(file), "sightglass corpus not found at " + file);
    Module m = Decoder.decode(Files.readAllBytes(file));
    assertAll(
        () -> assertEquals(e.types(), m.types().size(), "types"),
        () -> assertEquals(e.imports(), m.imports().size(), "imports"),
        () -> assertEquals(e.functions(), m.functions().size(), "functions"),
        () -> assertEquals(e.tables(), m.tables().size(), "tables"),
        () -> assertEquals(e.memories(), m.memories().size(), "memories"),
        () -> assertEquals(e.globals(), m.globals().size(), "globals"),
        () -> assertEquals(e.exports(), m.exports().size(), "exports"),
        () -> assertEquals(e.elements(), m.elements().size(), "elements"),
        () -> assertEquals(e.code(), m.code().size(), "code"),
        () -> assertEquals(e.data(), m.data().size(), "data"),
        () -> assertEquals(e.dataCountSections() == 1 ? OptionalInt.of(e.data()) : OptionalInt.empty(), m.dataCount()),
        () -> assertEquals(e.customSections(), m.customSections().size(), "custom sections"),
        () -> assertEquals(e.functionNames(), m.names().functionNames().size(), "function names"));
    List<String> customNames = m.customSections().stream().map(CustomSection::name).toList();
    assertEquals(e.functionNames() > 0, customNames.contains("name"));
  }

  /** Every real program of the corpus (built by rustc, clang and TinyGo) decodes and validates. */
  @Test
  void everyCorpusModuleDecodesAndValidates() throws IOException {
    Path dir = sightglass();
    assumeTrue(Files.isDirectory(dir), "sightglass corpus not found at " + dir);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
    }
    assumeTrue(!files.isEmpty());
    for (Path f : files) {
      Module m = Decoder.decode(Files.readAllBytes(f));
      assertEquals(m.functions().size(), m.code().size(), f.toString());
      assertDoesNotThrow(() -> Validator.validate(m), f.toString());
    }
  }
}
