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
   * Garbage collection, the part the host boundary does not check yet: an import of a GC reference
   * type, or an export through which the host could hand in a concrete struct or array reference
   * (wasm.validate.GcBoundary), refused after validation. The GC types and every GC instruction
   * are implemented.
   */
  GC("GC"),
  /**
   * Exception handling: tags (section 13, import and export kind 0x04), the exn and noexn heap
   * types (0x69, 0x74), throw, throw_ref and try_table, and the legacy try, catch, catch_all,
   * rethrow and delegate (0x06..0x0A, 0x18, 0x19, 0x1F).
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
