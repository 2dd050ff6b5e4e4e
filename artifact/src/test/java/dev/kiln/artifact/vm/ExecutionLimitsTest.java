package dev.kiln.artifact.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.IncompatibleArtifactException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionLimitsTest {
  @Test
  void settingsRoundTripForEveryCombination() {
    for (boolean epochs : new boolean[] {false, true}) {
      for (boolean fuel : new boolean[] {false, true}) {
        ExecutionLimits limits = new ExecutionLimits(epochs, fuel);
        assertEquals(Map.of("epoch_interruption", Boolean.toString(epochs), "consume_fuel", Boolean.toString(fuel)),
            limits.settings());
        assertEquals(limits, ExecutionLimits.fromSettings(limits.settings()));
      }
    }
  }

  @Test
  void anArtifactWithoutTheSettingsHasNeitherCheck() {
    assertEquals(ExecutionLimits.NONE, ExecutionLimits.fromSettings(Map.of("table_lazy_init", "true")));
  }

  @Test
  void aValueOtherThanTrueOrFalseIsRefused() {
    IncompatibleArtifactException e = assertThrows(IncompatibleArtifactException.class,
        () -> ExecutionLimits.fromSettings(Map.of("consume_fuel", "yes")));
    assertEquals("setting consume_fuel is \"yes\" in the artifact; this runtime knows \"true\" and \"false\"",
        e.getMessage());
  }

  @Test
  void theSameLimitsPass() {
    new ExecutionLimits(true, false).requireSameAs(new ExecutionLimits(true, false));
    ExecutionLimits.NONE.requireSameAs(ExecutionLimits.NONE);
  }

  @Test
  void eachDifferenceIsNamedWithWhatToDo() {
    String missingEpochs = assertThrows(IncompatibleArtifactException.class,
        () -> new ExecutionLimits(true, false).requireSameAs(ExecutionLimits.NONE)).getMessage();
    assertTrue(missingEpochs.startsWith("incompatible artifact: it was compiled without epoch interruption"), missingEpochs);
    assertTrue(missingEpochs.contains("kiln compile --epoch-interruption"), missingEpochs);

    String unwantedFuel = assertThrows(IncompatibleArtifactException.class,
        () -> ExecutionLimits.NONE.requireSameAs(new ExecutionLimits(false, true))).getMessage();
    assertTrue(unwantedFuel.contains("compiled with fuel metering, which this runtime does not ask for"), unwantedFuel);
    assertTrue(unwantedFuel.contains("kiln run --fuel N"), unwantedFuel);

    String both = assertThrows(IncompatibleArtifactException.class,
        () -> new ExecutionLimits(true, true).requireSameAs(ExecutionLimits.NONE)).getMessage();
    assertTrue(both.contains("epoch interruption") && both.contains("fuel metering") && both.contains("; "), both);
  }
}
