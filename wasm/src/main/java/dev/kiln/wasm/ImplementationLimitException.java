package dev.kiln.wasm;

/**
 * The module is beyond one of Kiln's implementation limits (spec Appendix A.1, "Implementation
 * Limitations": an implementation may reject a module whose number of types, functions, globals,
 * segments... exceeds its own bounds). Not a verdict on the module's validity but a refusal,
 * raised by the decoder at the count that declares too many, before anything is allocated for
 * them, so {@code kiln validate}, {@code compile} and {@code run} refuse the same modules with the
 * same offset. The compiler raises it too, for a function whose IR outgrows its limit
 * ({@code dev.kiln.compiler.translate.IrSizeLimit}), naming the function and the operator's offset.
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
   * The most parameters, and the most results, one function type may have: 1,000 each, the limits
   * of the WebAssembly JS API ("Implementation-defined Limits": the maximum number of parameters
   * to any function or block, and of its return values, is 1000), which V8 and Wasmtime apply too.
   * A block type names a function type, so blocks, loops and ifs are bounded by it as well. A call
   * is two bytes and moves this many values in and out, so the limit is what one byte of code can
   * make the compiler do: at 65,535 an 80 KB module of calls made 124 MB of code and needed 6.2 GB
   * to compile (red team 27 F2). Refused by the decoder, so a type past it never reaches the
   * function compiler, whose work grows with a function's parameter count.
   */
  public static final int MAX_FUNCTION_PARAMS = 1000;

  /** The most results one function type may have: as {@link #MAX_FUNCTION_PARAMS}. */
  public static final int MAX_FUNCTION_RESULTS = 1000;

  /**
   * The most fields of one struct type, and operands of one {@code array.new_fixed}: 10,000, the
   * JS API's limits for both. A three-byte {@code struct.new_default} writes every field, so this is
   * a per-byte amplification of the same kind as {@link #MAX_FUNCTION_PARAMS} (red team 27 F2).
   */
  public static final int MAX_STRUCT_FIELDS = 10_000;

  /** The most operands of one {@code array.new_fixed}: as {@link #MAX_STRUCT_FIELDS}. */
  public static final int MAX_ARRAY_NEW_FIXED_OPERANDS = 10_000;

  /**
   * The most parameters or results of a function type the artifact can record: it stores each
   * count as a u16 ({@code dev.kiln.artifact.info.FuncType.MAX_ARITY}; a test holds the two equal
   * and the decoder's limits below it).
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
    this(what, count, limit, offset, -1);
  }

  /**
   * @param what the entries counted ("IR values, instructions and operands")
   * @param count how many there are
   * @param limit Kiln's limit on them
   * @param offset where the entry that exceeds the limit is
   * @param functionIndex the function they are in (function index space), or -1
   */
  public ImplementationLimitException(String what, long count, long limit, long offset, int functionIndex) {
    super(count + " " + what + ", more than Kiln's implementation limit of " + limit, offset, functionIndex);
  }

  /** Throws for {@code count} {@code what} declared at {@code offset} when they are more than {@code limit}. */
  public static void check(String what, long count, long limit, long offset) {
    if (count > limit) {
      throw new ImplementationLimitException(what, count, limit, offset);
    }
  }
}
