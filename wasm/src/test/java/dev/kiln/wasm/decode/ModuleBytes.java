package dev.kiln.wasm.decode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds module bytes for tests: the header, then sections given as byte lists whose size field
 * is computed, so a test spells out only the part it is about. Bytes are ints for readable hex.
 */
public final class ModuleBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public ModuleBytes() {
    raw(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
  }

  /** Appends bytes as they are. */
  public ModuleBytes raw(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  /** Appends a section: its id, its content's size as LEB128, the content. */
  public ModuleBytes section(int id, int... content) {
    raw(id);
    raw(u32(content.length));
    return raw(content);
  }

  /** How many bytes the module has so far: the offset of the next byte appended. */
  public int size() {
    return out.size();
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  /** {@code value} as unsigned LEB128. */
  public static int[] u32(long value) {
    int[] tmp = new int[10];
    int n = 0;
    long v = value;
    do {
      int b = (int) (v & 0x7F);
      v >>>= 7;
      tmp[n++] = v != 0 ? b | 0x80 : b;
    } while (v != 0);
    int[] result = new int[n];
    System.arraycopy(tmp, 0, result, 0, n);
    return result;
  }

  /** A name: its UTF-8 length, then the bytes. */
  public static int[] name(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    int[] len = u32(utf8.length);
    int[] result = new int[len.length + utf8.length];
    System.arraycopy(len, 0, result, 0, len.length);
    for (int i = 0; i < utf8.length; i++) {
      result[len.length + i] = utf8[i] & 0xFF;
    }
    return result;
  }

  /** Concatenates byte lists. */
  public static int[] cat(int[]... parts) {
    int n = 0;
    for (int[] p : parts) {
      n += p.length;
    }
    int[] result = new int[n];
    int at = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, result, at, p.length);
      at += p.length;
    }
    return result;
  }

  /** Shorthand for a literal byte list inside {@link #cat}. */
  public static int[] b(int... bytes) {
    return bytes;
  }
}
