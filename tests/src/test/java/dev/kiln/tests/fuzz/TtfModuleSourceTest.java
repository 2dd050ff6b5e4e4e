package dev.kiln.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module source of the differential fuzzers: a seed on which the reference engine failed is
 * reported as that seed's {@link Wasm3Modules.ReferenceFailure} and the source goes on with the
 * next seed, so one defect of binaryen's interpreter (seed 2611320 of binaryen 132, red team 14)
 * does not end a long fuzzing run.
 */
class TtfModuleSourceTest {
  @Test
  void aSeedTheReferenceFailedOnIsReportedAndTheNextFollows(@TempDir Path work) throws Exception {
    TtfModuleSource.Generator generator = (dir, input, seed) -> {
      if (seed == 12) {
        throw new Wasm3Modules.ReferenceFailure(seed, "interpreter aborted");
      }
      return Files.writeString(dir.resolve("seed-" + seed + ".wasm"), "module " + seed);
    };
    try (TtfModuleSource source = new TtfModuleSource(work, 10, generator)) {
      assertEquals(10, source.next().seed());
      assertEquals(11, source.next().seed());
      Wasm3Modules.ReferenceFailure failure = assertThrows(Wasm3Modules.ReferenceFailure.class, source::next);
      assertEquals(12, failure.seed);
      TtfModuleSource.Generated next = source.next();
      assertEquals(13, next.seed());
      assertEquals("module 13", Files.readString(next.file()));
    }
  }
}
