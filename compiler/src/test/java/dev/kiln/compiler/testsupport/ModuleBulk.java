package dev.kiln.compiler.testsupport;

import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;

/**
 * Valid modules whose size is module-level bulk an attacker chooses (issue 35, finding F2): {@code
 * n} function types, mutable globals, active data segments, active element segments or custom
 * sections, around one exported function {@code _start} of type {@code () -> ()} with an empty
 * body. Each cheap entry costs the decoder, the validator, the artifact writer, the loader and
 * instantiation a little, so {@code n} in the hundreds of thousands makes seconds of work from a few
 * megabytes; the budget tests use a few thousand, enough for several of the {@code
 * CompileDeadline.POLL_INTERVAL} slices each phase polls by.
 *
 * <p>Written in the binary format directly (spec 5.5) with the text reader's encoder ({@link
 * ModuleWriter}), as the red team's {@code mk_counts.py} writes them.
 */
public enum ModuleBulk {
  /** {@code n} extra types {@code (i32 x (i % 8)) -> ()}, distinct in groups of 8. */
  TYPES,
  /** {@code n} mutable i64 globals initialised to 0. */
  GLOBALS,
  /** A memory of one page and {@code n} active data segments of one byte at offset 0. */
  DATA_SEGMENTS,
  /** A table of one funcref and {@code n} active element segments of function 0 at offset 0. */
  ELEMENT_SEGMENTS,
  /** {@code n} empty custom sections named "c". */
  CUSTOM_SECTIONS;

  /** The module with {@code n} entries of this kind. */
  public byte[] module(int n) {
    ModuleWriter module = new ModuleWriter();
    WasmWriter types = new WasmWriter().raw(0x60, 0, 0);
    if (this == TYPES) {
      for (int i = 0; i < n; i++) {
        types.u8(0x60).u32(i % 8);
        for (int p = 0; p < i % 8; p++) {
          types.u8(0x7F);
        }
        types.u8(0);
      }
    }
    module.vectorSection(ModuleWriter.TYPE, this == TYPES ? n + 1 : 1, types);
    module.vectorSection(ModuleWriter.FUNCTION, 1, new WasmWriter().u8(0));
    if (this == ELEMENT_SEGMENTS) {
      module.vectorSection(ModuleWriter.TABLE, 1, new WasmWriter().raw(0x70, 0, 1)); // funcref, min 1
    }
    if (this == DATA_SEGMENTS) {
      module.vectorSection(ModuleWriter.MEMORY, 1, new WasmWriter().raw(0, 1)); // min 1 page
    }
    if (this == GLOBALS) {
      WasmWriter globals = new WasmWriter();
      for (int i = 0; i < n; i++) {
        globals.raw(0x7E, 1, 0x42, 0, 0x0B); // mut i64 = i64.const 0
      }
      module.section(ModuleWriter.GLOBAL, new WasmWriter().u32(n).bytes(globals));
    }
    module.vectorSection(ModuleWriter.EXPORT, 1, new WasmWriter().name("_start").raw(0, 0));
    if (this == ELEMENT_SEGMENTS) {
      WasmWriter elements = new WasmWriter();
      for (int i = 0; i < n; i++) {
        elements.raw(0, 0x41, 0, 0x0B, 1, 0); // active, table 0, offset i32.const 0, [function 0]
      }
      module.section(ModuleWriter.ELEMENT, new WasmWriter().u32(n).bytes(elements));
    }
    if (this == DATA_SEGMENTS) {
      module.section(ModuleWriter.DATA_COUNT, new WasmWriter().u32(n));
    }
    module.vectorSection(ModuleWriter.CODE, 1, new WasmWriter().raw(2, 0, 0x0B));
    if (this == DATA_SEGMENTS) {
      WasmWriter data = new WasmWriter();
      for (int i = 0; i < n; i++) {
        data.raw(0, 0x41, 0, 0x0B, 1, 0x41); // active, memory 0, offset i32.const 0, one byte
      }
      module.section(ModuleWriter.DATA, new WasmWriter().u32(n).bytes(data));
    }
    if (this == CUSTOM_SECTIONS) {
      for (int i = 0; i < n; i++) {
        module.custom("c", new byte[0]);
      }
    }
    return module.toByteArray();
  }
}
