package dev.kiln.wat.resolve;

import dev.kiln.wat.Edition;
import dev.kiln.wat.ast.CompType;
import dev.kiln.wat.ast.HeapType;
import dev.kiln.wat.ast.Imm;
import dev.kiln.wat.ast.Instr;
import dev.kiln.wat.ast.Limits;
import dev.kiln.wat.ast.ModuleField;
import dev.kiln.wat.ast.ModuleField.SegmentMode;
import dev.kiln.wat.ast.Ref;
import dev.kiln.wat.ast.TextModule;
import dev.kiln.wat.ast.TypeUse;
import dev.kiln.wat.ast.ValType;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.Shape;
import dev.kiln.wat.binary.TypeCodes;
import dev.kiln.wat.binary.WasmWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a text-level module into the binary format in two passes. The first binds every
 * identifier of the module-level contexts (spec 6.6.4) and settles the type index of every type
 * use in text order, so the function types that inline signatures add are numbered as the spec
 * says; the second writes each section (spec 5.5), resolving identifiers as it goes.
 *
 * <p>Where the binary format offers a choice the encoder takes the one the 3.0 reference
 * interpreter takes ({@code interpreter/binary/encode.ml}): LEB128 without padding, the one-byte
 * forms of nullable abstract reference types, a recursion group of one written as its type alone,
 * an empty {@code else} left out, function indices in an element segment only when its type is
 * {@code (ref func)}, a table whose initialiser is the null it gets anyway written without it, and
 * table or memory index 0 left implicit. A block type naming a function type with no parameters
 * and at most one result is written as that result, as wabt does. A name section is written only
 * when asked for ({@link Names#WRITTEN}): the spec suite compares modules byte for byte, and a
 * module's meaning does not depend on it.
 */
public final class ModuleEncoder {
  private final String fileName;
  private final List<ModuleField> fields;
  private final Scope scope;
  private boolean usesDataIndex;
  private final String moduleName;
  /** Identifiers by index for the name section, or null when none is written. */
  private final Map<Integer, String> functionNames;
  private final Map<Integer, Map<Integer, String>> localNames;

  /** Whether the binary carries the text's identifiers in a name section (the custom section of
   * the spec's appendix, "Name Section", 7.4.1 in 2.0). */
  public enum Names {
    /** The module's, functions' and locals' identifiers, for backtraces and disassembly. */
    WRITTEN,
    /** No name section: the bytes the reference interpreter writes. */
    OMITTED
  }

  private ModuleEncoder(TextModule module, String fileName, Edition edition, Names names) {
    this.fileName = fileName;
    this.fields = module.fields();
    this.moduleName = module.id();
    this.functionNames = names == Names.WRITTEN ? new TreeMap<>() : null;
    this.localNames = names == Names.WRITTEN ? new TreeMap<>() : null;
    this.scope = new Scope(new Types(fields, fileName), space("function"), space("table"), space("memory"),
        space("global"), space("tag"), space("elem segment"), space("data segment"), new ArrayList<>(), edition);
  }

  /** The module's bytes in the binary format, with the text rules of {@code edition}. */
  public static byte[] encode(TextModule module, String fileName, Edition edition, Names names) {
    ModuleEncoder encoder = new ModuleEncoder(module, fileName, edition, names);
    encoder.bind();
    return encoder.write();
  }

  private IndexSpace space(String what) {
    return new IndexSpace(what, fileName);
  }

  /** Pass one: identifiers and type uses, in text order. */
  private void bind() {
    for (ModuleField field : fields) {
      switch (field) {
        case ModuleField.Import i -> {
          switch (i.desc()) {
            case ModuleField.ImportDesc.Func f -> {
              scope.funcs().add(f.id(), i.at());
              scope.types().use(f.type());
            }
            case ModuleField.ImportDesc.Table t -> scope.tables().add(t.id(), i.at());
            case ModuleField.ImportDesc.Memory m -> {
              scope.memories().add(m.id(), i.at());
              scope.memory64().add(m.type().limits().address64());
            }
            case ModuleField.ImportDesc.Global g -> scope.globals().add(g.id(), i.at());
            case ModuleField.ImportDesc.Tag t -> {
              scope.tags().add(t.id(), i.at());
              scope.types().use(t.type());
            }
          }
        }
        case ModuleField.Func f -> {
          scope.funcs().add(f.id(), f.at());
          scope.types().use(f.type());
          useTypes(f.body());
        }
        case ModuleField.Table t -> {
          scope.tables().add(t.id(), t.at());
          useTypes(t.init());
        }
        case ModuleField.Memory m -> {
          scope.memories().add(m.id(), m.at());
          scope.memory64().add(m.type().limits().address64());
        }
        case ModuleField.Global g -> {
          scope.globals().add(g.id(), g.at());
          useTypes(g.init());
        }
        case ModuleField.Tag t -> {
          scope.tags().add(t.id(), t.at());
          scope.types().use(t.type());
        }
        case ModuleField.Elem e -> {
          scope.elems().add(e.id(), e.at());
          if (e.mode() instanceof SegmentMode.Active a) {
            useTypes(a.offset());
          }
          e.items().forEach(this::useTypes);
        }
        case ModuleField.Data d -> {
          scope.datas().add(d.id(), d.at());
          if (d.mode() instanceof SegmentMode.Active a) {
            useTypes(a.offset());
          }
        }
        case ModuleField.Rec r -> { }
        case ModuleField.Export e -> { }
        case ModuleField.Start s -> { }
      }
    }
  }

  /** The type uses inside instructions: block types that need an index, call_indirect's type. */
  private void useTypes(List<Instr> code) {
    if (code == null) {
      return;
    }
    for (Instr instr : code) {
      Shape shape = instr.op().shape();
      if (shape == Shape.BLOCK || shape == Shape.TRY_TABLE) {
        TypeUse type = ((Imm.Block) instr.immediates().getFirst()).type();
        if (scope.types().inlineBlockResults(type) == null) {
          scope.types().use(type);
        }
      } else if (shape == Shape.CALL_INDIRECT) {
        scope.types().use(((Imm.Block) instr.immediates().get(1)).type());
      }
    }
  }

  /** Pass two: the sections in the order of spec 5.5.16. */
  private byte[] write() {
    WasmWriter imports = new WasmWriter();
    WasmWriter functions = new WasmWriter();
    WasmWriter tables = new WasmWriter();
    WasmWriter memories = new WasmWriter();
    WasmWriter tags = new WasmWriter();
    WasmWriter globals = new WasmWriter();
    WasmWriter exports = new WasmWriter();
    WasmWriter start = null;
    WasmWriter elems = new WasmWriter();
    WasmWriter code = new WasmWriter();
    WasmWriter datas = new WasmWriter();
    int importCount = 0;
    int functionCount = 0;
    int tableCount = 0;
    int memoryCount = 0;
    int tagCount = 0;
    int globalCount = 0;
    int exportCount = 0;
    int elemCount = 0;
    int dataCount = 0;
    // Definition indices, counted as pass one did, for inline exports of anonymous definitions.
    int funcIndex = 0;
    int tableIndex = 0;
    int memoryIndex = 0;
    int globalIndex = 0;
    int tagIndex = 0;
    Types types = scope.types();
    for (ModuleField field : fields) {
      switch (field) {
        case ModuleField.Import i -> {
          importCount++;
          imports.name(i.module()).name(i.name());
          int kind;
          int index;
          switch (i.desc()) {
            case ModuleField.ImportDesc.Func f -> {
              imports.u8(0x00).u32(types.use(f.type()));
              kind = 0;
              index = funcIndex++;
              nameFunction(index, f.id());
            }
            case ModuleField.ImportDesc.Table t -> {
              imports.u8(0x01);
              tableType(imports, t.type());
              kind = 1;
              index = tableIndex++;
            }
            case ModuleField.ImportDesc.Memory m -> {
              memoryType(imports.u8(0x02), m.type());
              kind = 2;
              index = memoryIndex++;
            }
            case ModuleField.ImportDesc.Global g -> {
              globalType(imports.u8(0x03), g.type());
              kind = 3;
              index = globalIndex++;
            }
            case ModuleField.ImportDesc.Tag t -> {
              imports.u8(0x04).u8(0x00).u32(types.use(t.type()));
              kind = 4;
              index = tagIndex++;
            }
          }
          exportCount += exports(exports, i.exports(), kind, index);
        }
        case ModuleField.Func f -> {
          functionCount++;
          functions.u32(types.use(f.type()));
          nameFunction(funcIndex, f.id());
          WasmWriter body = new WasmWriter();
          function(body, f, funcIndex);
          exportCount += exports(exports, f.exports(), 0, funcIndex++);
          code.u32(body.size()).bytes(body);
        }
        case ModuleField.Table t -> {
          tableCount++;
          if (t.init() == null || isNullOf(t.init(), t.type().element())) {
            tableType(tables, t.type());
          } else {
            // A table with an initialiser (spec 5.5.7): 0x40 0x00, the type, the expression.
            tables.u8(0x40).u8(0x00);
            tableType(tables, t.type());
            constant(tables, t.init());
          }
          exportCount += exports(exports, t.exports(), 1, tableIndex++);
        }
        case ModuleField.Memory m -> {
          memoryCount++;
          memoryType(memories, m.type());
          exportCount += exports(exports, m.exports(), 2, memoryIndex++);
        }
        case ModuleField.Global g -> {
          globalCount++;
          globalType(globals, g.type());
          constant(globals, g.init());
          exportCount += exports(exports, g.exports(), 3, globalIndex++);
        }
        case ModuleField.Tag t -> {
          tagCount++;
          tags.u8(0x00).u32(types.use(t.type()));
          exportCount += exports(exports, t.exports(), 4, tagIndex++);
        }
        case ModuleField.Export e -> {
          exportCount++;
          exports.name(e.name()).u8(e.kind()).u32(spaceOf(e.kind()).resolve(e.ref()));
        }
        case ModuleField.Start s -> {
          start = new WasmWriter().u32(scope.funcs().resolve(s.func()));
        }
        case ModuleField.Elem e -> {
          elemCount++;
          elem(elems, e);
        }
        case ModuleField.Data d -> {
          dataCount++;
          data(datas, d);
        }
        case ModuleField.Rec r -> { }
      }
    }
    ModuleWriter module = new ModuleWriter();
    types.write(module);
    module.vectorSection(ModuleWriter.IMPORT, importCount, imports);
    module.vectorSection(ModuleWriter.FUNCTION, functionCount, functions);
    module.vectorSection(ModuleWriter.TABLE, tableCount, tables);
    module.vectorSection(ModuleWriter.MEMORY, memoryCount, memories);
    module.vectorSection(ModuleWriter.TAG, tagCount, tags);
    module.vectorSection(ModuleWriter.GLOBAL, globalCount, globals);
    module.vectorSection(ModuleWriter.EXPORT, exportCount, exports);
    if (start != null) {
      module.section(ModuleWriter.START, start);
    }
    module.vectorSection(ModuleWriter.ELEMENT, elemCount, elems);
    if (usesDataIndex) {
      // Required when code names a data segment (spec 5.5.15), so decoding needs no second pass.
      module.section(ModuleWriter.DATA_COUNT, new WasmWriter().u32(dataCount));
    }
    module.vectorSection(ModuleWriter.CODE, functionCount, code);
    module.vectorSection(ModuleWriter.DATA, dataCount, datas);
    if (functionNames != null && (moduleName != null || !functionNames.isEmpty() || !localNames.isEmpty())) {
      module.custom("name", nameSection());
    }
    return module.toByteArray();
  }

  private void nameFunction(int index, String id) {
    if (functionNames != null && id != null) {
      functionNames.put(index, id);
    }
  }

  private void nameLocal(int function, int index, String id) {
    if (localNames != null && id != null) {
      localNames.computeIfAbsent(function, f -> new TreeMap<>()).put(index, id);
    }
  }

  /**
   * The name section's payload (spec appendix, "Name Section"): subsections in order of their id, the
   * module name (0), the function names (1, a name map) and the local names (2, an indirect name
   * map), each as its id, its size and its content; name maps in increasing index order, which the
   * tree maps give. Empty subsections are left out.
   */
  private byte[] nameSection() {
    WasmWriter payload = new WasmWriter();
    if (moduleName != null) {
      subsection(payload, 0, new WasmWriter().name(moduleName));
    }
    if (!functionNames.isEmpty()) {
      subsection(payload, 1, nameMap(functionNames));
    }
    if (!localNames.isEmpty()) {
      WasmWriter indirect = new WasmWriter().u32(localNames.size());
      localNames.forEach((function, names) -> indirect.u32(function).bytes(nameMap(names)));
      subsection(payload, 2, indirect);
    }
    return payload.toByteArray();
  }

  private static WasmWriter nameMap(Map<Integer, String> names) {
    WasmWriter map = new WasmWriter().u32(names.size());
    names.forEach((index, name) -> map.u32(index).name(name));
    return map;
  }

  private static void subsection(WasmWriter payload, int id, WasmWriter content) {
    payload.u8(id).u32(content.size()).bytes(content);
  }

  /** Whether {@code init} is the null a table gets anyway, so the short form is exact. */
  private static boolean isNullOf(List<Instr> init, ValType.Reference element) {
    return init.size() == 1 && init.getFirst().op().name().equals("ref.null")
        && ((Imm.Heap) init.getFirst().immediates().getFirst()).heap().equals(element.heap());
  }

  private IndexSpace spaceOf(int kind) {
    return switch (kind) {
      case 0 -> scope.funcs();
      case 1 -> scope.tables();
      case 2 -> scope.memories();
      case 3 -> scope.globals();
      default -> scope.tags();
    };
  }

  private static int exports(WasmWriter w, List<String> names, int kind, int index) {
    for (String name : names) {
      w.name(name).u8(kind).u32(index);
    }
    return names.size();
  }

  /** A function's code entry (spec 5.5.13): locals grouped by runs of one type, then the body. */
  private void function(WasmWriter w, ModuleField.Func f, int funcIndex) {
    IndexSpace locals = new IndexSpace("local", fileName);
    Types types = scope.types();
    if (f.type().type() != null && !f.type().hasInlineSignature()) {
      for (int i = types.paramCount(f.type()); i > 0; i--) {
        locals.add(null, f.at());
      }
    } else {
      for (CompType.Param p : f.type().params()) {
        nameLocal(funcIndex, locals.add(p.name(), f.type().at()), p.name());
      }
    }
    WasmWriter groups = new WasmWriter();
    int groupCount = 0;
    int i = 0;
    List<CompType.Param> declared = f.locals();
    while (i < declared.size()) {
      byte[] type = valTypeBytes(declared.get(i).type());
      int j = i;
      while (j < declared.size() && Arrays.equals(valTypeBytes(declared.get(j).type()), type)) {
        nameLocal(funcIndex, locals.add(declared.get(j).name(), f.at()), declared.get(j).name());
        j++;
      }
      groups.u32(j - i).bytes(type);
      groupCount++;
      i = j;
    }
    w.u32(groupCount).bytes(groups);
    CodeWriter writer = new CodeWriter(scope, locals, fileName);
    writer.expression(w, f.body());
    usesDataIndex |= writer.usesDataIndex();
  }

  private byte[] valTypeBytes(ValType type) {
    WasmWriter w = new WasmWriter();
    scope.types().valType(w, type);
    return w.toByteArray();
  }

  private void constant(WasmWriter w, List<Instr> expr) {
    CodeWriter writer = new CodeWriter(scope, new IndexSpace("local", fileName), fileName);
    writer.expression(w, expr);
    usesDataIndex |= writer.usesDataIndex();
  }

  /**
   * Limits with their flags (spec 5.3.7): bit 0 a maximum follows, bit 1 (threads proposal, memories
   * only) the memory is shared, bit 2 the address type is i64.
   */
  private static void limits(WasmWriter w, Limits limits, boolean shared) {
    w.u8((limits.max() != null ? 1 : 0) | (shared ? 2 : 0) | (limits.address64() ? 4 : 0));
    w.u64(limits.min());
    if (limits.max() != null) {
      w.u64(limits.max());
    }
  }

  private void tableType(WasmWriter w, ModuleField.TableType type) {
    scope.types().refType(w, type.element());
    limits(w, type.limits(), false);
  }

  /** A memory type (spec 5.3.8): its limits, whose flags carry {@code shared}. */
  private static void memoryType(WasmWriter w, ModuleField.MemoryType type) {
    limits(w, type.limits(), type.shared());
  }

  private void globalType(WasmWriter w, ModuleField.GlobalType type) {
    scope.types().valType(w, type.type());
    w.u8(type.mutable() ? 1 : 0);
  }

  /**
   * An element segment (spec 5.5.12). Flags: bit 0 passive or declarative, bit 1 with bit 0
   * clear an explicit table index (else declarative), bit 2 items as expressions. Items are written
   * as function indices only when that decodes to the same segment: type {@code (ref func)} and
   * every item one {@code ref.func} (spec 5.5.12 decodes flags 0-3 with that type); flag 4 is
   * active in table 0 with type {@code funcref}.
   */
  private void elem(WasmWriter w, ModuleField.Elem e) {
    boolean funcHeap = e.type().heap() instanceof HeapType.Abstract a && a.code() == TypeCodes.FUNC;
    boolean indices = funcHeap && !e.type().nullable() && e.items().stream()
        .allMatch(item -> item.size() == 1 && item.getFirst().op().name().equals("ref.func"));
    int flags = indices ? 0 : 4;
    long table = 0;
    switch (e.mode()) {
      case SegmentMode.Passive p -> flags |= 1;
      case SegmentMode.Declarative d -> flags |= 3;
      case SegmentMode.Active a -> {
        table = a.target() == null ? 0 : scope.tables().resolve(a.target());
        boolean implicitType = indices || funcHeap && e.type().nullable();
        if (table != 0 || !implicitType) {
          flags |= 2;
        }
      }
    }
    w.u32(flags);
    if (e.mode() instanceof SegmentMode.Active a) {
      if ((flags & 2) != 0) {
        w.u32(table);
      }
      constant(w, a.offset());
    }
    if ((flags & 3) != 0) {
      if (indices) {
        w.u8(0x00);
      } else {
        scope.types().refType(w, e.type());
      }
    }
    w.u32(e.items().size());
    for (List<Instr> item : e.items()) {
      if (indices) {
        Ref func = ((Imm.Index) item.getFirst().immediates().getFirst()).ref();
        w.u32(scope.funcs().resolve(func));
      } else {
        constant(w, item);
      }
    }
  }

  /** A data segment (spec 5.5.14): flags 0 active in memory 0, 1 passive, 2 active with an index. */
  private void data(WasmWriter w, ModuleField.Data d) {
    switch (d.mode()) {
      case SegmentMode.Passive p -> w.u8(0x01);
      case SegmentMode.Active a -> {
        long memory = a.target() == null ? 0 : scope.memories().resolve(a.target());
        if (memory == 0) {
          w.u8(0x00);
        } else {
          w.u8(0x02).u32(memory);
        }
        constant(w, a.offset());
      }
      case SegmentMode.Declarative x -> throw new IllegalStateException("a data segment is never declarative");
    }
    w.name(d.bytes());
  }
}
