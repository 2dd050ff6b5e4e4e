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

  /**
   * A wasm exception for a host function to throw into its wasm caller: thrown out of a {@link
   * HostFunc} (or any host function's lambda), it unwinds the wasm frames below the host function
   * as a {@code throw} of {@code tag} there would, and a {@code try_table} (or legacy {@code try})
   * whose clauses match catches it; with none, the call from Java ends with it. {@code tag} must be
   * a tag of the store whose code calls the host function ({@link Instance#tag}); one of another
   * store ends that call with the host-function trap, an {@link IllegalArgumentException} as cause.
   *
   * <pre>{@code
   * Tag notFound = instance.tag("not_found");
   * linker.func("env", "lookup", type, (caller, args) -> {
   *   throw new WasmThrow(notFound, List.of(args.get(0)));
   * });
   * }</pre>
   *
   * @param tag the exception's tag
   * @param payload one value per parameter of the tag's type, of that type
   * @throws IllegalArgumentException if the payload does not match the tag's type
   */
  public WasmThrow(Tag tag, List<Val> payload) {
    this(tag, checkedPayload(tag, payload), List.of(), null);
  }

  private static List<Val> checkedPayload(Tag tag, List<Val> payload) {
    List<ValType> types = Objects.requireNonNull(tag, "tag").type().payload();
    List<Val> values = List.copyOf(Objects.requireNonNull(payload, "payload"));
    if (values.size() != types.size()) {
      throw new IllegalArgumentException(values.size() + " values for " + tag + ", which takes " + types.size());
    }
    for (int i = 0; i < values.size(); i++) {
      if (!values.get(i).type().equals(types.get(i))) {
        throw new IllegalArgumentException("value " + i + " is " + values.get(i).type() + " but " + tag
            + " takes " + types.get(i) + " there");
      }
    }
    return values;
  }

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
