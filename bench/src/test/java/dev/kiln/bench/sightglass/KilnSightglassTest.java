package dev.kiln.bench.sightglass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.vm.ExecutionLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real WASI programs end to end on Kiln, as the runner runs them: compiled in memory, inputs in a
 * scratch folder preopened as ".", bench.start/bench.end provided, output checked against the
 * corpus's expected files. Three small ones: noop (fd_write, proc_exit), ackermann (reads its
 * arguments from input files through path_open/fd_read), quicksort (reads default.input); the last
 * two also with epoch and fuel checks compiled in, and run three times in one JVM.
 */
class KilnSightglassTest {
  private static final Path CORPUS =
      Path.of(System.getProperty("kiln.corpora", "../../shared/corpora"), "sightglass");

  @TempDir Path scratchBase;

  @ParameterizedTest
  @ValueSource(strings = {"noop/benchmark.wasm", "shootout/shootout-ackermann.wasm",
      "quicksort/benchmark.wasm"})
  void runsWithMatchingOutput(String id) throws Exception {
    runAndCheck(id, ExecutionLimits.NONE);
  }

  /** The same programs with epoch and fuel checks compiled in (never tripped): the output is the same. */
  @ParameterizedTest
  @ValueSource(strings = {"shootout/shootout-ackermann.wasm", "quicksort/benchmark.wasm"})
  void runsWithMatchingOutputWithEpochAndFuelChecks(String id) throws Exception {
    runAndCheck(id, new ExecutionLimits(true, true), 1);
  }

  /**
   * The runner's kiln-warm engine: the program run again in the same JVM, each time in a new store
   * and instance, with the same scratch folder; the last run's output is still the expected one.
   */
  @ParameterizedTest
  @ValueSource(strings = {"shootout/shootout-ackermann.wasm", "quicksort/benchmark.wasm"})
  void runsRepeatedlyInOneJvm(String id) throws Exception {
    runAndCheck(id, ExecutionLimits.NONE, 1 + KilnProgramRun.WARM_UP_RUNS);
  }

  private void runAndCheck(String id, ExecutionLimits limits) throws Exception {
    runAndCheck(id, limits, 1);
  }

  private void runAndCheck(String id, ExecutionLimits limits, int runs) throws Exception {
    assumeTrue(Files.isDirectory(CORPUS), "sightglass corpus not found at " + CORPUS);
    Path module = CORPUS.resolve(id);
    Program program = new Program(CORPUS, module.getParent(), module.getFileName().toString());
    Path scratch = program.prepareScratch(scratchBase);
    ResultLine result = ResultLine.parse(KilnProgramRun.run(module, scratch, dev.kiln.artifact.Target.X86_64, limits, runs));
    assertEquals(Optional.empty(), result.get("reason"));
    assertEquals(Optional.of("0"), result.get("exit"));
    assertEquals("match", OutputCheck.verdict(program.expected("stdout"), scratch.resolve("stdout")));
    assertEquals("match", OutputCheck.verdict(program.expected("stderr"), scratch.resolve("stderr")));
  }
}
