package dev.kiln.deadline;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The moment a module's compile (decoding to writing the artifact) and its loading must be done
 * by, checked cooperatively: {@link #call} binds it to the current thread (a {@link ScopedValue},
 * so a worker thread sees the deadline of the compile it works for and no other), and each stage
 * calls {@link #poll(Phase)} between units of work (a wasm control instruction, an IR pass, a
 * block, a vreg), or {@link #pollCounted} in a loop over cheap items (section entries, records),
 * or runs such a loop as {@link #forEach}.
 * Past the deadline, a poll throws {@link CompileTimeoutException} naming the stage, which the
 * compile driver lets through unwrapped. No thread is stopped from outside: the work ends at its
 * next poll, with nothing half-published.
 *
 * <p>With no {@link #call} running on any thread (a compile without a budget), poll reads one
 * count; otherwise it asks the scoped value.
 */
public final class CompileDeadline {
  private static final ScopedValue<CompileDeadline> CURRENT = ScopedValue.newInstance();
  /**
   * How many {@link #call}s are running, on any thread: while none is, no thread has a deadline
   * bound and a poll need not ask. {@code ScopedValue.isBound} caches only a bound value, so on a
   * thread with none each ask walked the thread's bindings (findBinding): 0.5% of a yosys compile's
   * samples, without a budget. A thread's own call is counted before its work starts, so a poll
   * under it always asks; another thread's call only makes a poll ask in vain.
   */
  private static final AtomicInteger CALLS_RUNNING = new AtomicInteger();

  /**
   * How many cheap items (a section entry, a record) a loop handles between two reads of the
   * clock: small enough that the slowest such item (a global with its initialiser, a segment)
   * times this is well under a millisecond, large enough that the clock costs nothing measurable.
   */
  public static final int POLL_INTERVAL = 1024;

  /**
   * How many items {@link #forEach} hands to one call of its inner loop, a divisor of {@link
   * #POLL_INTERVAL}: few enough that the inner loop is compiled after its first few thousand items
   * (HotSpot compiles a method for its next call once it has had about 100 calls and, with its loop
   * iterations, 2,000 events; for C2, 600 and 15,000), enough that the outer loop, which runs
   * interpreted, takes a step per 64 items.
   */
  static final int CHUNK = 64;

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
    CALLS_RUNNING.incrementAndGet();
    try {
      return ScopedValue.where(CURRENT, this).call(work::get);
    } finally {
      CALLS_RUNNING.decrementAndGet();
    }
  }

  /** How many {@link #call}s are running on any thread (what a poll reads first). */
  static int callsRunning() {
    return CALLS_RUNNING.get();
  }

  /** Throws, naming {@code phase}, if this deadline has passed. */
  public void check(Phase phase) {
    if (System.nanoTime() - endNanos >= 0) {
      throw new CompileTimeoutException(budget, phase);
    }
  }

  /** The deadline bound to this thread by {@link #call}, if any. */
  public static Optional<CompileDeadline> current() {
    return CALLS_RUNNING.get() != 0 && CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
  }

  /**
   * Throws, naming {@code phase}, if the deadline bound to this thread by {@link #call} has passed;
   * nothing when none is.
   */
  public static void poll(Phase phase) {
    if (CALLS_RUNNING.get() != 0 && CURRENT.isBound()) {
      CURRENT.get().check(phase);
    }
  }

  /** {@link #poll(Phase)} for the function compiler's own phases ({@link Phase#FUNCTIONS}). */
  public static void poll() {
    poll(Phase.FUNCTIONS);
  }

  /**
   * Runs {@code item} for {@code 0 .. count - 1} in order, polling as {@link #pollCounted} does (at
   * item 0 and every {@link #POLL_INTERVAL} items): the form for a loop over a module's items (its
   * functions, their table entries) that runs once per compile.
   *
   * <p>Why not a plain loop: a large module's compile runs without on-stack replacement (the kiln
   * launcher's flags for a .wasm of 24 MB or more: OSR-compiling the register allocator's large
   * methods cost C2 far more than it saved), so a loop in a method called once runs in the
   * interpreter from its first item to its last, however many there are (the serial end of yosys's
   * compile spent about 40% of its samples interpreting such loops). Here each item is a call of
   * {@code item}, compiled after its first few hundred, and the loop that makes the calls is one
   * method shared by every such loop ({@link #CHUNK} items a call), compiled early.
   */
  public static void forEach(Phase phase, int count, IntConsumer item) {
    int from = 0;
    while (from < count) {
      if ((from & (POLL_INTERVAL - 1)) == 0) {
        poll(phase);
      }
      int to = chunkEnd(from, count);
      forEachIn(from, to, item);
      from = to;
    }
  }

  /** Where the chunk from {@code from} ends: {@link #CHUNK} on, or at {@code count} (no overflow near 2^31). */
  static int chunkEnd(int from, int count) {
    return count - from > CHUNK ? from + CHUNK : count;
  }

  private static void forEachIn(int from, int to, IntConsumer item) {
    for (int i = from; i < to; i++) {
      item.accept(i);
    }
  }

  /**
   * {@link #poll(Phase)} once every {@link #POLL_INTERVAL} items of a loop, {@code item} being the
   * loop's count (the first item polls, so a budget spent before the loop ends it at once).
   */
  public static void pollCounted(Phase phase, long item) {
    if ((item & (POLL_INTERVAL - 1)) == 0) {
      poll(phase);
    }
  }
}
