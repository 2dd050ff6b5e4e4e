package dev.kiln.wasm;

/**
 * The module uses a part of WebAssembly 3.0 that Kiln does not implement yet ({@link
 * MissingFeature}): not a verdict on the module, which may be perfectly valid, but a refusal.
 * The decoder raises it where it recognises the feature's encoding, so bytes that are malformed in
 * a way it can still see before that point stay {@link MalformedException}s.
 */
public final class UnsupportedException extends WasmException {
  private static final long serialVersionUID = 1L;

  private final MissingFeature feature;

  /**
   * @param feature what Kiln lacks
   * @param construct what in the module needs it ({@code call_ref}, {@code a tag section})
   * @param offset where that is in the module
   */
  public UnsupportedException(MissingFeature feature, String construct, long offset) {
    super("unsupported: " + feature.displayName() + " (" + construct + ")", offset, -1);
    this.feature = feature;
  }

  /** The feature the module needs. */
  public MissingFeature feature() {
    return feature;
  }
}
