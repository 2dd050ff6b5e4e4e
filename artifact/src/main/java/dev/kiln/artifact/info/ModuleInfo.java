package dev.kiln.artifact.info;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.VmShape;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything the loader needs to instantiate a module, decoded from {@code .kiln.info}. Index spaces
 * follow the wasm rule (spec 2.5.1): imports first, then definitions, so function {@code i} is
 * imported while {@code i < importedFunctionCount()}; {@link #tables}, {@link #memories}, {@link
 * #globals} and {@link #functionTypes} list only what the module defines.
 *
 * <p>The constructor checks every cross-reference (type, function, table, memory and global indices,
 * unique export names, the start function's type, and that every exported or referenced function
 * has a VMFuncRef) and types every constant expression against what it initialises ({@link
 * ConstExprChecker}), so an encoder cannot write, and a decoder cannot return, info the loader would
 * have to distrust.
 *
 * @param types the type section
 * @param imports imports in order
 * @param functionTypes the type index of each defined function
 * @param tables defined tables
 * @param memories defined memories
 * @param globals defined globals
 * @param exports exports in order
 * @param start the start function's index, if any
 * @param elements element segments in order
 * @param data data segments in order
 * @param escaping function indices of the functions that escape (exported, in an element segment,
 *     or named by {@code ref.func}), ascending; position {@code i} is VMFuncRef {@code i} of the
 *     VMContext
 * @param functionNames names by function index, for backtraces (any subset)
 * @param tags the type index of each defined exception tag (WebAssembly 3.0 tag section); each
 *     names a type without results
 * @param precise the precise types behind {@code types} and the tables', globals' and element
 *     segments' types ({@link PreciseTypes}), checked to have those representations
 * @param tableInitialisers the initial value of each defined table that gives one (WebAssembly 3.0
 *     {@code (table n t expr)}), by defined table index; the others start null
 */
public record ModuleInfo(
    List<FuncType> types,
    List<Import> imports,
    List<Integer> functionTypes,
    List<TableType> tables,
    List<MemoryType> memories,
    List<Global> globals,
    List<Export> exports,
    OptionalInt start,
    List<ElementSegment> elements,
    List<DataSegment> data,
    List<Integer> escaping,
    Map<Integer, String> functionNames,
    List<Integer> tags,
    PreciseTypes precise,
    Map<Integer, ConstExpr> tableInitialisers) {

  /**
   * The stage whose compile deadline the cross-reference checks poll: {@link ModuleInfoDecoder}
   * binds the load's; unbound, it is the assembly's, where the compiler builds the info it writes.
   * Declared before {@link #EMPTY}, whose construction during the class's initialisation reads it.
   */
  static final ScopedValue<Phase> CHECKED_IN = ScopedValue.newInstance();

  public ModuleInfo {
    types = List.copyOf(types);
    imports = List.copyOf(imports);
    functionTypes = List.copyOf(functionTypes);
    tables = List.copyOf(tables);
    memories = List.copyOf(memories);
    globals = List.copyOf(globals);
    exports = List.copyOf(exports);
    Objects.requireNonNull(start);
    elements = List.copyOf(elements);
    data = List.copyOf(data);
    escaping = List.copyOf(escaping);
    tags = List.copyOf(tags);
    // The decoder's table is immutable and ordered already, and makes its strings only when read.
    functionNames = functionNames instanceof FunctionNameTable decoded ? decoded
        : Collections.unmodifiableSortedMap(new TreeMap<>(functionNames));
    List<dev.kiln.wasm.types.SubType> objectTypes = precise == null ? List.of() : precise.section().subTypes();
    new Checker(types, imports, functionTypes, tables, memories, globals, exports, start, elements, data, escaping,
        functionNames, tags, objectTypes).run();
    Objects.requireNonNull(precise, "precise").check(types, tableTypes(imports, tables), globalTypes(imports, globals),
        elements);
    tableInitialisers = Collections.unmodifiableSortedMap(new TreeMap<>(tableInitialisers));
    new InitialiserChecker(imports, functionTypes, tables, memories, globals, elements, data, escaping, precise,
        tableInitialisers).run();
  }

  /** Info with precise types, no exception tags and no table initialisers. */
  public ModuleInfo(List<FuncType> types, List<Import> imports, List<Integer> functionTypes, List<TableType> tables,
      List<MemoryType> memories, List<Global> globals, List<Export> exports, OptionalInt start,
      List<ElementSegment> elements, List<DataSegment> data, List<Integer> escaping, Map<Integer, String> functionNames,
      PreciseTypes precise) {
    this(types, imports, functionTypes, tables, memories, globals, exports, start, elements, data, escaping,
        functionNames, List.of(), precise, Map.of());
  }

  /** Info whose types are all WebAssembly 2.0 types (the precise types are the representations), with tags. */
  public ModuleInfo(List<FuncType> types, List<Import> imports, List<Integer> functionTypes, List<TableType> tables,
      List<MemoryType> memories, List<Global> globals, List<Export> exports, OptionalInt start,
      List<ElementSegment> elements, List<DataSegment> data, List<Integer> escaping, Map<Integer, String> functionNames,
      List<Integer> tags) {
    this(types, imports, functionTypes, tables, memories, globals, exports, start, elements, data, escaping,
        functionNames, tags, PreciseTypes.plain(types, tableTypes(imports, tables), globalTypes(imports, globals),
            elements), Map.of());
  }

  /** Info of a WebAssembly 2.0 module: no tags, and the precise types are the representations. */
  public ModuleInfo(List<FuncType> types, List<Import> imports, List<Integer> functionTypes, List<TableType> tables,
      List<MemoryType> memories, List<Global> globals, List<Export> exports, OptionalInt start,
      List<ElementSegment> elements, List<DataSegment> data, List<Integer> escaping, Map<Integer, String> functionNames) {
    this(types, imports, functionTypes, tables, memories, globals, exports, start, elements, data, escaping,
        functionNames, List.of());
  }

  /** Every table's type in the table index space: the imported ones, then {@code defined}. */
  static List<TableType> tableTypes(List<Import> imports, List<TableType> defined) {
    return indexSpace(imports, ImportDesc.Table.class, ImportDesc.Table::type, defined);
  }

  /** Every global's type in the global index space: the imported ones, then {@code defined}'s. */
  static List<GlobalType> globalTypes(List<Import> imports, List<Global> defined) {
    return indexSpace(imports, ImportDesc.Global.class, ImportDesc.Global::type, defined.stream().map(Global::type)
        .toList());
  }

  /** An index space in order: what the imports of {@code kind} declare, then {@code defined}. */
  private static <D extends ImportDesc, T> List<T> indexSpace(List<Import> imports, Class<D> kind,
      Function<D, T> ofImport, List<T> defined) {
    List<T> all = new java.util.ArrayList<>();
    for (Import i : imports) {
      if (kind.isInstance(i.desc())) {
        all.add(ofImport.apply(kind.cast(i.desc())));
      }
    }
    all.addAll(defined);
    return all;
  }

  /**
   * Whether {@code .kiln.info} ends after the function names: every type is a WebAssembly 2.0 type
   * ({@link #precise} need not be stored) and no table has an initialiser.
   */
  public boolean onlyWasm2() {
    return tableInitialisers.isEmpty() && plainTypes();
  }

  /** Whether {@link #precise} need not be stored: every type is a WebAssembly 2.0 type. */
  public boolean plainTypes() {
    return precise.isPlain(types, tableTypes(imports, tables), globalTypes(imports, globals), elements);
  }

  /** A module with nothing in it. */
  public static final ModuleInfo EMPTY = new ModuleInfo(List.of(), List.of(), List.of(), List.of(), List.of(),
      List.of(), List.of(), OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of());

  /** A loop, not a stream: instantiation asks this on every instance (issue 41's allocation-free cycle). */
  private long importCount(ExternKind kind) {
    long count = 0;
    for (int i = 0; i < imports.size(); i++) {
      if (imports.get(i).desc().kind() == kind) {
        count++;
      }
    }
    return count;
  }

  public int importedFunctionCount() {
    return (int) importCount(ExternKind.FUNCTION);
  }

  public int importedTableCount() {
    return (int) importCount(ExternKind.TABLE);
  }

  public int importedMemoryCount() {
    return (int) importCount(ExternKind.MEMORY);
  }

  public int importedGlobalCount() {
    return (int) importCount(ExternKind.GLOBAL);
  }

  public int importedTagCount() {
    return (int) importCount(ExternKind.TAG);
  }

  /** The type index of tag {@code tagIndex} (imports first). */
  public int tagType(int tagIndex) {
    return inIndexSpace(ImportDesc.Tag.class, ImportDesc.Tag::typeIndex, tags, tagIndex, "tag");
  }

  /** Imported plus defined functions. */
  public int functionCount() {
    return importedFunctionCount() + functionTypes.size();
  }

  /** The type index of function {@code functionIndex} (imported or defined). */
  public int typeOfFunction(int functionIndex) {
    return inIndexSpace(ImportDesc.Function.class, ImportDesc.Function::typeIndex, functionTypes, functionIndex,
        "function");
  }

  /** The type of table {@code tableIndex} (imported, as the import declares it, or defined). */
  public TableType tableType(int tableIndex) {
    return inIndexSpace(ImportDesc.Table.class, ImportDesc.Table::type, tables, tableIndex, "table");
  }

  /** The type of memory {@code memoryIndex} (imported, as the import declares it, or defined). */
  public MemoryType memoryType(int memoryIndex) {
    return inIndexSpace(ImportDesc.Memory.class, ImportDesc.Memory::type, memories, memoryIndex, "memory");
  }

  /** The type of global {@code globalIndex} (imported, as the import declares it, or defined). */
  public GlobalType globalType(int globalIndex) {
    return inIndexSpace(ImportDesc.Global.class, ImportDesc.Global::type, globals.stream().map(Global::type).toList(),
        globalIndex, "global");
  }

  /** Entry {@code index} of an index space: imports of {@code kind} first, then {@code defined}. */
  private <D extends ImportDesc, T> T inIndexSpace(Class<D> kind, Function<D, T> ofImport, List<T> defined,
      int index, String what) {
    int imported = 0;
    for (Import i : imports) {
      if (kind.isInstance(i.desc())) {
        if (imported == index) {
          return ofImport.apply(kind.cast(i.desc()));
        }
        imported++;
      }
    }
    if (index < imported || index - imported >= defined.size()) {
      throw new IndexOutOfBoundsException(what + " " + index + " of " + (imported + defined.size()));
    }
    return defined.get(index - imported);
  }

  /**
   * The VMFuncRef index of {@code functionIndex}, if it escapes: a binary search of the ascending
   * escaping list (instantiation asks once per element segment item, and a large module's tables
   * hold thousands).
   */
  public OptionalInt funcRefIndex(int functionIndex) {
    int at = Collections.binarySearch(escaping, functionIndex);
    return at < 0 ? OptionalInt.empty() : OptionalInt.of(at);
  }

  /** The counts the VMContext layout depends on, with the current builtin list. */
  public VmShape vmShape() {
    return new VmShape(importedFunctionCount(), importedMemoryCount(), memories.size(), importedTableCount(),
        tables.size(), importedGlobalCount(), globals.size(), escaping.size(), types.size(), Builtin.SLOTTED,
        elements.size(), data.size(), importedTagCount() + tags.size());
  }

  /** The cross-reference checks, one method per family. */
  private record Checker(List<FuncType> types, List<Import> imports, List<Integer> functionTypes,
      List<TableType> tables, List<MemoryType> memories, List<Global> globals, List<Export> exports,
      OptionalInt start, List<ElementSegment> elements, List<DataSegment> data, List<Integer> escaping,
      Map<Integer, String> functionNames, List<Integer> tags, List<dev.kiln.wasm.types.SubType> objectTypes) {

    /**
     * A function's or tag's type index names a function type (WebAssembly 3.0 spec 3.4.x: a
     * function's and a tag's type must expand to a func composite type). The funcref-shaped list
     * {@code types} has an entry for a struct or array type too, so the precise section decides:
     * runtime code casts the composite to a function type.
     */
    private void functionType(int typeIndex, String what) {
      index(typeIndex, types.size(), "type of " + what);
      if (!isFunctionType(typeIndex)) {
        throw new IllegalArgumentException("type of " + what + " (type " + typeIndex + ") is not a function type");
      }
    }

    /** Whether {@code typeIndex} names a function type: what {@link #functionType} checks, without a message. */
    private boolean isFunctionType(int typeIndex) {
      return typeIndex >= 0 && typeIndex < types.size() && (typeIndex >= objectTypes.size()
          || objectTypes.get(typeIndex).composite() instanceof dev.kiln.wasm.types.FuncType);
    }

    /** A tag's type is a function type with no results (WebAssembly 3.0 spec 3.2.x, tag types). */
    private void tagType(int typeIndex, String what) {
      functionType(typeIndex, what);
      if (!types.get(typeIndex).results().isEmpty()) {
        throw new IllegalArgumentException("type of " + what + " has results");
      }
    }

    private static int count(List<? extends Object> list, long imported, String what) {
      long total = imported + list.size();
      if (total > VmShape.MAX_COUNT) {
        throw new IllegalArgumentException("more than " + VmShape.MAX_COUNT + " " + what);
      }
      return (int) total;
    }

    void run() {
      Polls polls = new Polls();
      long[] imported = new long[ExternKind.values().length];
      for (Import i : imports) {
        polls.next();
        imported[i.desc().kind().ordinal()]++;
      }
      count(types, 0, "types");
      count(imports, 0, "imports");
      count(exports, 0, "exports");
      count(elements, 0, "element segments");
      count(data, 0, "data segments");
      int functions = count(functionTypes, imported[ExternKind.FUNCTION.ordinal()], "functions");
      int tableCount = count(tables, imported[ExternKind.TABLE.ordinal()], "tables");
      int memoryCount = count(memories, imported[ExternKind.MEMORY.ordinal()], "memories");
      int globalCount = count(globals, imported[ExternKind.GLOBAL.ordinal()], "globals");
      int tagCount = count(tags, imported[ExternKind.TAG.ordinal()], "tags");
      for (Import i : imports) {
        polls.next();
        if (i.desc() instanceof ImportDesc.Function f) {
          functionType(f.typeIndex(), "imported function " + i.module() + "." + i.name());
        }
        if (i.desc() instanceof ImportDesc.Tag t) {
          tagType(t.typeIndex(), "imported tag " + i.module() + "." + i.name());
        }
      }
      for (int t = 0; t < tags.size(); t++) {
        polls.next();
        tagType(tags.get(t), "defined tag " + t);
      }
      // A call per function (CompileDeadline.forEach polls as Polls does), which makes the
      // function's message only when its type fails.
      CompileDeadline.forEach(polls.phase(), functionTypes.size(), f -> {
        if (!isFunctionType(functionTypes.get(f))) {
          functionType(functionTypes.get(f), "defined function " + f);
        }
      });
      BitSet escapes = new BitSet();
      int previous = -1;
      for (int f : escaping) {
        polls.next();
        index(f, functions, "escaping function");
        if (f <= previous) {
          throw new IllegalArgumentException("escaping function " + f + " listed after " + previous
              + " (the list is ascending, one entry per function)");
        }
        previous = f;
        escapes.set(f);
      }
      Set<String> exportNames = new HashSet<>();
      for (Export e : exports) {
        polls.next();
        if (!exportNames.add(e.name())) {
          throw new IllegalArgumentException("two exports named \"" + e.name() + "\"");
        }
        int bound = switch (e.kind()) {
          case FUNCTION -> functions;
          case TABLE -> tableCount;
          case MEMORY -> memoryCount;
          case GLOBAL -> globalCount;
          case TAG -> tagCount;
        };
        index(e.index(), bound, "export \"" + e.name() + "\"");
        if (e.kind() == ExternKind.FUNCTION) {
          requireEscapes(escapes, e.index(), "exported");
        }
      }
      if (start.isPresent()) {
        int s = index(start.getAsInt(), functions, "start function");
        int typeIndex = s < functions - functionTypes.size() ? importedType(s) : functionTypes.get(s - (functions
            - functionTypes.size()));
        FuncType type = types.get(typeIndex);
        if (!type.params().isEmpty() || !type.results().isEmpty()) {
          throw new IllegalArgumentException("start function " + s + " must have type [] -> [] (spec 2.5.9)");
        }
      }
      for (int i = 0; i < elements.size(); i++) {
        polls.next();
        ElementSegment seg = elements.get(i);
        String what = "element segment " + i;
        if (seg.mode() == SegmentMode.ACTIVE) {
          index(seg.tableIndex(), tableCount, what + " table");
        }
        if (seg.items() instanceof ElementItems.Functions fs) {
          for (int k = 0; k < fs.size(); k++) {
            polls.next();
            int f = fs.function(k);
            index(f, functions, what + " item");
            requireEscapes(escapes, f, "in " + what);
          }
        }
      }
      for (int i = 0; i < data.size(); i++) {
        polls.next();
        DataSegment seg = data.get(i);
        if (seg.mode() == SegmentMode.ACTIVE) {
          index(seg.memoryIndex(), memoryCount, "data segment " + i + " memory");
        }
      }
      for (int f : functionNames.keySet()) {
        polls.next();
        index(f, functions, "named function");
      }
    }

    private int importedType(int importedFunction) {
      int seen = 0;
      for (Import i : imports) {
        if (i.desc() instanceof ImportDesc.Function f && seen++ == importedFunction) {
          return f.typeIndex();
        }
      }
      throw new IllegalStateException("imported function " + importedFunction + " not found");
    }
  }

  /**
   * Polls the deadline once every {@link CompileDeadline#POLL_INTERVAL} items of the checks' loops
   * (or, for a loop run as {@link CompileDeadline#forEach}, names its phase), as the decoder polls
   * the reading of the same records: their number is the module's to choose (an element segment may
   * hold as many items as its file has bytes).
   */
  private static final class Polls {
    private final Phase phase = CHECKED_IN.orElse(Phase.ASSEMBLY);
    private long items;

    void next() {
      CompileDeadline.pollCounted(phase, items++);
    }

    Phase phase() {
      return phase;
    }
  }

  static int index(int index, int bound, String what) {
    if (index < 0 || index >= bound) {
      throw new IllegalArgumentException(what + ": index " + Integer.toUnsignedString(index) + " out of range (" + bound
          + ")");
    }
    return index;
  }

  /** The functions of {@code escaping} as a set read without boxing (a check per element item). */
  private static BitSet escapeSet(List<Integer> escaping) {
    BitSet set = new BitSet();
    escaping.forEach(set::set);
    return set;
  }

  static void requireEscapes(BitSet escapes, int function, String how) {
    if (function < 0 || !escapes.get(function)) {
      throw new IllegalArgumentException("function " + function + " is " + how + " but has no VMFuncRef (not escaping)");
    }
  }

  /**
   * Types every constant expression against what it initialises (WebAssembly 3.0 spec 3.4.x,
   * "modules"): a global's initialiser against the global's type, a table's against its element
   * type, an element segment's items against the segment's element type, which an active segment's
   * must match in its table's (spec 3.4.x, "element segments"), and an offset as the address type of
   * its table or memory (i64 for a 64-bit one, else i32). Runs after Checker and PreciseTypes.check,
   * so every index it looks up by is in range. Function items of an element segment are typed as
   * {@code ref.func} is, once per function type a segment uses.
   */
  private record InitialiserChecker(List<Import> imports, List<Integer> functionTypes, List<TableType> tables,
      List<MemoryType> memories, List<Global> globals, List<ElementSegment> elements, List<DataSegment> data,
      List<Integer> escaping, PreciseTypes precise, Map<Integer, ConstExpr> tableInitialisers) {
    void run() {
      Polls polls = new Polls();
      int[] functionTypeIndices = java.util.stream.IntStream.concat(imports.stream()
          .filter(i -> i.desc() instanceof ImportDesc.Function)
          .mapToInt(i -> ((ImportDesc.Function) i.desc()).typeIndex()),
          functionTypes.stream().mapToInt(Integer::intValue)).toArray();
      List<TableType> allTables = tableTypes(imports, tables);
      List<MemoryType> allMemories = indexSpace(imports, ImportDesc.Memory.class, ImportDesc.Memory::type, memories);
      List<GlobalType> allGlobals = globalTypes(imports, globals);
      int importedGlobals = allGlobals.size() - globals.size();
      ConstExprChecker exprs = new ConstExprChecker(functionTypeIndices, escapeSet(escaping), precise.globals(),
          allGlobals, precise.section());
      for (Map.Entry<Integer, ConstExpr> init : tableInitialisers.entrySet()) {
        polls.next();
        int table = index(init.getKey(), tables.size(), "initialised table");
        int inIndexSpace = allTables.size() - tables.size() + table;
        exprs.check(init.getValue(), precise.tables().get(inIndexSpace), importedGlobals, "initialiser of table " + table);
      }
      for (int g = 0; g < globals.size(); g++) {
        polls.next();
        exprs.check(globals.get(g).init(), precise.globals().get(importedGlobals + g), importedGlobals + g,
            "initialiser of global " + (importedGlobals + g));
      }
      for (int i = 0; i < elements.size(); i++) {
        polls.next();
        ElementSegment seg = elements.get(i);
        String what = "element segment " + i;
        dev.kiln.wasm.types.RefType type = precise.elements().get(i);
        if (seg.mode() == SegmentMode.ACTIVE) {
          if (!precise.section().matcher().matches(type, precise.tables().get(seg.tableIndex()))) {
            throw new IllegalArgumentException(what + " holds " + type + ", which table " + seg.tableIndex()
                + " of " + precise.tables().get(seg.tableIndex()) + " cannot");
          }
          exprs.check(seg.offset().orElseThrow(), addressType(allTables.get(seg.tableIndex()).is64()),
              allGlobals.size(), what + " offset");
        }
        // instanceof rather than a pattern switch (ConstExprChecker.check says why)
        if (seg.items() instanceof ElementItems.Functions fs) {
          BitSet fitting = new BitSet();
          for (int k = 0; k < fs.size(); k++) {
            polls.next();
            int typeIndex = functionTypeIndices[fs.function(k)];
            if (!fitting.get(typeIndex)) {
              dev.kiln.wasm.types.RefType item = new dev.kiln.wasm.types.RefType(false,
                  new dev.kiln.wasm.types.HeapType.Concrete(typeIndex));
              if (!exprs.fits(item, type)) {
                throw new IllegalArgumentException(what + " item " + k + " is function " + fs.function(k)
                    + " of type " + item + ", not of " + type);
              }
              fitting.set(typeIndex);
            }
          }
        } else {
          for (ConstExpr e : ((ElementItems.Expressions) seg.items()).exprs()) {
            polls.next();
            exprs.check(e, type, allGlobals.size(), what + " item");
          }
        }
      }
      for (int i = 0; i < data.size(); i++) {
        polls.next();
        DataSegment seg = data.get(i);
        if (seg.mode() == SegmentMode.ACTIVE) {
          exprs.check(seg.offset().orElseThrow(), addressType(allMemories.get(seg.memoryIndex()).is64()),
              allGlobals.size(), "data segment " + i + " offset");
        }
      }
    }

    /** A table's or memory's address type (memory64 proposal; spec 3.0 2.3.x "address types"). */
    private static dev.kiln.wasm.types.ValType addressType(boolean is64) {
      return is64 ? dev.kiln.wasm.types.ValType.I64 : dev.kiln.wasm.types.ValType.I32;
    }
  }
}
