package dev.kiln.loader.instance;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.VmShape;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The loader's own description of a VMContext as an FFM {@link StructLayout} with one named member
 * per field, built from the module's counts in the order ARCHITECTURE.md section 4 gives (store
 * context, memories, globals, tables, builtins, imported functions, VMFuncRefs, type ids). The
 * instance writes every field through {@link #offset}; a test checks each member's offset and size
 * against the compiler's {@code dev.kiln.artifact.vm.VmLayout}, so the one layout definition the
 * compiled code uses is also the one the loader fills in. FFM refuses a member at an offset its
 * alignment forbids, so a layout whose padding disagrees cannot even be built.
 *
 * <p>Member names are those of {@code VmLayout.fields()}: {@code memory[i].base}, {@code global[i]},
 * {@code func_ref[i].type_id} and so on, with index-space numbers (imports first).
 */
final class VmContextView {
  /** A defined global's slot: 16 bytes, 16-aligned, the value little-endian at its start. */
  private static final MemoryLayout GLOBAL_SLOT = MemoryLayout.sequenceLayout(16, JAVA_BYTE).withByteAlignment(16);

  private final StructLayout layout;
  /**
   * Member offsets by name, recorded while the layout is built: {@link StructLayout#byteOffset}
   * searches the members one by one, and instantiation asks for every field, which would make it
   * quadratic in the number of VMFuncRefs, types and segments.
   */
  private final Map<String, Long> offsets = new HashMap<>();

  public VmContextView(VmShape shape) {
    List<MemoryLayout> members = new ArrayList<>();
    Cursor at = new Cursor(members, offsets);
    at.add(ADDRESS.withName("store_context"));
    for (int i = 0; i < shape.memories(); i++) {
      if (i < shape.importedMemories()) {
        at.add(ADDRESS.withName("memory[" + i + "].import"));
      } else {
        at.add(ADDRESS.withName("memory[" + i + "].base"));
        at.add(JAVA_LONG.withName("memory[" + i + "].length"));
        at.add(JAVA_LONG.withName("memory[" + i + "].max_length"));
      }
    }
    for (int i = 0; i < shape.importedGlobals(); i++) {
      at.add(ADDRESS.withName("global[" + i + "].import"));
    }
    // The defined-globals array starts 16-aligned even when it is empty (the rule VmLayout follows).
    at.padTo(GLOBAL_SLOT.byteAlignment());
    for (int i = shape.importedGlobals(); i < shape.globals(); i++) {
      at.add(GLOBAL_SLOT.withName("global[" + i + "]"));
    }
    for (int i = 0; i < shape.tables(); i++) {
      if (i < shape.importedTables()) {
        at.add(ADDRESS.withName("table[" + i + "].import"));
      } else {
        at.add(ADDRESS.withName("table[" + i + "].base"));
        at.add(JAVA_LONG.withName("table[" + i + "].length"));
      }
    }
    for (int b = 0; b < shape.builtins(); b++) {
      String name = b < Builtin.COUNT ? Builtin.ofIndex(b).text() : Integer.toString(b);
      at.add(ADDRESS.withName("builtin[" + name + "]"));
    }
    for (int i = 0; i < shape.importedFunctions(); i++) {
      at.add(ADDRESS.withName("import[" + i + "].wasm_call"));
      at.add(ADDRESS.withName("import[" + i + "].array_call"));
      at.add(ADDRESS.withName("import[" + i + "].vmctx"));
    }
    for (int i = 0; i < shape.escapingFunctions(); i++) {
      at.add(ADDRESS.withName("func_ref[" + i + "].array_call"));
      at.add(ADDRESS.withName("func_ref[" + i + "].wasm_call"));
      at.add(JAVA_INT.withName("func_ref[" + i + "].type_id"));
      at.add(ADDRESS.withName("func_ref[" + i + "].vmctx"));
    }
    for (int i = 0; i < shape.types(); i++) {
      at.add(JAVA_INT.withName("type_id[" + i + "]"));
    }
    for (int i = 0; i < shape.elementSegments(); i++) {
      at.add(ADDRESS.withName("element_segment[" + i + "].base"));
      at.add(JAVA_LONG.withName("element_segment[" + i + "].length"));
    }
    for (int i = 0; i < shape.dataSegments(); i++) {
      at.add(ADDRESS.withName("data_segment[" + i + "].base"));
      at.add(JAVA_LONG.withName("data_segment[" + i + "].length"));
    }
    at.padTo(16);
    layout = MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new)).withByteAlignment(16);
  }

  /** Appends members, inserting the padding each one's natural alignment needs. */
  private static final class Cursor {
    private final List<MemoryLayout> members;
    private final Map<String, Long> offsets;
    private long offset;

    Cursor(List<MemoryLayout> members, Map<String, Long> offsets) {
      this.members = members;
      this.offsets = offsets;
    }

    void add(MemoryLayout member) {
      padTo(member.byteAlignment());
      members.add(member);
      offsets.put(member.name().orElseThrow(), offset);
      offset += member.byteSize();
    }

    void padTo(long alignment) {
      long padding = (-offset) & (alignment - 1);
      if (padding > 0) {
        members.add(MemoryLayout.paddingLayout(padding));
        offset += padding;
      }
    }
  }

  public StructLayout layout() {
    return layout;
  }

  /** Bytes to allocate (16-byte aligned). */
  public long size() {
    return layout.byteSize();
  }

  /** The byte offset of the member {@code name}. */
  public long offset(String name) {
    Long offset = offsets.get(name);
    if (offset == null) {
      throw new IllegalArgumentException("no VMContext member " + name);
    }
    return offset;
  }

  /** The size of the member {@code name}. */
  public long sizeOf(String name) {
    return layout.select(MemoryLayout.PathElement.groupElement(name)).byteSize();
  }
}
