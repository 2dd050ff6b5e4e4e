package dev.kiln.artifact.tables;

import static dev.kiln.artifact.internal.SectionReader.U32;

import dev.kiln.artifact.internal.ByteSink;
import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The layout both text-offset tables share: {@code u32 count}, then {@code count} strictly
 * increasing u32 text offsets, then {@code count} payload entries of a fixed width. Holds the
 * validation and the two binary searches so the trap table and the address map do not each repeat
 * them.
 */
final class OffsetColumn {
  static final long OFFSETS = 4;

  private final MemorySegment section;
  private final int count;

  private OffsetColumn(MemorySegment section, int count) {
    this.section = section;
    this.count = count;
  }

  /**
   * Validates the header, the exact size for {@code payloadWidth}-byte entries and the offsets
   * (strictly increasing, each below {@code textSize}).
   */
  static OffsetColumn open(SectionReader in, int payloadWidth, long textSize) {
    long count = Integer.toUnsignedLong(in.u32(0, "entry count"));
    long expected = OFFSETS + count * (4 + payloadWidth);
    if (expected != in.size()) {
      throw in.corrupt(0, "size is " + in.size() + " bytes but " + count + " entries need " + expected);
    }
    long previous = -1;
    for (long i = 0; i < count; i++) {
      long offset = Integer.toUnsignedLong(in.u32(OFFSETS + 4 * i, "text offset"));
      if (offset <= previous) {
        throw in.corrupt(OFFSETS + 4 * i, "text offsets not strictly increasing at entry " + i);
      }
      if (offset >= textSize) {
        throw in.corrupt(OFFSETS + 4 * i,
            "entry " + i + " has text offset " + offset + ", outside .text (" + textSize + " bytes)");
      }
      previous = offset;
    }
    return new OffsetColumn(in.segment(), (int) count);
  }

  int count() {
    return count;
  }

  int offsetAt(int i) {
    return section.get(U32, OFFSETS + 4L * i);
  }

  /** Byte position of payload entry {@code i} for {@code payloadWidth}-byte entries. */
  long payloadPosition(int i, int payloadWidth) {
    return OFFSETS + 4L * count + (long) i * payloadWidth;
  }

  /** Index of the entry whose offset equals {@code textOffset}, or -1. */
  int exact(int textOffset) {
    int i = floor(textOffset);
    return i >= 0 && offsetAt(i) == textOffset ? i : -1;
  }

  /** Index of the last entry whose offset is at or below {@code textOffset}, or -1. */
  int floor(int textOffset) {
    if (textOffset < 0 || count == 0 || offsetAt(0) > textOffset) {
      return -1;
    }
    int lo = 0;
    int hi = count - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (offsetAt(mid) <= textOffset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Shared builder half: appends offsets in strictly increasing order. */
  static final class Builder {
    private int[] offsets = new int[32];
    private int size;

    void add(int textOffset) {
      if (textOffset < 0) {
        throw new IllegalArgumentException("negative text offset " + textOffset);
      }
      if (size > 0 && textOffset <= offsets[size - 1]) {
        throw new IllegalArgumentException("text offsets must be strictly increasing: 0x"
            + Integer.toHexString(textOffset) + " after 0x" + Integer.toHexString(offsets[size - 1]));
      }
      if (size == offsets.length) {
        offsets = Arrays.copyOf(offsets, size * 2);
      }
      offsets[size++] = textOffset;
    }

    int size() {
      return size;
    }

    /** Writes the count and the offset column. */
    void writeHeaderAndOffsets(ByteSink out) {
      out.u32(size);
      for (int i = 0; i < size; i++) {
        out.u32(offsets[i]);
      }
    }
  }
}
