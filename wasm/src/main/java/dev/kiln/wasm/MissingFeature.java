package dev.kiln.wasm;

/**
 * The parts of WebAssembly 3.0 (finished September 2025) that Kiln does not implement yet. A module
 * that uses one is neither malformed nor invalid: it is refused with {@link UnsupportedException}
 * naming the feature, so a user (and the spec-test runner, which counts such a command as skipped
 * under the feature's name) can tell a gap in Kiln from a fault in the module.
 *
 * <p>Each constant lists the encodings that belong to it (WebAssembly 3.0 spec, 5.3 types, 5.4
 * instructions, 5.5 modules).
 */
public enum MissingFeature {
  /**
   * Exception handling. Implemented in full (tags, throw, throw_ref, try_table, exnref at every
   * boundary, and the legacy try, catch, catch_all, rethrow and delegate): no module is refused
   * under it any longer, and nothing else is missing, so no validator throws {@link
   * UnsupportedException} now; the constant is what the reports of refusals are tested with.
   */
  EXCEPTIONS("exceptions");

  private final String displayName;

  MissingFeature(String displayName) {
    this.displayName = displayName;
  }

  /** The feature's name in reports: {@code exceptions}. */
  public String displayName() {
    return displayName;
  }

  @Override
  public String toString() {
    return displayName;
  }
}
