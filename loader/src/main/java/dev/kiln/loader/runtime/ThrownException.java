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
 */
public record ThrownException(ExceptionTag tag, List<WasmValue> payload, NativeStore store) {
  public ThrownException {
    Objects.requireNonNull(tag, "tag");
    payload = List.copyOf(payload);
    Objects.requireNonNull(store, "store");
  }
}
