package dev.kiln.ir.deadline;

import java.time.Duration;

/** A compile stopped because it ran past its {@link CompileDeadline}. */
public final class CompileTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Duration budget;

  CompileTimeoutException(Duration budget) {
    super("compile took longer than its budget of " + describe(budget));
    this.budget = budget;
  }

  /** The budget the compile ran past. */
  public Duration budget() {
    return budget;
  }

  private static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 && ms > 0 ? ms / 1000 + " s" : ms + " ms";
  }
}
