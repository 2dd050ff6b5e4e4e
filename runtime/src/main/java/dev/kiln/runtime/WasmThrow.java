package dev.kiln.runtime;

import java.util.List;
import java.util.Objects;

/**
 * A wasm exception (WebAssembly 3.0 {@code throw}, {@code throw_ref}, or the legacy {@code
 * rethrow}) that no wasm frame caught up to the call from Java: the call ends with this instead of
 * returning. It carries the exception's {@link #tag()}, equal to the {@link Tag} of the instance
 * that threw it or of any instance that exports or imports that tag, and its {@link #payload()}.
 * It is not a {@link Trap}: the guest did nothing the spec forbids, it threw and nothing caught.
 * The store stays usable.
 *
 * <pre>{@code
 * Tag notFound = instance.tag("not_found");
 * try {
 *   lookup.call(Val.i32(key));
 * } catch (WasmThrow thrown) {
 *   if (thrown.tag().equals(notFound)) { ... thrown.payload().get(0) ... }
 * }
 * }</pre>
 */
public final class WasmThrow extends KilnException {
  private static final long serialVersionUID = 1L;

  private final transient Tag tag;
  private final transient List<Val> payload;
  private final transient List<Frame> backtrace;

  WasmThrow(Tag tag, List<Val> payload, List<Frame> backtrace, Throwable cause) {
    super("uncaught exception: " + Objects.requireNonNull(tag, "tag") + " " + payload, cause);
    this.tag = tag;
    this.payload = List.copyOf(payload);
    this.backtrace = List.copyOf(backtrace);
  }

  /**
   * The exception's tag.
   *
   * @return the tag
   */
  public Tag tag() {
    return tag;
  }

  /**
   * The exception's values, one per parameter of the tag's type, in order.
   *
   * @return the values
   */
  public List<Val> payload() {
    return payload;
  }

  /**
   * The wasm functions that were running when the exception was thrown, innermost (the throwing
   * one) first, as a {@link Trap#backtrace()}.
   *
   * @return the frames, innermost first
   */
  public List<Frame> backtrace() {
    return backtrace;
  }
}
