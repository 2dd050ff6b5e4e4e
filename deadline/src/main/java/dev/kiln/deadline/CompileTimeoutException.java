package dev.kiln.deadline;

import java.time.Duration;

/**
 * Compiling or loading a module stopped because it ran past its {@link CompileDeadline}; {@link
 * #phase()} is the stage that was working then.
 */
public final class CompileTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Duration budget;
  private final Phase phase;

  CompileTimeoutException(Duration budget, Phase phase) {
    super(phase.description() + " took longer than the budget of " + describe(budget));
    this.budget = budget;
    this.phase = phase;
  }

  /** The budget the work ran past. */
  public Duration budget() {
    return budget;
  }

  /** The stage that was working when the budget ran out. */
  public Phase phase() {
    return phase;
  }

  private static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 && ms > 0 ? ms / 1000 + " s" : ms + " ms";
  }
}
