package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.ExportType;
import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.ValType;
import dev.kiln.runtime.WasmModule;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The program the large compile's JVM training compiles: valid for every seed tried, the same bytes
 * for the same seed (so every build trains alike), one exported function per count, with the
 * signatures it draws from.
 */
class TrainingProgramTest {
  @Test
  void everySeedGivesAValidModuleOfThatManyExportedFunctions() {
    Set<FuncType> signatures = new HashSet<>();
    Engine engine = Engine.create();
    for (long seed = 1; seed <= 6; seed++) {
      List<ExportType> exports = WasmModule.compile(engine, TrainingProgram.wasm(120, seed)).exports();
      assertEquals(120, exports.size(), "seed " + seed);
      for (ExportType export : exports) {
        signatures.add((FuncType) export.type());
      }
    }
    // Six parameter lists, each with an i32, i64 or f64 result or none: all 24 drawn over 720 functions.
    assertEquals(24, signatures.size(), signatures::toString);
    assertTrue(signatures.stream().allMatch(s -> s.results().size() <= 1 && s.params().contains(ValType.I32)));
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() {
    byte[] first = TrainingProgram.wasm(AotTraining.TRAINING_FUNCTIONS, AotTraining.TRAINING_SEED);
    assertArrayEquals(first, TrainingProgram.wasm(AotTraining.TRAINING_FUNCTIONS, AotTraining.TRAINING_SEED));
    assertFalse(Arrays.equals(first, TrainingProgram.wasm(AotTraining.TRAINING_FUNCTIONS, AotTraining.TRAINING_SEED + 1)));
    // The size the training's cost and gain were measured at (docs/PERFORMANCE.md): about 5 MB.
    assertTrue(first.length > 4_000_000 && first.length < 6_500_000, () -> first.length + " bytes");
  }

  @Test
  void aProgramNeedsAFunction() {
    assertThrows(IllegalArgumentException.class, () -> TrainingProgram.wasm(0, 1));
  }
}
