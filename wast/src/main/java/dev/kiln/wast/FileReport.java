package dev.kiln.wast;

import java.util.List;

/**
 * The results of one script, in command order.
 *
 * @param file the script as reported
 * @param results one per command (or one for a script that does not read)
 */
public record FileReport(String file, List<CaseResult> results) {
  public FileReport {
    results = List.copyOf(results);
  }

  public Tally tally() {
    return results.stream().map(r -> Tally.of(r.outcome())).reduce(Tally.ZERO, Tally::plus);
  }

  /** The failed cases, in order. */
  public List<CaseResult> failures() {
    return results.stream().filter(r -> r.outcome() instanceof Outcome.Failed).toList();
  }
}
