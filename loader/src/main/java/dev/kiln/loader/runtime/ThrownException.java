package dev.kiln.loader.runtime;

import java.util.List;
import java.util.Objects;

/**
 * A wasm exception (WebAssembly 3.0 section 4.2, an exception instance) that no wasm frame caught
 * up to the call from the host: its tag and payload, read from the exception object when the call
 * ended, and the store it was thrown in (whose handles a reference in the payload is named by).
 *
 * @param tag the exception's tag
 * @param payload its values, one per parameter of the tag's type
 * @param store the store whose code threw it
 * @param origin what a host function threw when the exception came from one ({@code
 *     NativeStore#hostFailed}), else null
 * @param view the payload as the embedding layer gives it out, made by the store's {@linkplain
 *     NativeStore#thrownViews view maker} under the claim that read the payload (a reference in
 *     {@code payload} is a word, current only while that claim lasts), or null
 */
public record ThrownException(ExceptionTag tag, List<WasmValue> payload, NativeStore store, Object origin,
    Object view) {
  public ThrownException {
    Objects.requireNonNull(tag, "tag");
    payload = List.copyOf(payload);
    Objects.requireNonNull(store, "store");
  }

  /** An exception with no view yet (one a host function throws, one just read from its object). */
  public ThrownException(ExceptionTag tag, List<WasmValue> payload, NativeStore store, Object origin) {
    this(tag, payload, store, origin, null);
  }

  /** An exception wasm code threw. */
  public ThrownException(ExceptionTag tag, List<WasmValue> payload, NativeStore store) {
    this(tag, payload, store, null);
  }

  /** This exception with {@code view} as its view. */
  ThrownException withView(Object view) {
    return new ThrownException(tag, payload, store, origin, view);
  }
}
