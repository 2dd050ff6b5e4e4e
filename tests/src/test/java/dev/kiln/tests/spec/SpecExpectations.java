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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a spec script's run must give, for every target and configuration: no failure, and exactly
 * the expected skips. A script skips its {@code spec/should-fail.txt} entries; {@code spec/expected-skips.txt} adds, per script, the
 * commands that reach an operator Kiln does not compile yet. Counts are exact both ways, so a
 * failure can never pass as a skip and the list cannot go stale: a script that skips less than
 * listed fails as surely as one that skips more.
 */
public final class SpecExpectations {
  private final ShouldFailList shouldFail;
  private final Map<String, Integer> extraSkips;

  private SpecExpectations(ShouldFailList shouldFail, Map<String, Integer> extraSkips) {
    this.shouldFail = shouldFail;
    this.extraSkips = extraSkips;
  }

  /** The lists in the test resources. */
  public static SpecExpectations load() {
    return new SpecExpectations(ShouldFailList.parse(lines("/spec/should-fail.txt"), "spec/should-fail.txt"),
        extraSkips(lines("/spec/expected-skips.txt")));
  }

  public ShouldFailList shouldFail() {
    return shouldFail;
  }

  /** The scripts {@code expected-skips.txt} names. */
  java.util.Set<String> listedScripts() {
    return extraSkips.keySet();
  }

  /** Fails unless {@code report} (with the should-fail list applied) has no failure and the expected skips. */
  public void assertComplete(String run, FileReport report) {
    List<CaseResult> failures = report.failures();
    if (!failures.isEmpty()) {
      fail(run + " " + report.file() + ": " + report.tally() + "\n" + failures.stream()
          .map(r -> ReportPrinter.describeFailure(r, (Outcome.Failed) r.outcome()))
          .collect(Collectors.joining("\n")));
    }
    int listed = shouldFail.entriesFor(report.file()).size();
    int expected = listed + extraSkips.getOrDefault(report.file(), 0);
    int skipped = report.tally().skipped();
    assertTrue(skipped == expected, () -> run + " " + report.file() + ": " + skipped + " skipped, expected "
        + expected + " (" + listed + " in spec/should-fail.txt, the rest in spec/expected-skips.txt); why:\n"
        + skipReasons(report));
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

  /** {@code file count reason} lines; blank lines and {@code #} comments ignored. */
  private static Map<String, Integer> extraSkips(List<String> lines) {
    Map<String, Integer> counts = new HashMap<>();
    for (String line : lines) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] parts = l.split("\\s+", 3);
      if (parts.length < 3 || counts.put(parts[0], Integer.parseInt(parts[1])) != null) {
        throw new IllegalArgumentException("expected-skips.txt: want 'file count reason' once per file: " + line);
      }
    }
    return counts;
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
