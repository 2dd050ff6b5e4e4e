package dev.kiln.tests.lifetimes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.tests.support.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The close-order and overwrite-while-running crashes of issue 12, run by {@link CrashScenarios} in
 * a child JVM: before the fix the child died of SIGSEGV (closing an exporter, then calling the
 * importer) or SIGBUS (running an artifact that {@code kiln compile} rewrote in place). Each test
 * checks one scenario's line; a crash shows as the child's exit status with its output.
 */
class CrashScenariosTest {
  @TempDir
  static Path dir;

  private static ForkedJvm.Outcome child;

  @BeforeAll
  static void runScenarios() {
    child = ForkedJvm.run(CrashScenarios.class, dir.toString());
  }

  private static void observed(String line) {
    List<String> lines = child.out().lines().toList();
    assertTrue(lines.contains(line), "expected the line \"" + line + "\"\n" + child.describe());
  }

  @Test
  void theChildJvmSurvivedEveryScenario() {
    assertEquals(0, child.exit(), child.describe());
  }

  @Test
  void anImporterKeepsAClosedExportersMemoryUntilItIsFreed() {
    observed("memory of a closed exporter: read 42, alive while imported true, freed with the importer true");
  }

  @Test
  void aClosedHostFunctionStaysCallableFromItsImportersButNotFromJava() {
    observed("host function closed while imported: from wasm 7, from Java refused");
  }

  @Test
  void anImporterKeepsAClosedExportersGlobal() {
    observed("global of a closed exporter: bumped 6 then 7");
  }

  @Test
  void aTableSlotKeepsTheClosedInstanceItPointsInto() {
    observed("table slot into a closed instance: call_indirect 99, writer kept true");
  }

  @Test
  void aModuleClosedBeforeItsInstanceStaysMapped() {
    observed("module closed before its instance: call 6");
  }

  @Test
  void anInstanceClosedByAHostFunctionItCalledIsFreedAfterTheCall() {
    observed("instance closed inside its own call: returned 42, freed after the call true");
  }

  @Test
  void aClosedStoreRefusesCallsAndMemoryViewsOfItsInstances() {
    observed("store closed under its instance: call refused, memory view refused");
  }

  @Test
  void kilnCompileReplacesAnArtifactWithoutDisturbingItsRunningMapping() {
    observed("artifact rewritten while mapped: old 42 then 42 and by name 42 (fillers sum 135450), file shrank true,"
        + " new 7");
  }
}
