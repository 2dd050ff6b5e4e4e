package dev.kiln.wasm;

/**
 * The proposals that change what the decoder, the instruction reader and the validators accept. Kiln supports all of
 * them ({@link #ALL}, the default everywhere); narrower sets exist because the spec test suite's
 * files contradict each other where a proposal turns an error into a valid module:
 * {@code core/memory.wast} expects a second memory to be invalid ("multiple memories") while
 * {@code proposals/multi-memory} expects it to work, and {@code core/binary.wast} expects memory
 * limits flags 0x02 to be "integer too large" while threads and memory64 give that byte flag bits,
 * and {@code core/elem.wast} expects i32.add in a constant expression to be "constant expression
 * required" while {@code proposals/extended-const} allows it.
 * A test runner picks the set that matches the file, as wabt's runner does with per-file flags.
 *
 * <p>Everything else Kiln reads (multi-value, bulk memory, SIMD, sign extension, saturating
 * conversions, tail calls) is always on, because nothing in it conflicts with the core format.
 *
 * @param referenceTypes reference types (WebAssembly 2.0); off only for the suite's
 *     {@code proposals/memory64/binary.wast}, which predates it. With it, the byte after
 *     {@code call_indirect}'s type index is a table index; without it the reserved bytes of
 *     {@code call_indirect}, {@code memory.size} and {@code memory.grow} are "zero flag expected"
 *     (the MVP wording) instead of "zero byte expected"
 * @param multiMemory more than one memory per module (multi-memory proposal); the reserved byte of
 *     {@code memory.size/grow/fill/copy/init} becomes a memory index (a memarg with bit 6 of its
 *     alignment set names its memory in either mode)
 * @param memory64 64-bit memories: limits flags 0x04-0x07, u64 limits, and memarg offsets read as
 *     u64 LEB128 (validation rejects offsets that do not fit a 32-bit memory) (memory64 proposal)
 * @param threads shared memories: limits flags 0x02/0x03 (threads proposal)
 * @param extendedConst i32/i64 add, sub and mul in constant expressions (extended-const proposal);
 *     without it they are "constant expression required", as {@code core/elem.wast} expects
 * @param wasm3 the rules of WebAssembly 3.0 beyond the proposals above: {@code global.get} in a
 *     constant expression may read any immutable global, not only an imported one (a defined
 *     global's initialiser those defined before it, segments every global; spec 3.4.6); table
 *     limits are u64 ("table size" is validation's) and memarg flags from 2^7 are "malformed
 *     memop flags"; and the encodings 3.0 adds (typed references, GC, exception handling)
 *     decode. Without it, as the 2022 suite expects, a defined global is "unknown global"
 *     and those encodings are malformed (an unknown section id, import kind, type or opcode)
 */
public record Features(boolean referenceTypes, boolean multiMemory, boolean memory64, boolean threads,
    boolean extendedConst, boolean wasm3) {
  /** Everything Kiln implements. */
  public static final Features ALL = new Features(true, true, true, true, true, true);

  /**
   * WebAssembly 2.0 as the suite's {@code core/} files assume it (MVP plus bulk memory, reference
   * types, SIMD, multi-value, sign extension, saturating conversions, mutable globals).
   */
  public static final Features STANDARD = new Features(true, false, false, false, false, false);

  public Features withReferenceTypes(boolean enabled) {
    return new Features(enabled, multiMemory, memory64, threads, extendedConst, wasm3);
  }

  public Features withMultiMemory(boolean enabled) {
    return new Features(referenceTypes, enabled, memory64, threads, extendedConst, wasm3);
  }

  public Features withMemory64(boolean enabled) {
    return new Features(referenceTypes, multiMemory, enabled, threads, extendedConst, wasm3);
  }

  public Features withThreads(boolean enabled) {
    return new Features(referenceTypes, multiMemory, memory64, enabled, extendedConst, wasm3);
  }

  public Features withExtendedConst(boolean enabled) {
    return new Features(referenceTypes, multiMemory, memory64, threads, enabled, wasm3);
  }

  public Features withWasm3(boolean enabled) {
    return new Features(referenceTypes, multiMemory, memory64, threads, extendedConst, enabled);
  }

}
