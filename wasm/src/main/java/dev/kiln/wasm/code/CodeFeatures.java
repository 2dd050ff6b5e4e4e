package dev.kiln.wasm.code;

/**
 * The proposals that change how code is read or validated where the spec suite's files disagree:
 * instruction encodings that differ from the core format, and what a constant expression may
 * contain. (The module decoder's own feature set, {@code dev.kiln.wasm.decode.Features}, covers
 * sections and limits.) Everything else the reader and validator know (multi-value, bulk memory,
 * SIMD, sign extension, saturating conversions, tail calls) is always on, because nothing in them
 * conflicts with the core format. These change how the same bytes are read or judged:
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
 *   <li>{@code extendedConst}: constant expressions may use {@code i32/i64 add, sub, mul}; without
 *       it they are "constant expression required", as {@code core/elem.wast} expects.
 * </ul>
 */
public record CodeFeatures(boolean referenceTypes, boolean multiMemory, boolean memory64, boolean extendedConst) {
  /** Every proposal on: how Kiln reads modules by default. */
  public static final CodeFeatures ALL = new CodeFeatures(true, true, true, true);

  /**
   * The spec suite's core at testsuite commit 3a04b2c: reference types on; multi-memory, memory64
   * and extended-const off (their tests live under {@code proposals/}).
   */
  public static final CodeFeatures CORE = new CodeFeatures(true, false, false, false);

  /** The three encoding features as given, extended constant expressions on. */
  public CodeFeatures(boolean referenceTypes, boolean multiMemory, boolean memory64) {
    this(referenceTypes, multiMemory, memory64, true);
  }

  public CodeFeatures withReferenceTypes(boolean on) {
    return new CodeFeatures(on, multiMemory, memory64, extendedConst);
  }

  public CodeFeatures withMultiMemory(boolean on) {
    return new CodeFeatures(referenceTypes, on, memory64, extendedConst);
  }

  public CodeFeatures withMemory64(boolean on) {
    return new CodeFeatures(referenceTypes, multiMemory, on, extendedConst);
  }

  public CodeFeatures withExtendedConst(boolean on) {
    return new CodeFeatures(referenceTypes, multiMemory, memory64, on);
  }
}
