package dev.kiln.artifact.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Byte offsets of every field of one module's VMContext, computed from its {@link VmShape}. The
 * compiler's function environment and the loader both use this one class, so they cannot disagree
 * (docs/ARCHITECTURE.md section 4). The order and the byte diagram are in this package's
 * package-info; sizes of the repeated records are the {@code *_SIZE} constants here.
 *
 * <p>All pointers are 8 bytes (both targets are 64-bit); every field is naturally aligned; the
 * whole block is a multiple of 16 bytes so defined globals (16-byte slots) stay aligned when the
 * loader allocates the block 16-aligned. The loader writes and reads pointer fields as 64-bit
 * integers (a segment's {@code address()}), not through {@code ValueLayout.ADDRESS}: the JDK builds
 * that layout's accessors on first use from the long ones plus an adapter, which in a cold JVM cost
 * a one-shot {@code kiln run} 2-3 ms of instantiation (docs/history/performance-journal.md,
 * "Instantiation after the binding").
 */
public final class VmLayout {
  /** Offset of the pointer to the store context. Fixed for every shape (agreed with the loader). */
  public static final int STORE_CONTEXT = 0;

  /** Size of a pointer on every supported target. */
  public static final int POINTER_SIZE = 8;

  /** Memory definition {@code {base, length, max_length}}: base address of the memory's bytes. */
  public static final int MEMORY_BASE = 0;
  /** Memory definition: current length in bytes (u64); memory.size is {@code length >> 16}. */
  public static final int MEMORY_LENGTH = 8;
  /**
   * Memory definition: the length in bytes the memory may grow to (u64): its maximum, capped by
   * its reservation. Written once by its owner; read by the compiled memory.grow.
   */
  public static final int MEMORY_MAX_LENGTH = 16;
  public static final int MEMORY_DEFINITION_SIZE = 24;

  /** Table definition {@code {base, length}}: address of slot 0. */
  public static final int TABLE_BASE = 0;
  /** Table definition: current number of elements (u64). */
  public static final int TABLE_LENGTH = 8;
  public static final int TABLE_DEFINITION_SIZE = 16;

  /** A defined global's slot: wide enough for every value type including v128. */
  public static final int GLOBAL_SIZE = 16;

  /** Imported function record {@code {wasm_call, array_call, vmctx}}: wasm-convention entry. */
  public static final int IMPORT_WASM_CALL = 0;
  /** Imported function record: array-convention entry (for the host's benefit). */
  public static final int IMPORT_ARRAY_CALL = 8;
  /** Imported function record: the callee's vmctx (its instance, or the host function's data). */
  public static final int IMPORT_VMCTX = 16;
  public static final int IMPORT_SIZE = 24;

  /** VMFuncRef {@code {array_call, wasm_call, type_id, vmctx}} (docs/ARCHITECTURE.md section 4). */
  public static final int FUNC_REF_ARRAY_CALL = 0;
  public static final int FUNC_REF_WASM_CALL = 8;
  /** VMFuncRef: the callee's type id, a u32 followed by 4 bytes of padding. */
  public static final int FUNC_REF_TYPE_ID = 16;
  public static final int FUNC_REF_VMCTX = 24;
  public static final int FUNC_REF_SIZE = 32;

  /** Type ids are u32s. */
  public static final int TYPE_ID_SIZE = 4;

  /**
   * Segment record {@code {base, length}} (element and data segments alike): address of the
   * segment's first item (a data byte, or an 8-byte table slot value for an element segment).
   */
  public static final int SEGMENT_BASE = 0;
  /** Segment record: items left (u64); 0 once dropped, and for active and declarative segments. */
  public static final int SEGMENT_LENGTH = 8;
  public static final int SEGMENT_SIZE = 16;

  /**
   * A tag's identity (u64): the same nonzero value in every instance that imports or defines that
   * tag instance, different for every other tag; an exception object records its tag's ({@link
   * ExceptionLayout#TAG}).
   */
  public static final int TAG_SIZE = 8;

  private final VmShape shape;
  private final int memoriesStart;
  private final int definedMemoriesStart;
  private final int globalsStart;
  private final int definedGlobalsStart;
  private final int tablesStart;
  private final int definedTablesStart;
  private final int builtinsStart;
  private final int importsStart;
  private final int funcRefsStart;
  private final int typeIdsStart;
  private final int elementSegmentsStart;
  private final int dataSegmentsStart;
  private final int tagsStart;
  private final int size;

  public VmLayout(VmShape shape) {
    this.shape = Objects.requireNonNull(shape, "shape");
    int at = STORE_CONTEXT + POINTER_SIZE;
    // Memory 0 first: every load and store reads its base and length.
    memoriesStart = at;
    definedMemoriesStart = memoriesStart + POINTER_SIZE * shape.importedMemories();
    at = definedMemoriesStart + MEMORY_DEFINITION_SIZE * shape.definedMemories();
    globalsStart = at;
    definedGlobalsStart = align(globalsStart + POINTER_SIZE * shape.importedGlobals(), GLOBAL_SIZE);
    at = definedGlobalsStart + GLOBAL_SIZE * shape.definedGlobals();
    tablesStart = at;
    definedTablesStart = tablesStart + POINTER_SIZE * shape.importedTables();
    at = definedTablesStart + TABLE_DEFINITION_SIZE * shape.definedTables();
    builtinsStart = at;
    at = builtinsStart + POINTER_SIZE * shape.builtins();
    importsStart = at;
    at = importsStart + IMPORT_SIZE * shape.importedFunctions();
    funcRefsStart = at;
    at = funcRefsStart + FUNC_REF_SIZE * shape.escapingFunctions();
    typeIdsStart = at;
    at = typeIdsStart + TYPE_ID_SIZE * shape.types();
    elementSegmentsStart = align(at, POINTER_SIZE);
    at = elementSegmentsStart + SEGMENT_SIZE * shape.elementSegments();
    dataSegmentsStart = at;
    at = dataSegmentsStart + SEGMENT_SIZE * shape.dataSegments();
    tagsStart = at;
    at = tagsStart + TAG_SIZE * shape.tags();
    size = align(at, 16);
  }

  private static int align(int offset, int alignment) {
    return (offset + alignment - 1) & -alignment;
  }

  public VmShape shape() {
    return shape;
  }

  /** Total size in bytes; the loader allocates this many, 16-byte aligned. */
  public int size() {
    return size;
  }

  // ---------------------------------------------------------------- memories

  /** Where memory {@code memoryIndex} (imports first) keeps its {@code {base, length}}. */
  public VmLocation memory(int memoryIndex) {
    Objects.checkIndex(memoryIndex, shape.memories());
    return memoryIndex < shape.importedMemories()
        ? new VmLocation.ViaPointer(importedMemory(memoryIndex))
        : new VmLocation.Inline(memoryBase(memoryIndex - shape.importedMemories()));
  }

  /** Offset of the pointer to imported memory {@code importIndex}'s definition. */
  public int importedMemory(int importIndex) {
    Objects.checkIndex(importIndex, shape.importedMemories());
    return memoriesStart + POINTER_SIZE * importIndex;
  }

  /** Offset of defined memory {@code definedIndex}'s base address. */
  public int memoryBase(int definedIndex) {
    Objects.checkIndex(definedIndex, shape.definedMemories());
    return definedMemoriesStart + MEMORY_DEFINITION_SIZE * definedIndex + MEMORY_BASE;
  }

  /** Offset of defined memory {@code definedIndex}'s length in bytes (u64). */
  public int memoryLength(int definedIndex) {
    return memoryBase(definedIndex) - MEMORY_BASE + MEMORY_LENGTH;
  }

  /** Offset of defined memory {@code definedIndex}'s maximum length in bytes (u64). */
  public int memoryMaxLength(int definedIndex) {
    return memoryBase(definedIndex) - MEMORY_BASE + MEMORY_MAX_LENGTH;
  }

  // ---------------------------------------------------------------- globals

  /** Where global {@code globalIndex} (imports first) keeps its value. */
  public VmLocation global(int globalIndex) {
    Objects.checkIndex(globalIndex, shape.globals());
    return globalIndex < shape.importedGlobals()
        ? new VmLocation.ViaPointer(importedGlobal(globalIndex))
        : new VmLocation.Inline(definedGlobal(globalIndex - shape.importedGlobals()));
  }

  /** Offset of the pointer to imported global {@code importIndex}'s value. */
  public int importedGlobal(int importIndex) {
    Objects.checkIndex(importIndex, shape.importedGlobals());
    return globalsStart + POINTER_SIZE * importIndex;
  }

  /** Offset of defined global {@code definedIndex}'s 16-byte slot (value little-endian at 0). */
  public int definedGlobal(int definedIndex) {
    Objects.checkIndex(definedIndex, shape.definedGlobals());
    return definedGlobalsStart + GLOBAL_SIZE * definedIndex;
  }

  // ---------------------------------------------------------------- tables

  /** Where table {@code tableIndex} (imports first) keeps its {@code {base, length}}. */
  public VmLocation table(int tableIndex) {
    Objects.checkIndex(tableIndex, shape.tables());
    return tableIndex < shape.importedTables()
        ? new VmLocation.ViaPointer(importedTable(tableIndex))
        : new VmLocation.Inline(tableBase(tableIndex - shape.importedTables()));
  }

  public int importedTable(int importIndex) {
    Objects.checkIndex(importIndex, shape.importedTables());
    return tablesStart + POINTER_SIZE * importIndex;
  }

  public int tableBase(int definedIndex) {
    Objects.checkIndex(definedIndex, shape.definedTables());
    return definedTablesStart + TABLE_DEFINITION_SIZE * definedIndex + TABLE_BASE;
  }

  public int tableLength(int definedIndex) {
    return tableBase(definedIndex) - TABLE_BASE + TABLE_LENGTH;
  }

  // ---------------------------------------------------------------- functions and types

  /** Offset of builtin {@code b}'s function pointer. */
  public int builtin(Builtin b) {
    return builtin(b.index());
  }

  public int builtin(int builtinIndex) {
    Objects.checkIndex(builtinIndex, shape.builtins());
    return builtinsStart + POINTER_SIZE * builtinIndex;
  }

  /** Offset of imported function {@code importIndex}'s record; add {@code IMPORT_*} for a field. */
  public int importedFunction(int importIndex) {
    Objects.checkIndex(importIndex, shape.importedFunctions());
    return importsStart + IMPORT_SIZE * importIndex;
  }

  /** Offset of escaping function {@code escapeIndex}'s VMFuncRef; add {@code FUNC_REF_*}. */
  public int funcRef(int escapeIndex) {
    Objects.checkIndex(escapeIndex, shape.escapingFunctions());
    return funcRefsStart + FUNC_REF_SIZE * escapeIndex;
  }

  /** Offset of type {@code typeIndex}'s u32 id. */
  public int typeId(int typeIndex) {
    Objects.checkIndex(typeIndex, shape.types());
    return typeIdsStart + TYPE_ID_SIZE * typeIndex;
  }

  /** Offset of element segment {@code segmentIndex}'s record; add {@code SEGMENT_*}. */
  public int elementSegment(int segmentIndex) {
    Objects.checkIndex(segmentIndex, shape.elementSegments());
    return elementSegmentsStart + SEGMENT_SIZE * segmentIndex;
  }

  /** Offset of data segment {@code segmentIndex}'s record; add {@code SEGMENT_*}. */
  public int dataSegment(int segmentIndex) {
    Objects.checkIndex(segmentIndex, shape.dataSegments());
    return dataSegmentsStart + SEGMENT_SIZE * segmentIndex;
  }

  /** Offset of tag {@code tagIndex}'s identity (imports first). */
  public int tag(int tagIndex) {
    Objects.checkIndex(tagIndex, shape.tags());
    return tagsStart + TAG_SIZE * tagIndex;
  }

  // ---------------------------------------------------------------- listing

  /**
   * Every field in offset order with its name, offset and size; the padding between them is not
   * listed. Names: {@code store_context}, {@code memory[i].import}, {@code memory[i].base}, {@code
   * memory[i].length}, {@code global[i].import}, {@code global[i]}, {@code table[i].import}, {@code
   * table[i].base}, {@code table[i].length}, {@code builtin[name]}, {@code import[i].wasm_call},
   * {@code .array_call}, {@code .vmctx}, {@code func_ref[i].array_call}, {@code .wasm_call},
   * {@code .type_id}, {@code .vmctx}, {@code type_id[i]}, {@code element_segment[i].base}, {@code
   * .length}, {@code data_segment[i].base}, {@code .length}, {@code tag[i]} (memory, table and global numbers are
   * index-space numbers, imports first).
   */
  public List<VmField> fields() {
    List<VmField> out = new ArrayList<>();
    out.add(new VmField("store_context", STORE_CONTEXT, POINTER_SIZE));
    int im = shape.importedMemories();
    for (int i = 0; i < shape.memories(); i++) {
      if (i < im) {
        out.add(new VmField("memory[" + i + "].import", importedMemory(i), POINTER_SIZE));
      } else {
        out.add(new VmField("memory[" + i + "].base", memoryBase(i - im), 8));
        out.add(new VmField("memory[" + i + "].length", memoryLength(i - im), 8));
        out.add(new VmField("memory[" + i + "].max_length", memoryMaxLength(i - im), 8));
      }
    }
    int ig = shape.importedGlobals();
    for (int i = 0; i < shape.globals(); i++) {
      out.add(i < ig
          ? new VmField("global[" + i + "].import", importedGlobal(i), POINTER_SIZE)
          : new VmField("global[" + i + "]", definedGlobal(i - ig), GLOBAL_SIZE));
    }
    int it = shape.importedTables();
    for (int i = 0; i < shape.tables(); i++) {
      if (i < it) {
        out.add(new VmField("table[" + i + "].import", importedTable(i), POINTER_SIZE));
      } else {
        out.add(new VmField("table[" + i + "].base", tableBase(i - it), 8));
        out.add(new VmField("table[" + i + "].length", tableLength(i - it), 8));
      }
    }
    for (int b = 0; b < shape.builtins(); b++) {
      String name = b < Builtin.COUNT ? Builtin.ofIndex(b).text() : Integer.toString(b);
      out.add(new VmField("builtin[" + name + "]", builtin(b), POINTER_SIZE));
    }
    for (int i = 0; i < shape.importedFunctions(); i++) {
      int at = importedFunction(i);
      out.add(new VmField("import[" + i + "].wasm_call", at + IMPORT_WASM_CALL, POINTER_SIZE));
      out.add(new VmField("import[" + i + "].array_call", at + IMPORT_ARRAY_CALL, POINTER_SIZE));
      out.add(new VmField("import[" + i + "].vmctx", at + IMPORT_VMCTX, POINTER_SIZE));
    }
    for (int i = 0; i < shape.escapingFunctions(); i++) {
      int at = funcRef(i);
      out.add(new VmField("func_ref[" + i + "].array_call", at + FUNC_REF_ARRAY_CALL, 8));
      out.add(new VmField("func_ref[" + i + "].wasm_call", at + FUNC_REF_WASM_CALL, 8));
      out.add(new VmField("func_ref[" + i + "].type_id", at + FUNC_REF_TYPE_ID, TYPE_ID_SIZE));
      out.add(new VmField("func_ref[" + i + "].vmctx", at + FUNC_REF_VMCTX, 8));
    }
    for (int i = 0; i < shape.types(); i++) {
      out.add(new VmField("type_id[" + i + "]", typeId(i), TYPE_ID_SIZE));
    }
    for (int i = 0; i < shape.elementSegments(); i++) {
      out.add(new VmField("element_segment[" + i + "].base", elementSegment(i) + SEGMENT_BASE, 8));
      out.add(new VmField("element_segment[" + i + "].length", elementSegment(i) + SEGMENT_LENGTH, 8));
    }
    for (int i = 0; i < shape.dataSegments(); i++) {
      out.add(new VmField("data_segment[" + i + "].base", dataSegment(i) + SEGMENT_BASE, 8));
      out.add(new VmField("data_segment[" + i + "].length", dataSegment(i) + SEGMENT_LENGTH, 8));
    }
    for (int i = 0; i < shape.tags(); i++) {
      out.add(new VmField("tag[" + i + "]", tag(i), TAG_SIZE));
    }
    return out;
  }

  @Override
  public String toString() {
    return "VmLayout" + shape + " size=" + size;
  }
}
