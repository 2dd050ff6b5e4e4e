package dev.kiln.wasm.code;

/**
 * How {@link InstructionReader} reads the bytes whose meaning a proposal changed: the proposals
 * whose instruction encodings differ from the core format the reader otherwise follows. (The module
 * decoder's own feature set, {@code dev.kiln.wasm.decode.Features}, covers sections and limits.)
 * Everything else the reader knows (multi-value, bulk memory, SIMD, sign extension, saturating
 * conversions, tail calls, extended constant expressions) is always on, because no encoding of
 * theirs conflicts with the core format. These three change how the same bytes are read:
 *
 * <ul>
 *   <li>{@code referenceTypes}: the byte after {@code call_indirect}'s type index is a table index
 *       (u32 LEB128) rather than a reserved zero byte; with it off the reserved bytes of {@code
 *       call_indirect}, {@code memory.size} and {@code memory.grow} are reported as "zero flag
 *       expected", the MVP wording, instead of "zero byte expected".
 *   <li>{@code multiMemory}: the reserved byte of {@code memory.size}, {@code memory.grow}, {@code
 *       memory.fill}, {@code memory.copy} and {@code memory.init} becomes a memory index (u32
 *       LEB128). A memarg with bit 6 of its alignment set names its memory in either mode.
 *   <li>{@code memory64}: a memarg's offset is a u64 LEB128 rather than u32, whatever the memory's
 *       address type; validation then rejects offsets that do not fit a 32-bit memory.
 * </ul>
 */
public record CodeFeatures(boolean referenceTypes, boolean multiMemory, boolean memory64) {
  /** Every proposal on: how Kiln reads modules by default. */
  public static final CodeFeatures ALL = new CodeFeatures(true, true, true);

  /**
   * The spec suite's core at testsuite commit 3a04b2c: reference types on, multi-memory and memory64
   * off (their tests live under {@code proposals/}).
   */
  public static final CodeFeatures CORE = new CodeFeatures(true, false, false);

  public CodeFeatures withReferenceTypes(boolean on) {
    return new CodeFeatures(on, multiMemory, memory64);
  }

  public CodeFeatures withMultiMemory(boolean on) {
    return new CodeFeatures(referenceTypes, on, memory64);
  }

  public CodeFeatures withMemory64(boolean on) {
    return new CodeFeatures(referenceTypes, multiMemory, on);
  }
}
