package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@code StackOverflowError} thrown at any Java frame of the embedding API (what an embedder near
 * its thread's stack end gets) fails that operation and leaves everything as it was or as the
 * operation leaves it: the store usable by its thread and by others, closable, its heap intact, a
 * close that was interrupted finished by the next, its pool slots and C-heap blocks given back when
 * it closes, and every path working afterwards (issue 35, red teams 21 and 22). {@link
 * StackEndSweep} attempts each entry point at every depth of a window near the stack's end, in a
 * JVM of its own (the counts are the process's, and nothing may be initialised before the sweep).
 */
class StackOverflowInCallTest {
  /** Every entry point the sweep attempts ({@link StackEndSweep.Operation}). */
  private static final String EVERY_OPERATION = "DIRECT_0 DIRECT_1 DIRECT_2 DIRECT_3 DIRECT_4 DIRECT_ARRAY"
      + " DIRECT_MADE_THERE TYPED TYPED_MADE_THERE FUNC_CALL GLOBAL HOST_CALLBACK HOST_CALLBACK_INSIDE TRAP"
      + " HOST_FAILURE GC_COLLECT GC_OBJECT INSTANTIATE INSTANCE_CLOSE STORE_CLOSE NEW_STORE";

  /**
   * The sweep in a child JVM, for stores of any thread and confined ones, on-demand and pooled, and
   * in the GC stress mode that collects each time a claim is let go (a collection at every
   * release, made near the stack's end too).
   */
  @ParameterizedTest(name = "{0} store, {1} instances {2}")
  @CsvSource(delimiter = '|', value = {
      "default | on-demand | | " + EVERY_OPERATION,
      "confined | on-demand | | " + EVERY_OPERATION,
      "default | pooled | | " + EVERY_OPERATION,
      "confined | pooled | | " + EVERY_OPERATION,
      "default | on-demand | -Dkiln.gc.collectOnClaimRelease=true | DIRECT_1 FUNC_CALL GLOBAL GC_OBJECT GC_COLLECT"
          + " HOST_CALLBACK INSTANCE_CLOSE",
  })
  void everyEntryPointAtEveryDepthNearTheStacksEndLeavesTheStoreUsable(String store, String allocation,
      String jvmOption, String operations) throws Exception {
    sweepInAChildJvm(store, allocation, jvmOption, operations);
  }

  /** Red team 23's operations (issue 35 F1), swept by {@link #eachOperationInAJvmOfItsOwn} by default. */
  private static final List<String> RED_TEAM_23 = List.of("MEMORY_READ", "MEMORY_WRITE", "MEMORY_GROW",
      "MEMORY_SIZE", "TABLE_GET", "TABLE_SET", "TABLE_GROW", "TABLE_SIZE", "GLOBAL_TYPE", "INSTANCE_EXPORTS",
      "LINKER_DEFINE", "LINKER_FUNC", "CALLER_ACCESS", "WASM_THROW", "COMPILE", "DESERIALIZE", "MODULE_TYPES",
      "WASI_INSTANTIATE", "WASI_CALL", "WASI_AT_WASM_DEPTH", "GC_STATISTICS");
  /** Interpreted as well in the default run: the two red team 23 broke, and WASI called at wasm's deepest. */
  private static final List<String> INTERPRETED = List.of("MEMORY_WRITE", "TABLE_GROW", "WASI_AT_WASM_DEPTH");
  /** Runs every operation, old and new, interpreted and compiled, each in a JVM of its own (many minutes). */
  static final String EVERY_JVM_PROPERTY = "kiln.stackEndSweep.everyOperationInItsOwnJvm";

  static Stream<Arguments> operationsInJvmsOfTheirOwn() {
    List<Arguments> runs = new ArrayList<>();
    if (Boolean.getBoolean(EVERY_JVM_PROPERTY)) {
      for (StackEndSweep.Operation operation : StackEndSweep.Operation.values()) {
        runs.add(Arguments.of(operation.name(), "-Xmixed"));
        runs.add(Arguments.of(operation.name(), "-Xint"));
      }
      return runs.stream();
    }
    for (String operation : RED_TEAM_23) {
      runs.add(Arguments.of(operation, "-Xmixed"));
    }
    for (String operation : INTERPRETED) {
      runs.add(Arguments.of(operation, "-Xint"));
    }
    return runs.stream();
  }

  /**
   * Each operation in a JVM of its own, compiled and interpreted ({@code -Xint}, whose frames are
   * larger): a call site is linked once per JVM, so only an operation whose path nothing ran before
   * shows a site first linked at the stack's end, and after every attempt the operation must work
   * again at the top (red team 23 F1: {@code Memory.write} and {@code Table.grow} failed with {@code
   * BootstrapMethodError} from then on). {@code -D}{@value #EVERY_JVM_PROPERTY}{@code =true} runs
   * every operation both ways; by default red team 23's run compiled and three interpreted.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("operationsInJvmsOfTheirOwn")
  void eachOperationInAJvmOfItsOwn(String operation, String jvmOption) throws Exception {
    sweepInAChildJvm("first-links", "on-demand", jvmOption, operation);
  }

  private static void sweepInAChildJvm(String store, String allocation, String jvmOption, String operations)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Xmx512m"));
    if (jvmOption != null) {
      command.add(jvmOption);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), StackEndSweep.class.getName(), store,
        allocation));
    command.addAll(List.of(operations.split(" ")));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(10, TimeUnit.MINUTES), "the sweep did not finish");
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.lines().anyMatch("done"::equals), output);
    List<String> failures = output.lines().filter(l -> l.startsWith("FAIL")).toList();
    assertEquals(List.of(), failures, output);
    for (String operation : operations.split(" ")) {
      assertTrue(output.lines().anyMatch(("ok " + operation)::equals), operation + " not ok:\n" + output);
    }
  }
}
