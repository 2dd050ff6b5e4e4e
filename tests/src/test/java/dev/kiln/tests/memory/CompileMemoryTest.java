package dev.kiln.tests.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.tests.support.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compile holds the module's code once, beside the side tables' entries, and no more (issue 40,
 * "bounded memory"): {@link BulkCompile}'s module (48 MB of code, a million address-map entries,
 * 100,000 trap sites) compiles in a JVM whose heap is {@link #HEAP}, and streamed to a file as
 * {@code kiln compile} writes it, in one of {@link #STREAMED_HEAP}. The linker makes no text of its
 * own: each function's code is copied, relocated, into the file as the writer lays it out, and
 * the linked tables are streamed from the compiled functions into the writer; streamed, the file
 * goes to disk a slice at a time. With the text copied as the linker built it (its growing buffer,
 * a trimmed copy, the linked text's own copy, a copy for the report), or the address map rebased
 * into a table of its own, the in-memory compile needs 240-280 MB (measured) and the child runs out
 * of heap; with the whole file made in memory before it is written, so does the streamed one.
 *
 * <p>Not a timing test: the bound is the heap the JVM is given, the same on any machine (the
 * serial collector, one compile thread).
 */
class CompileMemoryTest {
  /**
   * The largest heap the compile into an array is allowed: the code twice while the file is made
   * (the compiled functions' and the file's), the tables' entries, the 10 MB the JVM's own classes
   * take.
   */
  static final String HEAP = "-Xmx190m";

  /** The largest heap the streamed compile is allowed: the code once, the tables' entries, the JVM's classes. */
  static final String STREAMED_HEAP = "-Xmx120m";

  @TempDir
  Path dir;

  @Test
  void aModuleOf48MbOfCodeCompilesInAHeapOfLessThanFourTimesItsCode() {
    ForkedJvm.Outcome outcome = ForkedJvm.run(List.of(HEAP, "-XX:+UseSerialGC"), BulkCompile.class);
    assertEquals(0, outcome.exit(), outcome.describe());
    assertTrue(outcome.out().startsWith("artifact "), outcome.describe());
  }

  @Test
  void streamedToAFileTheSameModuleCompilesInAHeapOfLessThanThreeTimesItsCode() throws IOException {
    Path artifact = dir.resolve("bulk.cwasm");
    ForkedJvm.Outcome outcome = ForkedJvm.run(List.of(STREAMED_HEAP, "-XX:+UseSerialGC"), BulkCompile.class,
        artifact.toString());
    assertEquals(0, outcome.exit(), outcome.describe());
    assertEquals("artifact " + Files.size(artifact) + " bytes", outcome.out().strip(), outcome.describe());
  }
}
