package dev.kiln.wasm.validate;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.ConstExpr;
import dev.kiln.wasm.module.DataSegment;
import dev.kiln.wasm.module.ElementSegment;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.ExternKind;
import dev.kiln.wasm.module.Global;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.SegmentMode;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.GlobalType;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.TableType;
import dev.kiln.wasm.types.TypeMatcher;
import dev.kiln.wasm.types.TypeSection;
import dev.kiln.wasm.types.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The context C of spec 3.1.1 for validating code: what a function body or constant expression may
 * refer to. Index spaces put imports first, as in {@link Module}. Locals and labels are per
 * function and live in {@link FunctionValidator}.
 *
 * @param features how the instruction bytes are read (see {@link Features})
 * @param typeSection the type section (C.types, with recursion groups and subtype declarations)
 * @param functionTypeIndices the type index of every function, imported ones first (C.funcs)
 * @param tables every table, imported first (C.tables)
 * @param memories every memory, imported first (C.mems)
 * @param globals every global, imported first (C.globals)
 * @param importedGlobalCount how many of {@code globals} are imports: in WebAssembly 2.0 constant
 *     expressions may read only those ({@link Features#wasm3()} lifts that)
 * @param elementTypes the reference type of each element segment (C.elems)
 * @param dataCount the data count section's value; empty when the module has no data count
 *     section, which makes memory.init and data.drop malformed (spec 5.5.16)
 * @param declaredFunctionReferences C.refs (spec 3.4.10): the functions named in exports, element
 *     segments or global initialisers, the only ones ref.func may name inside function bodies
 * @param tagTypeIndices the type index of every exception tag, imported first (C.tags, WebAssembly
 *     3.0 spec 3.1.1)
 */
public record ValidationContext(
    Features features,
    TypeSection typeSection,
    List<Integer> functionTypeIndices,
    List<TableType> tables,
    List<MemoryType> memories,
    List<GlobalType> globals,
    int importedGlobalCount,
    List<ValueType> elementTypes,
    OptionalInt dataCount,
    Set<Integer> declaredFunctionReferences,
    List<Integer> tagTypeIndices) {

  public ValidationContext {
    functionTypeIndices = List.copyOf(functionTypeIndices);
    tables = List.copyOf(tables);
    memories = List.copyOf(memories);
    globals = List.copyOf(globals);
    elementTypes = List.copyOf(elementTypes);
    declaredFunctionReferences = Set.copyOf(declaredFunctionReferences);
    tagTypeIndices = List.copyOf(tagTypeIndices);
    if (importedGlobalCount < 0 || importedGlobalCount > globals.size()) {
      throw new IllegalArgumentException("importedGlobalCount " + importedGlobalCount + " of " + globals.size());
    }
  }

  /**
   * The context of {@code module}: its index spaces, element types, data count and C.refs. Reads
   * the module's constant expressions to find the functions they reference, so a malformed
   * expression surfaces here as the decoder would report it.
   */
  public static ValidationContext of(Module module, Features features) {
    List<ValueType> elementTypes = new ArrayList<>();
    for (ElementSegment e : module.elements()) {
      elementTypes.add(e.reference());
    }
    return new ValidationContext(
        features,
        module.typeSection(),
        module.allFunctionTypeIndices(),
        module.allTables(),
        module.allMemories(),
        module.allGlobals(),
        module.importedGlobalCount(),
        elementTypes,
        module.dataCount(),
        declaredFunctionReferences(module, features),
        module.allTagTypeIndices());
  }

  /** C.refs (spec 3.4.10): every function index in exports, element segments, globals and table initialisers. */
  public static Set<Integer> declaredFunctionReferences(Module module, Features features) {
    Set<Integer> refs = new HashSet<>();
    long itemsRead = 0; // exports, globals and segments: the deadline is polled by their count
    for (Export e : module.exports()) {
      CompileDeadline.pollCounted(Phase.DECODE, itemsRead++);
      if (e.kind() == ExternKind.FUNC) {
        refs.add(e.index());
      }
    }
    for (Global g : module.globals()) {
      CompileDeadline.pollCounted(Phase.DECODE, itemsRead++);
      addReferences(g.init(), features, refs);
    }
    for (var init : module.tableInitialisers().values()) {
      CompileDeadline.pollCounted(Phase.DECODE, itemsRead++);
      addReferences(init, features, refs);
    }
    for (ElementSegment e : module.elements()) {
      CompileDeadline.pollCounted(Phase.DECODE, itemsRead++);
      // One segment may hold as many items as the file has bytes: they are polled too.
      switch (e.items()) {
        case ElementSegment.FunctionIndices f -> {
          for (int index : f.indices()) {
            CompileDeadline.pollCounted(Phase.DECODE, itemsRead++);
            refs.add(index);
          }
        }
        case ElementSegment.Expressions x -> {
          for (ConstExpr expr : x.exprs()) {
            CompileDeadline.pollCounted(Phase.DECODE, itemsRead++);
            addReferences(expr, features, refs);
          }
        }
      }
      if (e.mode() instanceof SegmentMode.Active a) {
        addReferences(a.offset(), features, refs);
      }
    }
    for (DataSegment d : module.data()) {
      CompileDeadline.pollCounted(Phase.DECODE, itemsRead++);
      if (d.mode() instanceof SegmentMode.Active a) {
        addReferences(a.offset(), features, refs);
      }
    }
    return refs;
  }

  private static void addReferences(ConstExpr expr, Features features, Set<Integer> refs) {
    InstructionReader r = new InstructionReader(expr.source(), expr.start(), expr.end(), features);
    while (r.hasNext()) {
      if (r.next() == Opcode.REF_FUNC) {
        refs.add(r.index());
      }
    }
  }

  /** The function type of every defined type, by type index. */
  public List<FuncType> types() {
    return typeSection.types();
  }

  /**
   * Subtyping between this module's types ({@link TypeMatcher}); the section's heap types must
   * name existing types ({@link ModuleTypeRules} checks that first).
   */
  public TypeMatcher matcher() {
    return typeSection.matcher();
  }

  /** How many functions the function index space has. */
  public int functionCount() {
    return functionTypeIndices.size();
  }
}
