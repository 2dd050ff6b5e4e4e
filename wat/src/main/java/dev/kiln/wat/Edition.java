package dev.kiln.wat;

/**
 * Which edition's text grammar applies where WebAssembly 3.0 moved a rule from the text format to
 * validation. A script reader picks the edition of the suite it runs, since the 2022 suite asserts
 * as malformed what the 3.0 suite asserts as invalid.
 */
public enum Edition {
  /**
   * WebAssembly 2.0 without the memory64 proposal (which made these u64 as 3.0 does): the limits of a 32-bit table or memory and the
   * memarg offset of an access to a 32-bit memory are u32 (spec 2.0, 6.4.4 and 6.5.5); a larger
   * literal is malformed.
   */
  WASM_2,
  /** WebAssembly 3.0: those are u64 (spec 3.0, 6.4.6 and 6.5.6); a value too large is invalid. */
  WASM_3
}
