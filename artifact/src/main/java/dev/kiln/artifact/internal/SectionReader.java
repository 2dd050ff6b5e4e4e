package dev.kiln.artifact.internal;

import dev.kiln.artifact.CorruptArtifactException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian reads from one section of a mapped artifact. Every read first checks
 * the range against the segment and reports a miss as {@link CorruptArtifactException} naming the
 * section and field, so malformed input can never surface as an {@code IndexOutOfBoundsException}.
 * Hot lookups that run after a structure has been validated use the raw layouts directly.
 */
public final class SectionReader {
  /** u8, u16, u32 and u64 as stored in a {@code .cwasm}: little-endian, any alignment. */
  public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
  public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final MemorySegment segment;
  private final String section;

  public SectionReader(MemorySegment segment, String section) {
    this.segment = segment;
    this.section = section;
  }

  public MemorySegment segment() {
    return segment;
  }

  public long size() {
    return segment.byteSize();
  }

  /** A failure of this section as a whole (no single field is to blame). */
  public CorruptArtifactException corrupt(String message) {
    return new CorruptArtifactException(section, message);
  }

  /** A failure of the field at {@code offset} of this section. */
  public CorruptArtifactException corrupt(long offset, String message) {
    return new CorruptArtifactException(section, offset, message);
  }

  /** Checks that {@code [offset, offset + length)} lies in the segment; both are unsigned-safe longs. */
  public void require(long offset, long length, String field) {
    if (offset < 0 || length < 0 || offset > segment.byteSize() || length > segment.byteSize() - offset) {
      if (offset < 0 || offset > segment.byteSize()) {
        throw corrupt(field + " at offset " + offset + " lies past the end (" + segment.byteSize() + " bytes)");
      }
      throw corrupt(offset, field + " (" + length + " bytes) runs past the end (" + segment.byteSize() + " bytes)");
    }
  }

  public int u8(long offset, String field) {
    require(offset, 1, field);
    return Byte.toUnsignedInt(segment.get(U8, offset));
  }

  public int u16(long offset, String field) {
    require(offset, 2, field);
    return Short.toUnsignedInt(segment.get(U16, offset));
  }

  /** The u32 at {@code offset}, as its raw int bits. */
  public int u32(long offset, String field) {
    require(offset, 4, field);
    return segment.get(U32, offset);
  }

  /** The u64 at {@code offset}; values of 2^63 and above are rejected as corrupt. */
  public long u64NonNegative(long offset, String field) {
    require(offset, 8, field);
    long value = segment.get(U64, offset);
    if (value < 0) {
      throw corrupt(offset, field + " is 0x" + Long.toHexString(value) + ", beyond any file size");
    }
    return value;
  }

  /** The sub-range {@code [offset, offset + length)}, checked. */
  public MemorySegment slice(long offset, long length, String field) {
    require(offset, length, field);
    return segment.asSlice(offset, length);
  }

  /** Strict UTF-8 decoding of {@code [offset, offset + length)}; malformed UTF-8 is corrupt. */
  public String utf8(long offset, int length, String field) {
    MemorySegment bytes = slice(offset, length, field);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes.asByteBuffer())
          .toString();
    } catch (CharacterCodingException e) {
      throw corrupt(offset, field + " is not valid UTF-8");
    }
  }
}
