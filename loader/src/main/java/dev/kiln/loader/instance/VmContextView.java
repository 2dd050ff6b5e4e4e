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
 * The loader's own description of a VMContext: one member per field, in the order
 * docs/ARCHITECTURE.md section 4 gives (store context, memories, globals, tables, builtins,
 * imported functions, VMFuncRefs, type ids, segments), each at the offset its FFM layout's size and
 * alignment give. The instance writes every field through {@link #offset}; a test checks each
 * member's offset and size against the compiler's {@code dev.kiln.artifact.vm.VmLayout}, so the one
 * layout definition the compiled code uses is also the one the loader fills in. As an FFM {@link
 * StructLayout} ({@link #layout}), a layout whose padding disagrees with its members' alignment
 * cannot even be built.
 *
 * <p>Member names are those of {@code VmLayout.fields()}: {@code memory[i].base}, {@code global[i]},
 * {@code func_ref[i].type_id} and so on, with index-space numbers (imports first).
 *
 * <p>Every instance makes one, so making it is cheap: the members are walked once for their offsets
 * only, kept per family ({@code func_ref[].type_id}) in an array by index, with no name built and
 * no layout object made per member (a large module has thousands: regex's VMContext has some 1,500
 * fields, and naming each cost its instantiation 2-4 ms in a cold JVM). The named struct layout is
 * made only when asked for.
 */
final class VmContextView {
  /** A defined global's slot: 16 bytes, 16-aligned, the value little-endian at its start. */
  private static final MemoryLayout GLOBAL_SLOT = MemoryLayout.sequenceLayout(16, JAVA_BYTE).withByteAlignment(16);
  /** The builtins' family: indexed by {@code Builtin.index()}, named by their text. */
  private static final String BUILTIN = "builtin";

  private final VmShape shape;
  /**
   * By family key ({@link #key}): the offset by index (one element for a field with no index), -1
   * for an index the family has no such field for (a defined memory has no {@code .import}).
   */
  private final Map<String, long[]> offsets = new HashMap<>();
  /**
   * The indexed families' entries of {@link #offsets} again, by family and then suffix, so that
   * {@link #offset(String, int, String)}, asked several times per instantiation, builds no key.
   */
  private final Map<String, Map<String, long[]>> indexed = new HashMap<>();
  private final long size;
  private StructLayout layout;

  public VmContextView(VmShape shape) {
    this(shape, InstantiationDeadline.NONE);
  }

  /**
   * The view of {@code shape}, whose fields (as many as the module declares globals, segments,
   * types...) tick {@code deadline} as they are walked.
   */
  VmContextView(VmShape shape, InstantiationDeadline deadline) {
    this.shape = shape;
    OffsetRecorder recorder = new OffsetRecorder(deadline);
    walk(recorder);
    this.size = recorder.end;
  }

  /**
   * Receives the members in order: a field named {@code family[index]suffix} ({@code index} -1:
   * {@code family} alone) of kind {@code kind}, out of {@code count} of its family; or padding to an
   * alignment.
   */
  private interface Members {
    void field(String family, int index, int count, String suffix, MemoryLayout kind);

    void padTo(long alignment);
  }

  /** The members of this shape's VMContext, in order. */
  private void walk(Members m) {
    m.field("store_context", -1, 1, "", ADDRESS);
    int memories = shape.memories();
    for (int i = 0; i < memories; i++) {
      if (i < shape.importedMemories()) {
        m.field("memory", i, memories, ".import", ADDRESS);
      } else {
        m.field("memory", i, memories, ".base", ADDRESS);
        m.field("memory", i, memories, ".length", JAVA_LONG);
        m.field("memory", i, memories, ".max_length", JAVA_LONG);
      }
    }
    int globals = shape.globals();
    for (int i = 0; i < shape.importedGlobals(); i++) {
      m.field("global", i, globals, ".import", ADDRESS);
    }
    // The defined-globals array starts 16-aligned even when it is empty (the rule VmLayout follows).
    m.padTo(GLOBAL_SLOT.byteAlignment());
    for (int i = shape.importedGlobals(); i < globals; i++) {
      m.field("global", i, globals, "", GLOBAL_SLOT);
    }
    int tables = shape.tables();
    for (int i = 0; i < tables; i++) {
      if (i < shape.importedTables()) {
        m.field("table", i, tables, ".import", ADDRESS);
      } else {
        m.field("table", i, tables, ".base", ADDRESS);
        m.field("table", i, tables, ".length", JAVA_LONG);
      }
    }
    for (int b = 0; b < shape.builtins(); b++) {
      m.field(BUILTIN, b, shape.builtins(), "", ADDRESS);
    }
    int imports = shape.importedFunctions();
    for (int i = 0; i < imports; i++) {
      m.field("import", i, imports, ".wasm_call", ADDRESS);
      m.field("import", i, imports, ".array_call", ADDRESS);
      m.field("import", i, imports, ".vmctx", ADDRESS);
    }
    int funcRefs = shape.escapingFunctions();
    for (int i = 0; i < funcRefs; i++) {
      m.field("func_ref", i, funcRefs, ".array_call", ADDRESS);
      m.field("func_ref", i, funcRefs, ".wasm_call", ADDRESS);
      m.field("func_ref", i, funcRefs, ".type_id", JAVA_INT);
      m.field("func_ref", i, funcRefs, ".vmctx", ADDRESS);
    }
    for (int i = 0; i < shape.types(); i++) {
      m.field("type_id", i, shape.types(), "", JAVA_INT);
    }
    for (int i = 0; i < shape.elementSegments(); i++) {
      m.field("element_segment", i, shape.elementSegments(), ".base", ADDRESS);
      m.field("element_segment", i, shape.elementSegments(), ".length", JAVA_LONG);
    }
    for (int i = 0; i < shape.dataSegments(); i++) {
      m.field("data_segment", i, shape.dataSegments(), ".base", ADDRESS);
      m.field("data_segment", i, shape.dataSegments(), ".length", JAVA_LONG);
    }
    for (int i = 0; i < shape.tags(); i++) {
      m.field("tag", i, shape.tags(), "", JAVA_LONG);
    }
    m.padTo(16);
  }

  /**
   * A member's name as {@code VmLayout.fields()} spells it: {@code family[index]suffix}, a builtin's
   * index as its name ({@code builtin[memory_grow]}), or {@code family} alone with no index.
   */
  private static String memberName(String family, int index, String suffix) {
    if (index < 0) {
      return family;
    }
    String inBrackets = family.equals(BUILTIN) && index < Builtin.COUNT ? Builtin.ofIndex(index).text()
        : Integer.toString(index);
    return family + "[" + inBrackets + "]" + suffix;
  }

  /** The index of the builtin named {@code name} in member names (its text, or a number past them). */
  private static int builtinIndex(String name) {
    for (int b = 0; b < Builtin.COUNT; b++) {
      if (Builtin.ofIndex(b).text().equals(name)) {
        return b;
      }
    }
    return Integer.parseInt(name);
  }

  /** The map key of a family's field: {@code family[]suffix}, or {@code family} with no index. */
  private static String key(String family, boolean indexed, String suffix) {
    return indexed ? family + "[]" + suffix : family;
  }

  /** The offset pass: each member after its predecessor, aligned as its kind requires. */
  private final class OffsetRecorder implements Members {
    private final InstantiationDeadline deadline;
    long end;

    OffsetRecorder(InstantiationDeadline deadline) {
      this.deadline = deadline;
    }

    @Override
    public void field(String family, int index, int count, String suffix, MemoryLayout kind) {
      deadline.tick();
      padTo(kind.byteAlignment());
      String key = key(family, index >= 0, suffix);
      long[] at = offsets.get(key);
      if (at == null) {
        at = new long[Math.max(count, 1)];
        java.util.Arrays.fill(at, -1); // an index this family has no such field for
        offsets.put(key, at);
        if (index >= 0) {
          indexed.computeIfAbsent(family, unused -> new HashMap<>()).put(suffix, at);
        }
      }
      at[Math.max(index, 0)] = end;
      end += kind.byteSize();
    }

    @Override
    public void padTo(long alignment) {
      end += (-end) & (alignment - 1);
    }
  }

  /** The VMContext as a named FFM struct layout, made on first request. */
  public synchronized StructLayout layout() {
    if (layout == null) {
      List<MemoryLayout> members = new ArrayList<>();
      walk(new Members() {
        long at;

        @Override
        public void field(String family, int index, int count, String suffix, MemoryLayout kind) {
          padTo(kind.byteAlignment());
          members.add(kind.withName(memberName(family, index, suffix)));
          at += kind.byteSize();
        }

        @Override
        public void padTo(long alignment) {
          long padding = (-at) & (alignment - 1);
          if (padding > 0) {
            members.add(MemoryLayout.paddingLayout(padding));
            at += padding;
          }
        }
      });
      layout = MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new)).withByteAlignment(16);
    }
    return layout;
  }

  /** Bytes to allocate (16-byte aligned). */
  public long size() {
    return size;
  }

  /**
   * The counts the view was made from: what an instance asks of its module's shape (how many
   * memories, globals, functions are imported), kept here because {@code ModuleInfo.vmShape()}
   * counts the imports anew on each call and the view is made once per module.
   */
  VmShape shape() {
    return shape;
  }

  /**
   * The byte offset of the member {@code name} ({@code func_ref[3].type_id}, {@code store_context},
   * {@code builtin[memory_grow]}): for a name as {@code VmLayout.fields()} spells it. Code that has the
   * index in hand asks {@link #offset(String, int, String)} and builds no name.
   */
  public long offset(String name) {
    int open = name.indexOf('[');
    int close = name.indexOf(']', open + 1);
    if (open > 0 && close > open) {
      String family = name.substring(0, open);
      int index;
      try {
        index = family.equals(BUILTIN) ? builtinIndex(name.substring(open + 1, close))
            : Integer.parseInt(name, open + 1, close, 10);
      } catch (NumberFormatException e) {
        throw noMember(name);
      }
      return offset(family, index, name.substring(close + 1));
    }
    long[] at = offsets.get(name);
    if (at == null) {
      throw noMember(name);
    }
    return at[0];
  }

  /** The byte offset of the member {@code family[index]suffix} ({@code "func_ref", 3, ".type_id"}). */
  public long offset(String family, int index, String suffix) {
    Map<String, long[]> bySuffix = indexed.get(family);
    long[] at = bySuffix == null ? null : bySuffix.get(suffix);
    if (at == null || index < 0 || index >= at.length || at[index] < 0) {
      throw noMember(memberName(family, index, suffix));
    }
    return at[index];
  }

  private static IllegalArgumentException noMember(String name) {
    return new IllegalArgumentException("no VMContext member " + name);
  }

  /** The size of the member {@code name}. */
  public long sizeOf(String name) {
    return layout().select(MemoryLayout.PathElement.groupElement(name)).byteSize();
  }
}
