package dev.kiln.tests.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.tests.support.ForkedJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A compile holds the module's code once, beside the side tables' entries, and no more (issue 40,
 * "bounded memory"): {@link BulkCompile}'s module (48 MB of code, a million address-map entries,
 * 100,000 trap sites) compiles in a JVM whose heap is {@link #HEAP}. The compiled functions are
 * dropped before the file's array is made, the text is made once at its size, and the linked
 * tables are streamed from the compiled functions into the writer. With the text copied as the
 * linker built it (its growing buffer, a trimmed copy, the linked text's own copy, a copy for the
 * report), the address map rebased into a table of its own, or the compiled functions alive while
 * the file is laid out, the same compile needs 240-280 MB (measured) and the child runs out of heap.
 *
 * <p>Not a timing test: the bound is the heap the JVM is given, the same on any machine (the
 * serial collector, one compile thread).
 */
class CompileMemoryTest {
  /**
   * The largest heap the compile is allowed: measured, it needs 150-165 MB (the text twice
   * while the file is made, the tables' entries, the 10 MB the JVM's own classes take).
   */
  static final String HEAP = "-Xmx190m";

  @Test
  void aModuleOf48MbOfCodeCompilesInAHeapOfLessThanFourTimesItsCode() {
    ForkedJvm.Outcome outcome = ForkedJvm.run(List.of(HEAP, "-XX:+UseSerialGC"), BulkCompile.class);
    assertEquals(0, outcome.exit(), outcome.describe());
    assertTrue(outcome.out().startsWith("artifact "), outcome.describe());
  }
}
