package dev.kiln.wasm.decode;

import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;

/**
 * Builds module bytes for tests: the header, then sections given as byte lists whose size field
 * is computed, so a test spells out only the part it is about. Bytes are ints for readable hex;
 * the encoding is the text reader's ({@link ModuleWriter}, {@link WasmWriter}), so the decoder's
 * tests and the text format's share one writer of the binary format.
 */
public final class ModuleBytes {
  private final WasmWriter out = new WasmWriter().bytes(new ModuleWriter().toByteArray());

  /** Appends bytes as they are. */
  public ModuleBytes raw(int... bytes) {
    out.raw(bytes);
    return this;
  }

  /** Appends a section: its id, its content's size as LEB128, the content. */
  public ModuleBytes section(int id, int... content) {
    out.u8(id).u32(content.length).raw(content);
    return this;
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
    return ints(new WasmWriter().u64(value));
  }

  /** A name: its UTF-8 length, then the bytes. */
  public static int[] name(String s) {
    return ints(new WasmWriter().name(s));
  }

  /** Concatenates byte lists. */
  public static int[] cat(int[]... parts) {
    WasmWriter all = new WasmWriter();
    for (int[] p : parts) {
      all.raw(p);
    }
    return ints(all);
  }

  /** Shorthand for a literal byte list inside {@link #cat}. */
  public static int[] b(int... bytes) {
    return bytes;
  }

  private static int[] ints(WasmWriter written) {
    byte[] bytes = written.toByteArray();
    int[] result = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      result[i] = bytes[i] & 0xFF;
    }
    return result;
  }
}
