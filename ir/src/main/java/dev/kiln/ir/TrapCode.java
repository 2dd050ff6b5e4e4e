package dev.kiln.ir;

/**
 * Why an instruction traps. The IR's own list: the compiler maps each to the artifact's trap code
 * when it records trap sites, so this module stays free of dependencies. One entry per trap the
 * WebAssembly spec names for the scalar and call instructions (spec 4.4, "trap" results), plus the
 * runtime's stack check and the embedder's two ways of stopping a guest (epoch deadline, fuel).
 */
public enum TrapCode {
  /** The prologue's stack-limit check failed (call stack exhausted). */
  STACK_OVERFLOW("stk_ovf"),
  /** A linear-memory access outside the memory's current length. */
  HEAP_OUT_OF_BOUNDS("heap_oob"),
  /** Signed division overflow ({@code INT_MIN / -1}) or a float-to-int conversion out of range. */
  INTEGER_OVERFLOW("int_ovf"),
  /** Integer division or remainder by zero. */
  INTEGER_DIVISION_BY_ZERO("int_divz"),
  /** A float-to-int conversion of NaN. */
  BAD_CONVERSION_TO_INTEGER("bad_toint"),
  /** {@code call_indirect} through a null table entry. */
  INDIRECT_CALL_TO_NULL("icall_null"),
  /** {@code call_indirect} whose callee has another type. */
  BAD_SIGNATURE("bad_sig"),
  /** A table index outside the table's current size. */
  TABLE_OUT_OF_BOUNDS("table_oob"),
  /** Wasm {@code unreachable}. */
  UNREACHABLE("unreachable"),
  /** {@code call_indirect} with an index past the end of the table (spec: "undefined element"). */
  UNDEFINED_ELEMENT("undef_elem"),
  /** {@code call_indirect} through a null table slot (spec: "uninitialized element"). */
  UNINITIALIZED_ELEMENT("uninit_elem"),
  /** The engine's epoch reached the store's deadline (epoch interruption, not a wasm trap). */
  INTERRUPT("interrupt"),
  /** The store's fuel ran out (fuel metering, not a wasm trap). */
  OUT_OF_FUEL("out_of_fuel"),
  /** {@code ref.as_non_null} of null (WebAssembly 3.0 spec 4.4.2: "null reference"). */
  NULL_REFERENCE("null_ref"),
  /** {@code i31.get_s/_u} of null (WebAssembly 3.0 spec 4.4.x: "null i31 reference"). */
  NULL_I31_REFERENCE("null_i31"),
  /** {@code ref.cast} of a value that is not of the target type (spec 3.0 4.4.x: "cast failure"). */
  CAST_FAILURE("cast_fail"),
  /** {@code struct.get/set} of null ("null structure reference"). */
  NULL_STRUCTURE_REFERENCE("null_struct"),
  /** An array instruction on null ("null array reference"). */
  NULL_ARRAY_REFERENCE("null_array"),
  /** An array access outside the array's length ("out of bounds array access"). */
  ARRAY_OUT_OF_BOUNDS("array_oob"),
  /** An allocation the store's GC heap has no room for within its limits. */
  GC_HEAP_EXHAUSTED("gc_oom"),
  /** {@code throw_ref} of null (WebAssembly 3.0 spec 4.4.8.4: "null exception reference"). */
  NULL_EXCEPTION_REFERENCE("null_exnref");

  private static final TrapCode[] VALUES = values();
  private final String text;

  TrapCode(String text) {
    this.text = text;
  }

  /** The spelling in the text format. */
  public String text() {
    return text;
  }

  public static TrapCode ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }

  public static TrapCode byText(String text) {
    for (TrapCode c : VALUES) {
      if (c.text.equals(text)) {
        return c;
      }
    }
    return null;
  }
}
