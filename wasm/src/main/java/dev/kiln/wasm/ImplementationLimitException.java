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
   * The most parameters, and the most results, one function type may have: the artifact stores
   * each count as a u16 ({@code dev.kiln.artifact.info.FuncType.MAX_ARITY}; a test holds the two
   * equal). Refused by the decoder, so a type past it never reaches the function compiler, whose
   * work grows with a function's parameter count.
   */
  public static final int MAX_ARITY = 0xFFFF;

  /**
   * @param what the entries counted ("globals", "data segments")
   * @param count how many the module declares
   * @param offset where the count that exceeds the limit is
   */
  public ImplementationLimitException(String what, long count, long offset) {
    this(what, count, MAX_ENTRIES, offset);
  }

  /**
   * @param what the entries counted ("params of a function type")
   * @param count how many the module declares
   * @param limit Kiln's limit on them
   * @param offset where the count that exceeds the limit is
   */
  public ImplementationLimitException(String what, long count, long limit, long offset) {
    super(count + " " + what + ", more than Kiln's implementation limit of " + limit, offset, -1);
  }

  /** Throws for {@code count} {@code what} declared at {@code offset} when they are more than {@code limit}. */
  public static void check(String what, long count, long limit, long offset) {
    if (count > limit) {
      throw new ImplementationLimitException(what, count, limit, offset);
    }
  }
}
