package dev.kiln.wat.binary;

/**
 * Writes a module: the preamble, then sections in the order they are added (spec 5.5). Each
 * section's content is a {@link WasmWriter}; a vector section is its element count followed by the
 * elements. The caller keeps the order the spec requires (5.5.16): type, import, function, table,
 * memory, tag, global, export, start, element, data count, code, data; custom sections anywhere.
 */
public final class ModuleWriter {
  /** Section ids (spec 5.5.2). */
  public static final int CUSTOM = 0;
  public static final int TYPE = 1;
  public static final int IMPORT = 2;
  public static final int FUNCTION = 3;
  public static final int TABLE = 4;
  public static final int MEMORY = 5;
  public static final int GLOBAL = 6;
  public static final int EXPORT = 7;
  public static final int START = 8;
  public static final int ELEMENT = 9;
  public static final int CODE = 10;
  public static final int DATA = 11;
  public static final int DATA_COUNT = 12;
  public static final int TAG = 13;

  private final WasmWriter out = new WasmWriter();

  public ModuleWriter() {
    out.bytes(new byte[] {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00});
  }

  /** A section whose content is written already. */
  public ModuleWriter section(int id, WasmWriter content) {
    out.u8(id).u32(content.size()).bytes(content);
    return this;
  }

  /** A vector section: {@code count} then the elements in {@code elements}; skipped when empty. */
  public ModuleWriter vectorSection(int id, int count, WasmWriter elements) {
    if (count == 0) {
      return this;
    }
    WasmWriter content = new WasmWriter().u32(count).bytes(elements);
    return section(id, content);
  }

  /** A custom section (spec 5.5.3). */
  public ModuleWriter custom(String name, byte[] payload) {
    return section(CUSTOM, new WasmWriter().name(name).bytes(payload));
  }

  /** The module's bytes. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
