package dev.kiln.wast;

import dev.kiln.wasm.MissingFeature;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

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

  /** The key of {@link #skipsByFeature()} for skips that name no missing feature. */
  public static final String NO_FEATURE = "(no missing feature named)";

  /**
   * How many commands were skipped, by the WebAssembly 3.0 feature Kiln lacks that each needs (its
   * {@link dev.kiln.wasm.MissingFeature#displayName()}), the others under {@link #NO_FEATURE}.
   */
  public SortedMap<String, Integer> skipsByFeature() {
    SortedMap<String, Integer> counts = new TreeMap<>();
    for (CaseResult r : results) {
      if (r.outcome() instanceof Outcome.Skipped s) {
        counts.merge(s.feature().map(MissingFeature::displayName).orElse(NO_FEATURE), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The failed cases, in order. */
  public List<CaseResult> failures() {
    return results.stream().filter(r -> r.outcome() instanceof Outcome.Failed).toList();
  }
}
