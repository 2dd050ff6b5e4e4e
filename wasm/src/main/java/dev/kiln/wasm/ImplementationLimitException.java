package dev.kiln.wasm;

/**
 * The module is beyond one of Kiln's implementation limits (spec Appendix A.1, "Implementation
 * Limitations": an implementation may reject a module whose number of types, functions, globals,
 * segments... exceeds its own bounds). Not a verdict on the module's validity but a refusal,
 * raised by the decoder at the count that declares too many, before anything is allocated for
 * them, so {@code kiln validate}, {@code compile} and {@code run} refuse the same modules with the
 * same offset.
 */
public final class ImplementationLimitException extends WasmException {
  private static final long serialVersionUID = 1L;

  /**
   * The most entries of one index space (types, functions, tables, memories, globals; imports and
   * definitions together) or of one list (imports, exports, element or data segments, custom
   * sections) a module may have: what the VMContext layout admits per kind ({@code
   * dev.kiln.artifact.vm.VmShape.MAX_COUNT}, which keeps every offset below 2^31; a test holds
   * the two equal).
   */
  public static final int MAX_ENTRIES = 1 << 20;

  /**
   * @param what the entries counted ("globals", "data segments")
   * @param count how many the module declares
   * @param offset where the count that exceeds the limit is
   */
  public ImplementationLimitException(String what, long count, long offset) {
    super(count + " " + what + ", more than Kiln's implementation limit of " + MAX_ENTRIES, offset, -1);
  }
}
