package dev.kiln.artifact.internal;

import java.util.Arrays;

/** A growable little-endian byte buffer for writing sections. */
public final class ByteSink {
  private byte[] bytes;
  private int size;

  public ByteSink() {
    this(256);
  }

  /** A sink that takes {@code capacity} bytes before it grows (a whole artifact's, when known). */
  public ByteSink(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  public int size() {
    return size;
  }

  private void ensure(int extra) {
    long needed = (long) size + extra;
    if (needed > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("artifact section larger than 2 GiB");
    }
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * bytes.length)));
    }
  }

  public ByteSink u8(int value) {
    ensure(1);
    bytes[size++] = (byte) value;
    return this;
  }

  public ByteSink u16(int value) {
    ensure(2);
    bytes[size++] = (byte) value;
    bytes[size++] = (byte) (value >>> 8);
    return this;
  }

  public ByteSink u32(int value) {
    ensure(4);
    putU32(size, value);
    size += 4;
    return this;
  }

  public ByteSink u64(long value) {
    u32((int) value);
    return u32((int) (value >>> 32));
  }

  /**
   * Appends {@code value} as unsigned LEB128 (WebAssembly spec 5.2.2, "Integers"): seven bits a
   * byte, low bits first, the high bit set on every byte but the last; 1 byte below 128, at most 10.
   */
  public ByteSink varint(long value) {
    while ((value & ~0x7FL) != 0) {
      u8((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    return u8((int) value);
  }

  /** Appends the int {@code value} zigzag-mapped (0, -1, 1, -2 ... to 0, 1, 2, 3 ...) as a varint. */
  public ByteSink zigzag(int value) {
    return varint(Integer.toUnsignedLong((value << 1) ^ (value >> 31)));
  }

  /** Appends {@code length} bytes of {@code data} from {@code from}. */
  public ByteSink bytes(byte[] data, int from, int length) {
    ensure(length);
    System.arraycopy(data, from, bytes, size, length);
    size += length;
    return this;
  }

  public ByteSink bytes(byte[] data) {
    ensure(data.length);
    System.arraycopy(data, 0, bytes, size, data.length);
    size += data.length;
    return this;
  }

  /** Appends zero bytes until {@link #size()} is a multiple of {@code alignment} (a power of two). */
  public ByteSink align(int alignment) {
    int padding = (-size) & (alignment - 1);
    ensure(padding);
    size += padding;
    return this;
  }

  private void putU32(int at, int value) {
    bytes[at] = (byte) value;
    bytes[at + 1] = (byte) (value >>> 8);
    bytes[at + 2] = (byte) (value >>> 16);
    bytes[at + 3] = (byte) (value >>> 24);
  }

  /** Appends this sink's bytes to {@code out} without an intermediate copy. */
  public void appendTo(ByteSink out) {
    out.bytes(bytes, 0, size);
  }

  /**
   * The bytes written, handing over the buffer itself (no copy) when they fill it exactly; the
   * sink is empty afterwards. For a sink sized exactly for a large result.
   */
  public byte[] take() {
    byte[] taken = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    bytes = new byte[16];
    size = 0;
    return taken;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }
}
