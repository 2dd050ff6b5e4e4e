package dev.kiln.artifact.tables;

import java.util.Optional;

/**
 * Why compiled code trapped, with the message the WebAssembly spec test suite expects for it
 * ({@code assert_trap} / {@code assert_exhaustion} texts in the core and proposal .wast files). The
 * {@link #code()} byte is what {@code .kiln.traps} stores and what a trap stub records in the store
 * context, so it is part of the file format: never renumber, only add.
 */
public enum TrapCode {
  /** The prologue's stack-limit check failed (spec: exhaustion). */
  STACK_OVERFLOW(0, "call stack exhausted"),
  /** A load, store or memory.* instruction outside the memory's current size. */
  HEAP_OUT_OF_BOUNDS(1, "out of bounds memory access"),
  /** A misaligned atomic access (threads proposal). */
  HEAP_MISALIGNED(2, "unaligned atomic"),
  /** table.get/set/fill/copy/init or a table index outside the table. */
  TABLE_OUT_OF_BOUNDS(3, "out of bounds table access"),
  /** call_ref on a null function reference (function-references proposal). */
  INDIRECT_CALL_TO_NULL(4, "null function reference"),
  /** call_indirect whose callee's type differs from the expected one. */
  BAD_SIGNATURE(5, "indirect call type mismatch"),
  /** i32/i64 signed division of the minimum value by -1, or a trapping float-to-int overflow. */
  INTEGER_OVERFLOW(6, "integer overflow"),
  /** Integer division or remainder by zero. */
  INTEGER_DIVISION_BY_ZERO(7, "integer divide by zero"),
  /** A trapping float-to-int conversion of NaN. */
  BAD_CONVERSION_TO_INTEGER(8, "invalid conversion to integer"),
  /** The unreachable instruction. */
  UNREACHABLE(9, "unreachable"),
  /** ref.as_non_null (and similar) on null. */
  NULL_REFERENCE(10, "null reference"),
  /** call_indirect with an index past the end of the table. */
  UNDEFINED_ELEMENT(11, "undefined element"),
  /** call_indirect through a table slot that holds null. */
  UNINITIALIZED_ELEMENT(12, "uninitialized element"),
  /** A host function called from wasm failed; its trampoline turned the failure into a trap. */
  HOST_FUNCTION_FAILED(13, "host function failed"),
  /**
   * A function this Kiln build could not compile was called: the compiler, asked to (the wast
   * runner's {@code refusedFunctionsTrap} option), put a stub that raises this trap in its place. Not
   * a wasm trap: no spec text, so no assert_trap expects it.
   */
  UNSUPPORTED(14, "function not supported by this Kiln build"),
  /**
   * The engine's epoch reached the store's epoch deadline (code compiled with epoch interruption,
   * {@link dev.kiln.artifact.vm.ExecutionLimits}); Wasmtime's {@code Trap::Interrupt}. Not a wasm
   * trap: the embedder's, so no spec text.
   */
  INTERRUPT(15, "interrupt"),
  /**
   * The store's fuel ran out (code compiled with fuel metering, {@link
   * dev.kiln.artifact.vm.ExecutionLimits}); Wasmtime's {@code Trap::OutOfFuel}. Not a wasm trap.
   */
  OUT_OF_FUEL(16, "out of fuel"),
  /**
   * A host function called wasm while more wasm entries were nested inside host functions than the
   * store allows (the loader's {@code StoreLimits.maxHostCallDepth}). Raised by the loader, never
   * by compiled code; not a wasm trap.
   */
  HOST_CALL_DEPTH_EXCEEDED(17, "host call depth exceeded"),
  // GC (WebAssembly 3.0); numbered from 32 so that other features' codes can follow 17.
  /** i31.get_s or i31.get_u of null. */
  NULL_I31_REFERENCE(32, "null i31 reference"),
  /** ref.cast of a value that is not of the target type. */
  CAST_FAILURE(33, "cast failure"),
  /** struct.get, struct.set of null (WebAssembly 3.0 spec 4.4.x). */
  NULL_STRUCTURE_REFERENCE(34, "null structure reference"),
  /** array.get/set/len/fill/copy/init of null. */
  NULL_ARRAY_REFERENCE(35, "null array reference"),
  /** An array access, fill, copy or init outside the array's length. */
  ARRAY_OUT_OF_BOUNDS(36, "out of bounds array access"),
  /**
   * struct.new or array.new found no room in the store's GC heap within its limits
   * (StoreLimits#maxMemoryBytes, and the heap's reservation). Not a spec text: the spec lets an
   * allocation fail for lack of resources, and names no message.
   */
  GC_HEAP_EXHAUSTED(37, "out of memory: GC heap exhausted"),
  /**
   * A collection's walk of the wasm frames found what compiled code does not leave (a return address
   * without a stack map in a function that has them, a frame-pointer chain that does not climb
   * towards its entry, a map whose frame reaches below the frame it called): a damaged artifact or
   * a compiler bug, reported with the cause instead of as {@link #GC_HEAP_EXHAUSTED}, the trap the
   * failed allocation raises. Raised by the loader, never by compiled code; not a wasm trap.
   */
  GC_FRAME_WALK_FAILED(38, "GC frame walk failed"),
  // Exception handling (WebAssembly 3.0); numbered from 48, clear of GC's 34-37.
  /**
   * A wasm exception no wasm frame caught before the innermost entry from the host (exception
   * handling, WebAssembly 3.0): raised by the throw stub; the runtime reports it with the exception's
   * tag and values.
   */
  UNCAUGHT_EXCEPTION(48, "uncaught exception"),
  /** {@code throw_ref} of null (WebAssembly 3.0 spec 4.4.8.4: "null exception reference"). */
  NULL_EXCEPTION_REFERENCE(49, "null exception reference");

  private static final TrapCode[] BY_CODE = new TrapCode[256];

  static {
    for (TrapCode t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final String message;

  TrapCode(int code, String message) {
    this.code = code;
    this.message = message;
  }

  /** The byte stored in {@code .kiln.traps} and recorded by trap stubs. */
  public int code() {
    return code;
  }

  /** The spec test suite's text for this trap. */
  public String message() {
    return message;
  }

  /** The trap code stored as {@code code} (0-255), if any. */
  public static Optional<TrapCode> fromCode(int code) {
    return code < 0 || code > 255 ? Optional.empty() : Optional.ofNullable(BY_CODE[code]);
  }
}
