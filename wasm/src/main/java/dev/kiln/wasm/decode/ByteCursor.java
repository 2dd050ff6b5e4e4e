package dev.kiln.wasm.decode;

import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.code.ByteReader;
import java.nio.charset.StandardCharsets;

/**
 * The module decoder's read position: {@link ByteReader}'s bytes and LEB128 integers (shared with
 * the instruction reader, so both apply the same integer rules) plus what only module structure
 * needs, with the spec's reference interpreter's semantics, which the test suite's messages encode:
 * lengths bounded from the length field's own position, names checked as UTF-8 by the spec's
 * grammar, the MVP's one-bit limits flag, and a {@link #seek} that turns a position past the end
 * into "unexpected end" instead of a programming error.
 *
 * <p>Reads are bounded by the end of the file, not of the current section: like the reference
 * interpreter the decoder reads a section's content and only then compares where it stopped with
 * the declared size, so a section that runs into the next one reports "section size mismatch" and
 * one that runs off the file "unexpected end of section or function".
 */
final class ByteCursor {
  static final String UNEXPECTED_END = "unexpected end of section or function";

  private final ByteReader in;

  ByteCursor(byte[] bytes, int start, int limit) {
    this.in = new ByteReader(bytes, start, limit);
  }

  /** The reader under this cursor, for the readers shared with instruction decoding. */
  ByteReader reader() {
    return in;
  }

  byte[] bytes() {
    return in.bytes();
  }

  int position() {
    return in.position();
  }

  int limit() {
    return in.end();
  }

  boolean atEnd() {
    return !in.hasMore();
  }

  /** Moves to {@code position}; beyond the end it is "unexpected end" (a size that overshoots). */
  void seek(int position) {
    if (position < 0 || position > in.end()) {
      throw error(UNEXPECTED_END, in.end());
    }
    in.position(position);
  }

  int u8() {
    return in.u8();
  }

  void skip(int n) {
    in.skip(n);
  }

  int u32() {
    return in.u32();
  }

  long u64() {
    return in.u64();
  }

  /** A little-endian u32 as four plain bytes (the header's magic and version). */
  int fixedU32() {
    return in.i32LittleEndian();
  }

  /**
   * WebAssembly 2.0's limits flag, a 1-bit unsigned LEB128 (spec 5.3.7): at most one byte ("integer
   * representation too long" when its continuation bit is set) holding 0 or 1 ("integer too large").
   */
  int flagBit() {
    int at = in.position();
    int b = in.u8();
    if ((b & 0x7F) > 1) {
      throw error("integer too large", at);
    }
    if ((b & 0x80) != 0) {
      throw error("integer representation too long", at + 1);
    }
    return b;
  }

  /**
   * A length or count (the reference interpreter's {@code len32}) that must not exceed the bytes
   * from the length field itself to the end, else "length out of bounds". Every counted item takes
   * at least one byte, so a larger count can only be malformed, and rejecting it here keeps a hostile
   * count from making us allocate more than the file's size. The bound is measured from the field,
   * not after it: one item counted with only the count's byte left is "unexpected end", as the suite
   * expects.
   */
  int len32() {
    int start = in.position();
    int n = in.u32();
    if (Integer.compareUnsigned(n, in.end() - start) > 0) {
      throw error("length out of bounds", start);
    }
    return n;
  }

  /** A name (spec 5.2.4): a length, then that many bytes of well-formed UTF-8. */
  String name() {
    int start = in.position();
    int n = len32();
    int from = in.position();
    in.skip(n);
    byte[] bytes = in.bytes();
    if (!Utf8.isWellFormed(bytes, from, from + n)) {
      throw error("malformed UTF-8 encoding", start);
    }
    return new String(bytes, from, n, StandardCharsets.UTF_8);
  }

  /**
   * How much room to reserve for {@code count} items read from the file: the count is bounded by the
   * file's size but not yet proven, so large vectors grow as their items actually decode.
   */
  static int initialCapacity(int count) {
    return Math.min(count, 1024);
  }

  MalformedException error(String reason, int offset) {
    return new MalformedException(reason, offset);
  }
}
