package dev.kiln.wast;

/** Passed, failed and skipped counts; printed as {@code N passed, N failed, N skipped}. */
public record Tally(int passed, int failed, int skipped) {
  public static final Tally ZERO = new Tally(0, 0, 0);

  public static Tally of(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Passed _ -> new Tally(1, 0, 0);
      case Outcome.Failed _ -> new Tally(0, 1, 0);
      case Outcome.Skipped _ -> new Tally(0, 0, 1);
    };
  }

  public Tally plus(Tally other) {
    return new Tally(passed + other.passed, failed + other.failed, skipped + other.skipped);
  }

  @Override
  public String toString() {
    return passed + " passed, " + failed + " failed, " + skipped + " skipped";
  }
}
