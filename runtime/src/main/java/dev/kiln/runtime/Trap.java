package dev.kiln.runtime;

import java.util.List;

/**
 * A wasm trap (WebAssembly 2.0 section 4.4.1): the code hit a condition the spec defines as
 * trapping (an out-of-bounds access, a division by zero, {@code unreachable}, a stack overflow...),
 * ran out of fuel or past its epoch deadline, or called a host function that threw (that exception
 * is the {@link #getCause() cause}). The message is the spec test suite's text for the reason, e.g.
 * {@code integer divide by zero}. The store stays usable: the next call runs normally.
 */
public final class Trap extends KilnException {
  private static final long serialVersionUID = 1L;

  /** The {@link #reason()} of code stopped at its epoch deadline ({@link Store#setEpochDeadline}). */
  public static final String INTERRUPT = "interrupt";
  /** The {@link #reason()} of code whose store's fuel is spent ({@link Store#setFuel}). */
  public static final String OUT_OF_FUEL = "out of fuel";

  /** What {@link #reason()} returns. */
  private final String reason;
  private final transient List<Frame> backtrace;

  /** The loader's trap this one stands for: a host function that lets it through rethrows that. */
  private final transient dev.kiln.loader.runtime.TrapException origin;

  Trap(String reason, String message, List<Frame> backtrace, Throwable cause,
      dev.kiln.loader.runtime.TrapException origin) {
    super(message, cause);
    this.reason = reason;
    this.backtrace = List.copyOf(backtrace);
    this.origin = origin;
  }

  /**
   * What a host function that let this trap through has failed with: the loader's trap, so the
   * outer entry reports the innermost reason and cause once with the nesting depth, instead of one
   * "host function failed: ..." per level (issue 35); this trap itself when it came from elsewhere.
   */
  Exception asHostFailure() {
    return origin != null ? origin : this;
  }

  /**
   * Why the code trapped, in the spec test suite's words ({@code out of bounds memory access},
   * {@code interrupt}, {@code out of fuel}, {@code host function failed}...), without the cause.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }

  /**
   * The wasm functions that were running, innermost (the trapping one) first, each with its name
   * and wasm byte offset where known. Resolved when the trap is made, so it stays readable after
   * the instance and module are closed.
   *
   * @return the frames, innermost first
   */
  public List<Frame> backtrace() {
    return backtrace == null ? List.of() : backtrace;
  }
}
