package dev.kiln.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kiln run --timeout DURATION}: a daemon thread that advances the engine's epoch ({@code
 * Engine.incrementEpoch}) once the duration has
 * passed, as Wasmtime's CLI does for its {@code timeout} option. The store's deadline is one tick
 * away, so code compiled with epoch interruption traps with {@code interrupt} at its next check (a
 * loop header, or the entry of a function that calls) after that; the thread is stopped when the
 * run ends.
 */
final class EpochTimer implements AutoCloseable {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  private final Thread thread;

  private EpochTimer(Thread thread) {
    this.thread = thread;
  }

  /** Starts the thread that runs {@code incrementEpoch} once {@code timeout} has passed. */
  static EpochTimer start(Runnable incrementEpoch, Duration timeout) {
    return new EpochTimer(Thread.ofPlatform().daemon().name("kiln-timeout").start(() -> {
      try {
        Thread.sleep(timeout);
        incrementEpoch.run();
      } catch (InterruptedException e) {
        // The run ended first: nothing to interrupt.
      }
    }));
  }

  /**
   * A {@code --timeout} value: a number with the unit {@code ms}, {@code s} (the default), {@code
   * m} or {@code h}, e.g. {@code 2s}, {@code 500ms}, {@code 1.5m}.
   *
   * @throws IllegalArgumentException if {@code text} is not such a duration, or is zero
   */
  static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("--timeout: \"" + text + "\" is not a duration (e.g. 2s, 500ms, 1m)");
    }
    double millisPerUnit = switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms" -> 1;
      case "m" -> 60_000;
      case "h" -> 3_600_000;
      default -> 1_000;
    };
    double millis = Double.parseDouble(m.group(1)) * millisPerUnit;
    if (millis < 1) {
      throw new IllegalArgumentException("--timeout must be at least 1ms, got " + text);
    }
    return Duration.ofMillis(Math.round(millis)); // saturates at Long.MAX_VALUE ms
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
