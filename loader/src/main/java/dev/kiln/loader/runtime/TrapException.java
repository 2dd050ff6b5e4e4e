package dev.kiln.loader.runtime;

import dev.kiln.artifact.tables.TrapCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A wasm trap (WebAssembly core spec section 4.4.1, "trap"): compiled code stopped because it hit a
 * condition the spec defines as trapping, and unwound to the host. The message is the spec test
 * suite's text for the reason ({@link TrapCode#message()}), so {@code assert_trap} compares it
 * directly. Embedders see it as the API's {@code dev.kiln.runtime.Trap}, which the runtime module
 * makes from this one.
 *
 * <p>The wasm backtrace is {@link #pc()} followed by {@link #callers()}, native addresses the trap
 * stub recorded before unwinding (it walks the frame-pointer chain up to the innermost entry), and
 * {@link #backtrace()}, the same addresses resolved by the store against the code of its modules:
 * function names from the name section and wasm byte offsets from the address map, innermost first.
 * No Java stack trace is captured: filling one in cost about 5 us per trap in {@code
 * X64CallCostReport}, hundreds of times the native trap path, and the Java frames above the entry are
 * the caller's own.
 *
 * <p>A host function that throws makes the wasm code that called it trap with {@link
 * TrapCode#HOST_FUNCTION_FAILED}; the exception is the trap's {@link #getCause() cause}.
 *
 * <pre>{@code
 * try {
 *   instance.function("run").call();
 * } catch (TrapException trap) {
 *   System.err.println(trap.code() + " at " + trap.backtrace());  // e.g. [fac (wasm[0]::function[1]) @ 0x3a, ...]
 * }
 * }</pre>
 */
public final class TrapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final TrapCode code;
  private final long pc;
  private final long[] callers;
  private final int hostCallLevels;
  private final transient List<CodeRegion> regions;
  private transient List<WasmFrame> backtrace;
  private final transient ThrownException thrown;

  /**
   * A trap whose frames are not resolved.
   *
   * @param code why it trapped
   * @param pc the return address of the call into the trap stub: just after the trap site, inside
   *     the trapping function
   * @param callers return addresses into each wasm caller, innermost first; at most {@code
   *     StoreLayout.BACKTRACE_CAPACITY}, so a full array may be a truncated chain
   */
  public TrapException(TrapCode code, long pc, long[] callers) {
    this(code, pc, callers, List.of(), null);
  }

  /**
   * @param regions the code {@link #backtrace()} resolves {@code pc} and {@code callers} against
   * @param cause the host function's failure behind a {@link TrapCode#HOST_FUNCTION_FAILED}, or null
   */
  public TrapException(TrapCode code, long pc, long[] callers, List<CodeRegion> regions, Throwable cause) {
    this(code, pc, callers, regions, cause, null, 0);
  }

  /**
   * @param thrown the exception behind a {@link TrapCode#UNCAUGHT_EXCEPTION}, or null
   */
  public TrapException(TrapCode code, long pc, long[] callers, List<CodeRegion> regions, Throwable cause,
      ThrownException thrown) {
    this(code, pc, callers, regions, cause, thrown, 0);
  }

  /**
   * @param hostCallLevels how many host functions this trap passed through on its way out, each of
   *     which let the trap of the wasm it had called escape: 0 for a trap of the outermost entry's own code
   */
  TrapException(TrapCode code, long pc, long[] callers, List<CodeRegion> regions, Throwable cause,
      ThrownException thrown, int hostCallLevels) {
    super(message(Objects.requireNonNull(code, "code"), cause, hostCallLevels), cause, false, false);
    this.code = code;
    this.pc = pc;
    this.callers = callers.clone();
    this.regions = List.copyOf(regions);
    this.thrown = thrown;
    this.hostCallLevels = hostCallLevels;
  }

  /**
   * The wasm exception no frame caught, when the trap is {@link TrapCode#UNCAUGHT_EXCEPTION} and
   * its tag is one of the store's (always, for code the store runs).
   */
  public Optional<ThrownException> thrown() {
    return Optional.ofNullable(thrown);
  }

  /**
   * One line whatever the nesting: the reason, the innermost cause once (a host function may wrap
   * what it caught, and each wrapper's text repeats its cause's), and the nesting as a number. A
   * message that grew with each level of wasm -> host -> wasm recursion was hundreds of repetitions
   * long at depth 400 (issue 35).
   */
  private static String message(TrapCode code, Throwable cause, int hostCallLevels) {
    String text = cause == null ? code.message() : code.message() + ": " + innermost(cause);
    return switch (hostCallLevels) {
      case 0 -> text;
      case 1 -> text + " (through 1 host call)";
      default -> text + " (through " + hostCallLevels + " host calls)";
    };
  }

  /** The last of {@code cause}'s chain (a cycle, which Throwable allows, ends the walk). */
  private static Throwable innermost(Throwable cause) {
    java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Throwable last = cause;
    while (last.getCause() != null && seen.add(last)) {
      last = last.getCause();
    }
    return last;
  }

  /** How many host functions the trap passed through on its way out (0: the outermost entry's own code trapped). */
  public int hostCallLevels() {
    return hostCallLevels;
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

  /**
   * The frames of {@link #pc()} and {@link #callers()} that lie in known code, innermost (the
   * trapping function) first; trampolines included. Resolved on first use.
   */
  public synchronized List<WasmFrame> backtrace() {
    if (backtrace == null) {
      List<WasmFrame> frames = new ArrayList<>();
      if (regions != null) {
        resolve(pc, frames);
        for (long caller : callers) {
          resolve(caller, frames);
        }
      }
      backtrace = List.copyOf(frames);
    }
    return backtrace;
  }

  private void resolve(long address, List<WasmFrame> into) {
    for (CodeRegion region : regions) {
      List<WasmFrame> frames = region.framesAt(address);
      if (!frames.isEmpty()) {
        into.addAll(frames);
        return;
      }
    }
  }

  /** The names of the wasm functions in the backtrace, innermost first ({@code ?} when unnamed). */
  public List<String> functionNames() {
    return backtrace().stream().filter(WasmFrame::isWasmFunction)
        .map(f -> f.name().orElse("?")).collect(Collectors.toList());
  }
}
