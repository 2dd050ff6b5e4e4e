package dev.kiln.artifact;

/**
 * A half-open byte range {@code [start, end)} of the {@code .text} section, relative to its first
 * byte. Offsets are non-negative ints: Kiln limits {@code .text} to 2 GiB - 1 so offsets fit Java's
 * int without unsigned arithmetic at every use.
 */
public record TextRange(int start, int end) {
  public TextRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad text range [" + start + ", " + end + ")");
    }
  }

  public int length() {
    return end - start;
  }

  /** Whether {@code offset} lies inside the range. */
  public boolean contains(int offset) {
    return offset >= start && offset < end;
  }

  @Override
  public String toString() {
    return "[0x" + Integer.toHexString(start) + ", 0x" + Integer.toHexString(end) + ")";
  }
}
