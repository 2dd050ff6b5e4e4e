package dev.kiln.wasm.module;

import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.GlobalType;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.TableType;
import dev.kiln.wasm.types.TypeSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * A decoded module (spec 2.5). Immutable. Index spaces put imports first: function index {@code i}
 * is import {@code i} while {@code i < importedFunctionCount()}, else defined function
 * {@code i - importedFunctionCount()}; the same holds for tables, memories and globals.
 *
 * <p>Function bodies, constant expressions, data segments and custom sections point into
 * {@link #source()}, the module's bytes, instead of copying them; offsets are module byte offsets,
 * which is what error messages and the address map report.
 *
 * @param source the module's bytes, shared and never modified
 * @param typeSection the type section: recursion groups and subtype declarations ({@link #types()}
 *     is its function types by index, all the compiler needs)
 * @param imports the import section in order
 * @param functions type index of each defined function (function section)
 * @param tables defined tables
 * @param memories defined memories
 * @param globals defined globals
 * @param tags the type index of each defined exception tag (tag section, WebAssembly 3.0 5.5.10)
 * @param exports the export section in order
 * @param start the start function index, if any
 * @param elements element segments
 * @param dataCount the data count section's value, if present
 * @param code one body per defined function (code section)
 * @param data data segments
 * @param names the "name" custom section, decoded; {@link NameSection#EMPTY} when absent
 * @param customSections every custom section, including "name", in order
 * @param tablesWrittenByCode the tables (index space, imports first) that some function body names
 *     as the destination of {@code table.set}, {@code table.fill}, {@code table.grow}, {@code
 *     table.copy} or {@code table.init}: the only instructions that change a table, so a table
 *     outside this set that is neither imported nor exported keeps what instantiation put in it
 * @param firstExceptionInstruction where a function body first uses an exception handling
 *     instruction (throw, try_table, the legacy try...), or -1 when none does
 * @param offsets where each import, function, table, memory, global and export entry and the start
 *     section's index begin in {@code source}, for validation errors
 * @param tableInitialisers the initial value of each defined table that gives one (WebAssembly 3.0
 *     {@code (table n t expr)}, binary 0x40 0x00), by defined table index; the others start null
 */
public record Module(
    byte[] source,
    TypeSection typeSection,
    List<Import> imports,
    List<Integer> functions,
    List<TableType> tables,
    List<MemoryType> memories,
    List<Global> globals,
    List<Integer> tags,
    List<Export> exports,
    OptionalInt start,
    List<ElementSegment> elements,
    OptionalInt dataCount,
    List<FunctionBody> code,
    List<DataSegment> data,
    NameSection names,
    List<CustomSection> customSections,
    Set<Integer> tablesWrittenByCode,
    int firstExceptionInstruction,
    EntryOffsets offsets,
    Map<Integer, ConstExpr> tableInitialisers) {

  public Module {
    tableInitialisers = Map.copyOf(tableInitialisers);
    imports = List.copyOf(imports);
    functions = PackedInts.copyOf(functions);
    tables = List.copyOf(tables);
    memories = List.copyOf(memories);
    globals = List.copyOf(globals);
    tags = List.copyOf(tags);
    exports = List.copyOf(exports);
    elements = List.copyOf(elements);
    code = List.copyOf(code);
    data = List.copyOf(data);
    customSections = List.copyOf(customSections);
    tablesWrittenByCode = Set.copyOf(tablesWrittenByCode);
  }

  /** The function type of every defined type, by type index. */
  public List<FuncType> types() {
    return typeSection.types();
  }

  /**
   * Where entry {@code index} of the memory index space (imports first) begins: its import, or its
   * memory section entry.
   */
  public int memoryOffset(int index) {
    return offsetInIndexSpace(ImportDesc.Memory.class, index, offsets.memories());
  }

  /** Where entry {@code index} of the table index space (imports first) begins. */
  public int tableOffset(int index) {
    return offsetInIndexSpace(ImportDesc.Table.class, index, offsets.tables());
  }

  private int offsetInIndexSpace(Class<? extends ImportDesc> kind, int index, List<Integer> defined) {
    int seen = 0;
    for (int i = 0; i < imports.size(); i++) {
      if (kind.isInstance(imports.get(i).desc()) && seen++ == index) {
        return offsets.imports().get(i);
      }
    }
    return defined.get(index - seen);
  }

  public int importedFunctionCount() {
    return countImports(ImportDesc.Func.class);
  }

  public int importedTableCount() {
    return countImports(ImportDesc.Table.class);
  }

  public int importedMemoryCount() {
    return countImports(ImportDesc.Memory.class);
  }

  public int importedGlobalCount() {
    return countImports(ImportDesc.Global.class);
  }

  public int importedTagCount() {
    return countImports(ImportDesc.Tag.class);
  }

  /** The type index of every tag in the tag index space (imports first). */
  public List<Integer> allTagTypeIndices() {
    return indexSpace(ImportDesc.Tag.class, ImportDesc.Tag::typeIndex, tags);
  }

  /** Type index of function {@code funcIndex} in the function index space. */
  public int functionTypeIndex(int funcIndex) {
    int imported = 0;
    for (Import imp : imports) {
      if (imp.desc() instanceof ImportDesc.Func f) {
        if (imported == funcIndex) {
          return f.typeIndex();
        }
        imported++;
      }
    }
    return functions.get(funcIndex - imported);
  }

  /** The type index of every function in the function index space (imports first). */
  public List<Integer> allFunctionTypeIndices() {
    return indexSpace(ImportDesc.Func.class, ImportDesc.Func::typeIndex, functions);
  }

  /** Every table type in the table index space (imports first). */
  public List<TableType> allTables() {
    return indexSpace(ImportDesc.Table.class, ImportDesc.Table::type, tables);
  }

  /** Every memory type in the memory index space (imports first). */
  public List<MemoryType> allMemories() {
    return indexSpace(ImportDesc.Memory.class, ImportDesc.Memory::type, memories);
  }

  /** Every global type in the global index space (imports first). */
  public List<GlobalType> allGlobals() {
    return indexSpace(ImportDesc.Global.class, ImportDesc.Global::type, globals.stream().map(Global::type).toList());
  }

  /** One index space: what each import of {@code kind} brings, then the module's own {@code defined}. */
  private <D extends ImportDesc, T> List<T> indexSpace(Class<D> kind, Function<D, T> ofImport, List<T> defined) {
    List<T> all = new ArrayList<>();
    for (Import imp : imports) {
      if (kind.isInstance(imp.desc())) {
        all.add(ofImport.apply(kind.cast(imp.desc())));
      }
    }
    all.addAll(defined);
    return all;
  }

  private int countImports(Class<? extends ImportDesc> kind) {
    int n = 0;
    for (Import imp : imports) {
      if (kind.isInstance(imp.desc())) {
        n++;
      }
    }
    return n;
  }
}
