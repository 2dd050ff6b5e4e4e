package dev.kiln.ir.deadline;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The moment a compile must be done by, checked cooperatively: {@link #call} binds it to the
 * current thread (a {@link ScopedValue}, so a worker thread sees the deadline of the compile it works
 * for and no other), and the compiler's phases call {@link #poll()} between units of work (a wasm
 * control instruction, an IR pass, a block, a vreg). Past the deadline, poll throws {@link
 * CompileTimeoutException}, which the compile driver lets through unwrapped. No thread is stopped
 * from outside: a compile ends at its next poll, with nothing half-published.
 *
 * <p>Unbound (no budget), poll is one {@code isBound} check.
 */
public final class CompileDeadline {
  private static final ScopedValue<CompileDeadline> CURRENT = ScopedValue.newInstance();

  private final Duration budget;
  private final long endNanos;

  private CompileDeadline(Duration budget, long startNanos) {
    this.budget = budget;
    // Saturating: a budget of years must not wrap into the past.
    long nanos = budget.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE / 2 : budget.toNanos();
    this.endNanos = startNanos + nanos;
  }

  /**
   * A deadline {@code budget} from now.
   *
   * @throws IllegalArgumentException if {@code budget} is negative
   */
  public static CompileDeadline after(Duration budget) {
    Objects.requireNonNull(budget, "budget");
    if (budget.isNegative()) {
      throw new IllegalArgumentException("a compile budget must not be negative, got " + budget);
    }
    return new CompileDeadline(budget, System.nanoTime());
  }

  /** The budget this deadline was made from. */
  public Duration budget() {
    return budget;
  }

  /** Runs {@code work} on this thread with this deadline as the one {@link #poll()} checks. */
  public <T> T call(Supplier<T> work) {
    return ScopedValue.where(CURRENT, this).call(work::get);
  }

  /** Throws if this deadline has passed. */
  public void check() {
    if (System.nanoTime() - endNanos >= 0) {
      throw new CompileTimeoutException(budget);
    }
  }

  /** Throws if the deadline bound to this thread by {@link #call} has passed; nothing when none is. */
  public static void poll() {
    if (CURRENT.isBound()) {
      CURRENT.get().check();
    }
  }
}
