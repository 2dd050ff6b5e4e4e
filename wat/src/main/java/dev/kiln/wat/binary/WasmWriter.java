package dev.kiln.wat.binary;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the binary format's value encodings (spec 5.2): LEB128 integers in
 * their shortest form, little-endian floats, length-prefixed names and nested vectors.
 */
public final class WasmWriter {
  private byte[] bytes = new byte[64];
  private int size;

  /** An empty buffer. */
  public WasmWriter() {}

  /** Bytes written so far. */
  public int size() {
    return size;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  /** One byte (the low 8 bits of {@code b}). */
  public WasmWriter u8(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
    return this;
  }

  /** Bytes spelled out as ints (the low 8 bits of each), as a byte string reads in hex. */
  public WasmWriter raw(int... values) {
    ensure(values.length);
    for (int b : values) {
      bytes[size++] = (byte) b;
    }
    return this;
  }

  /** Raw bytes. */
  public WasmWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  /** {@code length} raw bytes of {@code b} from {@code offset}. */
  public WasmWriter bytes(byte[] b, int offset, int length) {
    ensure(length);
    System.arraycopy(b, offset, bytes, size, length);
    size += length;
    return this;
  }

  /** Everything another writer holds. */
  public WasmWriter bytes(WasmWriter other) {
    return bytes(other.bytes, 0, other.size);
  }

  /** An unsigned LEB128 of a u32 (the low 32 bits of {@code value}, read unsigned). */
  public WasmWriter u32(long value) {
    return u64(value & 0xFFFF_FFFFL);
  }

  /** An unsigned LEB128 of a u64 ({@code value} read unsigned). */
  public WasmWriter u64(long value) {
    long v = value;
    do {
      int b = (int) (v & 0x7F);
      v >>>= 7;
      u8(v != 0 ? b | 0x80 : b);
    } while (v != 0);
    return this;
  }

  /** A signed LEB128 (s32, s33 and s64 share this encoding for values in their range). */
  public WasmWriter s64(long value) {
    long v = value;
    while (true) {
      int b = (int) (v & 0x7F);
      v >>= 7;
      boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
      u8(done ? b : b | 0x80);
      if (done) {
        return this;
      }
    }
  }

  /** A signed LEB128 of an s32. */
  public WasmWriter s32(int value) {
    return s64(value);
  }

  /** The four little-endian bytes of a binary32 bit pattern. */
  public WasmWriter f32(int bits) {
    for (int i = 0; i < 4; i++) {
      u8(bits >>> (8 * i));
    }
    return this;
  }

  /** The eight little-endian bytes of a binary64 bit pattern. */
  public WasmWriter f64(long bits) {
    for (int i = 0; i < 8; i++) {
      u8((int) (bits >>> (8 * i)));
    }
    return this;
  }

  /** A name: its UTF-8 length as u32, then the bytes (spec 5.2.4). */
  public WasmWriter name(String name) {
    return name(name.getBytes(StandardCharsets.UTF_8));
  }

  /** A byte vector: its length as u32, then the bytes. */
  public WasmWriter name(byte[] utf8) {
    u32(utf8.length);
    return bytes(utf8);
  }

  /** An instruction's opcode: the byte, or the prefix and the sub-opcode as u32 (spec 5.4). */
  public WasmWriter opcode(Instruction instruction) {
    return opcode(instruction, instruction.code());
  }

  /** An instruction's prefix (if any) with {@code code} in place of the table's opcode. */
  public WasmWriter opcode(Instruction instruction, int code) {
    if (instruction.prefix() == 0) {
      return u8(code);
    }
    u8(instruction.prefix());
    return u32(code);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
