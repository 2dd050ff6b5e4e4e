package dev.kiln.bench.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kiln.artifact.Target;
import dev.kiln.bench.KilnExportRun;
import dev.kiln.wat.Wat;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The exception benchmark programs under bench/exceptions still assemble, compile for both targets
 * and return their check values (at the test's small counts), so bench/run exceptions cannot rot.
 */
class ExceptionProgramTest {
  /** Surefire runs in the bench module's folder. */
  private static final Path DIR = Path.of("exceptions");

  @Test
  void everyExportReturnsItsCheckValueOnBothTargets() throws IOException {
    for (ExceptionProgram program : ExceptionProgram.values()) {
      byte[] wasm = Wat.toBinary(program.text(DIR), program.source(DIR).toString());
      long expected = program.expected(program.testCount());
      for (Target target : new Target[] {Target.X86_64, Target.AARCH64}) {
        try (KilnExportRun kiln = new KilnExportRun(wasm, target)) {
          assertEquals(expected, kiln.run(program.export(), program.testCount()).result(),
              program.label() + " on " + target);
        }
      }
    }
  }

  /** The check values follow the programs' closed forms, worked by hand for small counts. */
  @Test
  void checkValuesAreTheProgramsClosedForms() {
    assertEquals(0 + 1 + 2 + 3, ExceptionProgram.THROW_CATCH.expected(4));
    assertEquals(0 + 1 + 2 + 3 + 4, ExceptionProgram.THROW_DEEP.expected(5));
    // step(0) is the increment; acc = 0 ^ step(0); then acc ^= step(acc + 1)
    long c = 1442695040888963407L;
    long a = 6364136223846793005L;
    assertEquals(c, ExceptionProgram.TRY_PLAIN.expected(1));
    assertEquals(c ^ ((c + 1) * a + c), ExceptionProgram.TRY_GUARDED.expected(2));
    // the sentinel that would throw is not reached at the benchmark's count
    assertNotEquals(-1L, ExceptionProgram.TRY_PLAIN.expected(ExceptionProgram.TRY_PLAIN.benchCount()));
  }
}
