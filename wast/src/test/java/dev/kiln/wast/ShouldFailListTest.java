package dev.kiln.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wast.Outcome.Failed;
import dev.kiln.wast.Outcome.Passed;
import dev.kiln.wast.Outcome.Skipped;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShouldFailListTest {
  private static final ShouldFailList LIST = ShouldFailList.parse(List.of(
      "# known failures",
      "",
      "core/binary.wast:10   decoder accepts an overlong LEB   # trailing comment",
      "core/binary.wast:20\tcustom section bounds",
      "memory64/binary.wast:30  reference types are off for this file"), "test");

  private static CaseResult result(String file, int line, Outcome outcome) {
    return new CaseResult(file, line, "assert_malformed", outcome);
  }

  @Test
  void parsesEntriesAndSkipsComments() {
    assertEquals(List.of(
        new ShouldFailList.Entry("core/binary.wast", 10, "decoder accepts an overlong LEB"),
        new ShouldFailList.Entry("core/binary.wast", 20, "custom section bounds"),
        new ShouldFailList.Entry("memory64/binary.wast", 30, "reference types are off for this file")),
        LIST.entries());
  }

  @Test
  void rejectsEntriesWithoutLineOrReason() {
    var noReason = assertThrows(IllegalArgumentException.class,
        () -> ShouldFailList.parse(List.of("core/a.wast:3"), "list.txt"));
    assertTrue(noReason.getMessage().startsWith("list.txt:1:"), noReason.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ShouldFailList.parse(List.of("core/a.wast  reason"), "list.txt"));
    assertThrows(IllegalArgumentException.class,
        () -> ShouldFailList.parse(List.of("core/a.wast:x  reason"), "list.txt"));
  }

  @Test
  void filesMatchByPathTail() {
    assertEquals(2, LIST.entriesFor("../shared/corpora/spec-testsuite/core/binary.wast").size());
    assertEquals(2, LIST.entriesFor("core/binary.wast").size());
    assertEquals(1, LIST.entriesFor("proposals/memory64/binary.wast").size());
    assertEquals(0, LIST.entriesFor("proposals/multi-memory/binary.wast").size());
    assertEquals(0, LIST.entriesFor("xcore/binary.wast").size());
  }

  @Test
  void aListedFailureIsSkippedAndAListedPassIsAFailure() {
    FileReport report = new FileReport("spec/core/binary.wast", List.of(
        result("spec/core/binary.wast", 5, Passed.CLEAN),
        result("spec/core/binary.wast", 10, new Failed("malformed \"integer representation too long\"", "ok")),
        result("spec/core/binary.wast", 20, Passed.CLEAN)));
    FileReport applied = LIST.apply(report);
    assertSame(Passed.CLEAN, applied.results().get(0).outcome());
    Skipped known = assertInstanceOf(Skipped.class, applied.results().get(1).outcome());
    assertTrue(known.reason().contains("decoder accepts an overlong LEB"), known.reason());
    Failed stale = assertInstanceOf(Failed.class, applied.results().get(2).outcome());
    assertTrue(stale.got().contains("remove it from should-fail.txt"), stale.got());
    assertEquals(new Tally(1, 1, 1), applied.tally());
  }

  @Test
  void anEntryForALineWithoutACommandIsAFailure() {
    FileReport report = new FileReport("proposals/memory64/binary.wast",
        List.of(result("proposals/memory64/binary.wast", 31, Passed.CLEAN)));
    FileReport applied = LIST.apply(report);
    assertEquals(new Tally(1, 1, 0), applied.tally());
    CaseResult stale = applied.failures().getFirst();
    assertEquals("proposals/memory64/binary.wast:30", stale.location());
  }

  @Test
  void aFileWithoutEntriesIsUnchanged() {
    FileReport report = new FileReport("core/i32.wast",
        List.of(result("core/i32.wast", 1, new Failed("a valid module", "crash"))));
    assertSame(report, LIST.apply(report));
  }
}
