package dev.kiln.tests.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.wast.CaseResult;
import dev.kiln.wast.FileReport;
import dev.kiln.wast.Outcome;
import dev.kiln.wast.ReportPrinter;
import dev.kiln.wast.ShouldFailList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a spec script's run must give, for every target and configuration: no failure, and no skip
 * but its {@code spec/should-fail.txt} entries (a listed case that fails counts as skipped). Kiln
 * compiles every operator of the suite, so nothing else may be skipped; the count is exact both
 * ways, so a failure can never pass as a skip and the list cannot go stale.
 */
public final class SpecExpectations {
  private final ShouldFailList shouldFail;
  private SpecExpectations(ShouldFailList shouldFail) {
    this.shouldFail = shouldFail;
  }

  /** The lists in the test resources. */
  public static SpecExpectations load() {
    return new SpecExpectations(ShouldFailList.parse(lines("/spec/should-fail.txt"), "spec/should-fail.txt"));
  }

  public ShouldFailList shouldFail() {
    return shouldFail;
  }

  /** Fails unless {@code report} (with the should-fail list applied) has no failure and only the listed skips. */
  public void assertComplete(String run, FileReport report) {
    List<CaseResult> failures = report.failures();
    if (!failures.isEmpty()) {
      fail(run + " " + report.file() + ": " + report.tally() + "\n" + failures.stream()
          .map(r -> ReportPrinter.describeFailure(r, (Outcome.Failed) r.outcome()))
          .collect(Collectors.joining("\n")));
    }
    int listed = shouldFail.entriesFor(report.file()).size();
    int skipped = report.tally().skipped();
    assertTrue(skipped == listed, () -> run + " " + report.file() + ": " + skipped + " skipped, expected "
        + listed + " (its entries in spec/should-fail.txt); why:\n" + skipReasons(report));
  }

  private static String skipReasons(FileReport report) {
    Map<String, Integer> counts = new TreeMap<>();
    for (CaseResult r : report.results()) {
      if (r.outcome() instanceof Outcome.Skipped(String reason)) {
        counts.merge(reason, 1, Integer::sum);
      }
    }
    return counts.entrySet().stream().map(e -> "  " + e.getValue() + " x " + e.getKey())
        .collect(Collectors.joining("\n"));
  }

  private static List<String> lines(String resource) {
    try (InputStream in = SpecExpectations.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the test resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
