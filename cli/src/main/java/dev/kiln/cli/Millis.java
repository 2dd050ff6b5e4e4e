package dev.kiln.cli;

/**
 * Durations printed as milliseconds with a fixed number of decimals, without {@link
 * java.util.Formatter}: {@code kiln run} prints them after the guest ran ({@code --bench-timer},
 * {@code --timings}, {@code --time}), and a first {@code String.format("%.3f")} in a process loads the locale
 * providers, their resource bundles and the JDK image reader, about 10 ms
 * (docs/history/performance-journal.md, "Function names decoded when read"), which a measuring run
 * then pays as its own.
 */
final class Millis {
  private Millis() {}

  /** {@code nanos} in milliseconds, rounded half away from zero to {@code decimals} (0 to 6) places. */
  static String of(long nanos, int decimals) {
    if (decimals < 0 || decimals > 6 || nanos == Long.MIN_VALUE) {
      throw new IllegalArgumentException("cannot print " + nanos + " ns with " + decimals + " decimals");
    }
    if (nanos < 0) {
      return "-" + of(-nanos, decimals);
    }
    long unit = 1;
    for (int i = 0; i < 6 - decimals; i++) {
      unit *= 10;
    }
    long scaled = (nanos + unit / 2) / unit; // in 10^-decimals ms
    if (decimals == 0) {
      return Long.toString(scaled);
    }
    long denominator = unit == 1_000_000 ? 1 : 1_000_000 / unit;
    String fraction = Long.toString(scaled % denominator);
    // A StringBuilder, not string concatenation, whose invokedynamic call site the JVM links at its
    // first use in a process: 3 ms of a cold run that prints timings.
    StringBuilder text = new StringBuilder().append(scaled / denominator).append('.');
    for (int i = fraction.length(); i < decimals; i++) {
      text.append('0');
    }
    return text.append(fraction).toString();
  }
}
