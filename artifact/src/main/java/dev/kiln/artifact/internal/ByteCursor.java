package dev.kiln.artifact.internal;

import dev.kiln.artifact.CorruptArtifactException;
import java.lang.foreign.MemorySegment;

/**
 * Reads variable-length fields forward through {@code [position, end)} of one section, each read
 * checked: a field that runs past {@code end} or a varint longer than its type is a {@link
 * CorruptArtifactException} naming the section and the field's offset in it, never an
 * out-of-bounds exception. The compact side tables ({@code dev.kiln.artifact.tables}) decode one
 * block with it.
 */
public final class ByteCursor {
  private final MemorySegment segment;
  private final String section;
  private long position;
  private final long end;

  /** A cursor over {@code [from, end)} of {@code segment}, which is {@code section}'s contents. */
  public ByteCursor(MemorySegment segment, String section, long from, long end) {
    if (from < 0 || end > segment.byteSize() || from > end) {
      throw new CorruptArtifactException(section, from, "block [" + from + ", " + end + ") lies outside the section ("
          + segment.byteSize() + " bytes)");
    }
    this.segment = segment;
    this.section = section;
    this.position = from;
    this.end = end;
  }

  public boolean atEnd() {
    return position == end;
  }

  public long position() {
    return position;
  }

  /** How many bytes are left before the end: an upper bound on how many more items a count can announce. */
  public long remaining() {
    return end - position;
  }

  public int u8(String field) {
    if (position >= end) {
      throw corrupt(field + " runs past the end of its block");
    }
    return Byte.toUnsignedInt(segment.get(SectionReader.U8, position++));
  }

  /** An unsigned LEB128 value of at most 32 bits (5 bytes), as its int bits. */
  public int varint32(String field) {
    long value = varint(field, 5);
    if (value >>> 32 != 0) {
      throw corrupt(field + " does not fit 32 bits");
    }
    return (int) value;
  }

  /** An unsigned LEB128 value of at most 63 bits (9 bytes). */
  public long varint63(String field) {
    return varint(field, 9);
  }

  /** A zigzag-mapped int ({@link ByteSink#zigzag}). */
  public int zigzag32(String field) {
    int raw = varint32(field);
    return (raw >>> 1) ^ -(raw & 1);
  }

  private long varint(String field, int maxBytes) {
    long start = position;
    long value = 0;
    for (int i = 0; i < maxBytes; i++) {
      int b = u8(field);
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    position = start;
    throw corrupt(field + " is a varint longer than " + maxBytes + " bytes");
  }

  /** A failure of the field at the cursor's position. */
  public CorruptArtifactException corrupt(String message) {
    return corruptAt(position, message);
  }

  /** A failure of the field at {@code offset} of the section. */
  public CorruptArtifactException corruptAt(long offset, String message) {
    return new CorruptArtifactException(section, offset, message);
  }
}
