package dev.kiln.wasm.code;

import dev.kiln.wasm.MalformedException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over {@code bytes[start, end)} that reads the binary format's primitive values (spec
 * 5.2): bytes, LEB128 integers, little-endian floats and names. Shared by the module decoder and
 * {@link InstructionReader}, so that both apply the same integer rules and report them with the
 * spec suite's words.
 *
 * <p>LEB128 rules (spec 5.2.2): an N-bit integer takes at most ceil(N/7) bytes. A longer encoding is
 * "integer representation too long"; a last byte whose bits beyond the N-th are not zero (unsigned)
 * or not copies of the sign bit (signed) is "integer too large". Running past {@code end} is
 * "unexpected end of section or function", the reference interpreter's wording (the suite's shorter
 * "unexpected end" is a prefix of it). Every error carries the absolute offset of the byte at fault.
 *
 * <p>Not thread-safe; allocation-free except {@link #name()}.
 */
public final class ByteReader {
  private final byte[] bytes;
  private final int end;
  private int pos;

  public ByteReader(byte[] bytes, int start, int end) {
    if (start < 0 || end > bytes.length || start > end) {
      throw new IllegalArgumentException("range [" + start + ", " + end + ") outside " + bytes.length + " bytes");
    }
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  public ByteReader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  /** Absolute offset of the next byte. */
  public int position() {
    return pos;
  }

  /** Moves the cursor to absolute offset {@code position}, which must lie in the range. */
  public void position(int position) {
    if (position < 0 || position > end) {
      throw new IllegalArgumentException("position " + position + " outside the range");
    }
    pos = position;
  }

  /** Absolute offset one past the last readable byte. */
  public int end() {
    return end;
  }

  public byte[] bytes() {
    return bytes;
  }

  public boolean hasMore() {
    return pos < end;
  }

  public int remaining() {
    return end - pos;
  }

  /** Reads one byte as 0..255. */
  public int u8() {
    int p = pos;
    if (p >= end) {
      throw unexpectedEnd(p);
    }
    pos = p + 1;
    return bytes[p] & 0xFF;
  }

  /** Kept out of line so the readers' fast paths stay small enough for the JIT to inline. */
  private static MalformedException unexpectedEnd(int at) {
    return new MalformedException("unexpected end of section or function", at);
  }

  /** The next byte as 0..255 without consuming it, or -1 at the end. */
  public int peek() {
    return pos < end ? bytes[pos] & 0xFF : -1;
  }

  /** Skips {@code n} bytes; "unexpected end of section or function" if fewer remain. */
  public void skip(int n) {
    if (n < 0 || n > end - pos) {
      throw unexpectedEnd(end);
    }
    pos += n;
  }

  /** An unsigned 32-bit LEB128 integer; the result's bits are the value (use it unsigned). */
  public int u32() {
    int p = pos;
    if (p < end) {
      int b = bytes[p];
      if (b >= 0) {
        pos = p + 1;
        return b;
      }
    }
    return u32Slow();
  }

  private int u32Slow() {
    int result = 0;
    for (int shift = 0; ; shift += 7) {
      int at = pos;
      int b = u8();
      if (shift == 28) {
        if ((b & 0x80) != 0) {
          throw new MalformedException("integer representation too long", at);
        }
        if ((b & 0x70) != 0) {
          throw new MalformedException("integer too large", at);
        }
        return result | (b << 28);
      }
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
  }

  /** A u32 that must also fit a Java int (an index or count); larger values are "integer too large". */
  public int u32Index() {
    int start = pos;
    int v = u32();
    if (v < 0) {
      throw new MalformedException("integer too large", start);
    }
    return v;
  }

  /** A signed 32-bit LEB128 integer. */
  public int s32() {
    if (pos < end) {
      int b = bytes[pos];
      if (b >= 0) {
        // one byte: bit 6 is the sign
        pos++;
        return (b << 25) >> 25;
      }
    }
    return s32Slow();
  }

  private int s32Slow() {
    int result = 0;
    for (int shift = 0; ; shift += 7) {
      int at = pos;
      int b = u8();
      if (shift == 28) {
        if ((b & 0x80) != 0) {
          throw new MalformedException("integer representation too long", at);
        }
        // bits 4..6 of the last byte lie beyond bit 31 and must repeat the sign bit (bit 3)
        int high = b & 0x70;
        if (high != ((b & 0x08) != 0 ? 0x70 : 0)) {
          throw new MalformedException("integer too large", at);
        }
        return result | (b << 28);
      }
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return shift < 25 && (b & 0x40) != 0 ? result | (-1 << (shift + 7)) : result;
      }
    }
  }

  /** A signed 33-bit LEB128 integer (block types, spec 5.4.1). */
  public long s33() {
    long result = 0;
    for (int shift = 0; ; shift += 7) {
      int at = pos;
      int b = u8();
      if (shift == 28) {
        if ((b & 0x80) != 0) {
          throw new MalformedException("integer representation too long", at);
        }
        // bits 5..6 of the last byte lie beyond bit 32 and must repeat the sign bit (bit 4)
        int high = b & 0x60;
        if (high != ((b & 0x10) != 0 ? 0x60 : 0)) {
          throw new MalformedException("integer too large", at);
        }
        result |= (long) (b & 0x1F) << 28;
        return (result << 31) >> 31;
      }
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return (b & 0x40) != 0 ? result | (-1L << (shift + 7)) : result;
      }
    }
  }

  /** An unsigned 64-bit LEB128 integer; the result's bits are the value. */
  public long u64() {
    if (pos < end) {
      int b = bytes[pos];
      if (b >= 0) {
        pos++;
        return b;
      }
    }
    return u64Slow();
  }

  private long u64Slow() {
    long result = 0;
    for (int shift = 0; ; shift += 7) {
      int at = pos;
      int b = u8();
      if (shift == 63) {
        if ((b & 0x80) != 0) {
          throw new MalformedException("integer representation too long", at);
        }
        if ((b & 0x7E) != 0) {
          throw new MalformedException("integer too large", at);
        }
        return result | ((long) b << 63);
      }
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
  }

  /** A signed 64-bit LEB128 integer. */
  public long s64() {
    if (pos < end) {
      int b = bytes[pos];
      if (b >= 0) {
        pos++;
        return (b << 25) >> 25;
      }
    }
    return s64Slow();
  }

  private long s64Slow() {
    long result = 0;
    for (int shift = 0; ; shift += 7) {
      int at = pos;
      int b = u8();
      if (shift == 63) {
        if ((b & 0x80) != 0) {
          throw new MalformedException("integer representation too long", at);
        }
        // bits 1..6 of the last byte lie beyond bit 63 and must repeat the sign bit (bit 0)
        if (b != 0 && b != 0x7F) {
          throw new MalformedException("integer too large", at);
        }
        return result | ((long) b << 63);
      }
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return (b & 0x40) != 0 ? result | (-1L << (shift + 7)) : result;
      }
    }
  }

  /** Four little-endian bytes (the bits of an f32). */
  public int i32LittleEndian() {
    if (end - pos < 4) {
      throw unexpectedEnd(end);
    }
    int p = pos;
    pos = p + 4;
    return (bytes[p] & 0xFF) | (bytes[p + 1] & 0xFF) << 8 | (bytes[p + 2] & 0xFF) << 16 | bytes[p + 3] << 24;
  }

  /** Eight little-endian bytes (the bits of an f64, or half a v128). */
  public long i64LittleEndian() {
    if (end - pos < 8) {
      throw unexpectedEnd(end);
    }
    int p = pos;
    pos = p + 8;
    return (bytes[p] & 0xFFL)
        | (bytes[p + 1] & 0xFFL) << 8
        | (bytes[p + 2] & 0xFFL) << 16
        | (bytes[p + 3] & 0xFFL) << 24
        | (bytes[p + 4] & 0xFFL) << 32
        | (bytes[p + 5] & 0xFFL) << 40
        | (bytes[p + 6] & 0xFFL) << 48
        | (bytes[p + 7] & 0xFFL) << 56;
  }

  /**
   * A byte vector's length (u32) checked against the bytes left: "length out of bounds" when it
   * claims more than remain. Returns the length; the cursor is left at the first byte.
   */
  public int length() {
    int at = pos;
    int n = u32();
    if (n < 0 || n > end - pos) {
      throw new MalformedException("length out of bounds", at);
    }
    return n;
  }

  /**
   * A name (spec 5.2.4): a length-prefixed UTF-8 string. Overlong forms, surrogates and code points
   * above U+10FFFF are "malformed UTF-8 encoding", as the spec's UTF-8 grammar excludes them.
   */
  public String name() {
    int n = length();
    int at = pos;
    pos += n;
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, at, n))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedException("malformed UTF-8 encoding", at);
    }
  }
}
