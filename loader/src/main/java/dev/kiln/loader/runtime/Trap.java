package dev.kiln.loader.runtime;

import dev.kiln.artifact.tables.TrapCode;
import java.util.Objects;

/**
 * A wasm trap (WebAssembly core spec section 4.4.1, "trap"): compiled code stopped because it hit a
 * condition the spec defines as trapping, and unwound to the host. The message is the spec test
 * suite's text for the reason ({@link TrapCode#message()}), so {@code assert_trap} compares it
 * directly.
 *
 * <p>The wasm backtrace is {@link #pc()} followed by {@link #callers()}, native addresses the trap
 * stub recorded before unwinding; mapping them to functions and wasm offsets is the loader's pc lookup.
 * No Java stack trace is captured: filling one in cost about 5 us per trap in {@code
 * X64CallCostReport}, hundreds of times the native trap path, and the Java frames above the entry are
 * the caller's own.
 */
public final class Trap extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final TrapCode code;
  private final long pc;
  private final long[] callers;

  /**
   * @param code why it trapped
   * @param pc the return address of the call into the trap stub: just after the trap site, inside
   *     the trapping function
   * @param callers return addresses into each wasm caller, innermost first; at most {@code
   *     StoreLayout.BACKTRACE_CAPACITY}, so a full array may be a truncated chain
   */
  public Trap(TrapCode code, long pc, long[] callers) {
    super(Objects.requireNonNull(code, "code").message(), null, false, false);
    this.code = code;
    this.pc = pc;
    this.callers = callers.clone();
  }

  public TrapCode code() {
    return code;
  }

  public long pc() {
    return pc;
  }

  /** Return addresses into the wasm callers of the trapping function, innermost first. */
  public long[] callers() {
    return callers.clone();
  }
}
