package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.ir.Function;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.ir.verify.VerifierError;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Robustness on real programs: every function of every sightglass module either translates into
 * IR that passes the verifier with in-range source locations, or is refused with an {@link
 * UnsupportedFeatureException}; any other exception fails. Counts per refused operator are written
 * to {@code sightglass-translation-report.txt} in the build folder.
 */
class SightglassTranslationTest {
  static final Path CORPUS = Path.of(System.getProperty("kiln.corpora", "../../shared/corpora"), "sightglass");

  @Test
  void everyFunctionTranslatesAndVerifiesOrIsRefusedByName() throws Exception {
    assumeTrue(Files.isDirectory(CORPUS), "sightglass corpus not found at " + CORPUS);
    List<Path> files;
    try (Stream<Path> s = Files.walk(CORPUS)) {
      files = s.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    Map<String, Integer> refused = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    int total = 0;
    int translated = 0;
    for (Path file : files) {
      Module module = Wasm.load(Files.readAllBytes(file));
      ModuleEnvironment env = new ModuleEnvironment(module);
      int ok = 0;
      for (int d = 0; d < env.definedFunctionCount(); d++) {
        total++;
        Function f;
        try {
          f = FuncTranslator.translate(env, d);
        } catch (UnsupportedFeatureException e) {
          refused.merge(e.feature(), 1, Integer::sum);
          continue;
        }
        ok++;
        List<VerifierError> errors = Verifier.verify(f);
        if (!errors.isEmpty()) {
          failures.add(file.getFileName() + " function " + d + ": " + errors.getFirst());
        }
        String loc = SourceLocations.check(f, module.code().get(d));
        if (loc != null) {
          failures.add(file.getFileName() + " function " + d + ": " + loc);
        }
      }
      translated += ok;
      report.append(String.format("%-50s %6d of %6d functions translated%n",
          CORPUS.relativize(file), ok, env.definedFunctionCount()));
    }
    report.append(String.format("%-50s %6d of %6d functions translated%n", "total", translated,
        total));
    report.append("refused, by first unsupported operator: ").append(refused).append('\n');
    System.out.println(report);
    Files.writeString(BuildFolder.buildDir().resolve("sightglass-translation-report.txt"), report);
    assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
        failures.size() + " failures");
  }
}
