package dev.kiln.artifact.info;

import dev.kiln.wasm.types.ArrayType;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.StorageType;
import dev.kiln.wasm.types.StructType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.TypeSection;
import dev.kiln.wasm.types.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * A module's types as validation knew them (WebAssembly 3.0 spec 2.3.8, 2.5.2), which the loader
 * needs beside their representations ({@link FuncType}, {@link ValType}) to give every defined type
 * its engine-wide runtime id and to match imports by subtyping (spec 3.0 4.5.2 "Import matching"):
 * the recursion groups with their {@code sub}/final declarations and precise value types, and the
 * precise type of every table's elements and every global, each in its index space (imports
 * first), and of every element segment's elements, which its constant expressions are checked
 * against (ConstExprChecker). Heap types name the module's own type indices; {@link
 * TypeSection#matcher()} makes them canonical.
 *
 * <p>A WebAssembly 2.0 module's precise types are its representations ({@link #plain}); {@code
 * .kiln.info} stores this part only when they are not, so such a module's artifact is unchanged.
 *
 * @param section the type section
 * @param tables the element type of each table, imported ones first
 * @param globals the value type of each global, imported ones first
 * @param elements the element type of each element segment
 */
public record PreciseTypes(TypeSection section, List<RefType> tables, List<ValueType> globals,
    List<RefType> elements) {
  public PreciseTypes {
    tables = List.copyOf(tables);
    globals = List.copyOf(globals);
    elements = List.copyOf(elements);
  }

  /** The precise types a module with only 2.0 types has: each of its representations as a type. */
  public static PreciseTypes plain(List<dev.kiln.artifact.info.FuncType> types, List<TableType> tables,
      List<GlobalType> globals, List<ElementSegment> elements) {
    List<FuncType> functions = new ArrayList<>(types.size());
    for (dev.kiln.artifact.info.FuncType t : types) {
      functions.add(plainType(t));
    }
    return new PreciseTypes(TypeSection.of(functions),
        tables.stream().map(t -> plainReference(t.elementType())).toList(),
        globals.stream().map(g -> ValueType.of(precise(g.type()))).toList(),
        elements.stream().map(e -> plainReference(e.elementType())).toList());
  }

  private static RefType plainReference(ValType representation) {
    return (RefType) ValueType.of(precise(representation));
  }

  /** The WebAssembly 2.0 function type with representations {@code t} (funcref, externref nullable). */
  public static FuncType plainType(dev.kiln.artifact.info.FuncType t) {
    return new FuncType(t.params().stream().map(PreciseTypes::precise).toList(),
        t.results().stream().map(PreciseTypes::precise).toList());
  }

  /** The wasm representation an artifact {@link ValType} stands for. */
  static dev.kiln.wasm.types.ValType precise(ValType t) {
    return dev.kiln.wasm.types.ValType.fromCode(t.code());
  }

  /** The artifact representation of a precise type. */
  static ValType representation(ValueType t) {
    return ValType.ofCode(t.kind().code()).orElseThrow();
  }

  /** Function type {@code t} as the artifact's representations. */
  public static dev.kiln.artifact.info.FuncType representation(FuncType t) {
    return new dev.kiln.artifact.info.FuncType(t.params().stream().map(p -> representation((ValueType) p)).toList(),
        t.results().stream().map(r -> representation((ValueType) r)).toList());
  }

  /**
   * Checks these types against the representations {@code info} holds (the same number of types,
   * tables, globals and element segments, each with the representation the code was compiled
   * for) and that every
   * heap type names a type the section defines before its group ends (a supertype: before the
   * type), so the loader can canonicalise them and walk supertype chains without further checks.
   *
   * @throws IllegalArgumentException naming the first disagreement
   */
  void check(List<dev.kiln.artifact.info.FuncType> types, List<TableType> tableTypes, List<GlobalType> globalTypes,
      List<ElementSegment> segments) {
    if (section.size() != types.size() || tables.size() != tableTypes.size() || globals.size() != globalTypes.size()
        || elements.size() != segments.size()) {
      throw new IllegalArgumentException("precise types: " + section.size() + " types, " + tables.size() + " tables, "
          + globals.size() + " globals, " + elements.size() + " element segments for " + types.size() + ", "
          + tableTypes.size() + ", " + globalTypes.size() + ", " + segments.size());
    }
    int i = 0;
    for (List<SubType> group : section.groups()) {
      int end = i + group.size();
      for (SubType t : group) {
        // a struct or array type has no signature: its representation is the empty one (ModuleInfoEncoding)
        // instanceof, not pattern switches (here and below): a switch spins a class at its first run,
        // on every run's load (loader.module.TableInitPlan.constant says why that counts)
        dev.kiln.artifact.info.FuncType expected = t.composite() instanceof FuncType f ? representation(f)
            : new dev.kiln.artifact.info.FuncType(List.of(), List.of());
        if (!expected.equals(types.get(i))) {
          throw new IllegalArgumentException("precise type " + i + " " + t.composite() + " is not of " + types.get(i));
        }
        // a supertype is declared before its subtype (spec 3.0 3.2.x "sub"), so supertype chains end
        if (t.supertypes().size() > 1) {
          throw new IllegalArgumentException("type " + i + " has " + t.supertypes().size() + " supertypes");
        }
        for (HeapType s : t.supertypes()) {
          heap(s, i, "supertype of type " + i);
          if (!(s instanceof HeapType.Concrete)) {
            throw new IllegalArgumentException("supertype of type " + i + " is " + s);
          }
        }
        int index = i;
        if (t.composite() instanceof FuncType f) {
          f.paramTypes().forEach(v -> value(v, end, "parameter of type " + index));
          f.resultTypes().forEach(v -> value(v, end, "result of type " + index));
        } else if (t.composite() instanceof StructType st) {
          st.fields().forEach(field -> storage(field.storage(), end, "field of type " + index));
        } else {
          storage(((ArrayType) t.composite()).element().storage(), end, "element of type " + index);
        }
        i++;
      }
    }
    for (int t = 0; t < tables.size(); t++) {
      value(tables.get(t), section.size(), "element type of table " + t);
      if (representation(tables.get(t)) != tableTypes.get(t).elementType()) {
        throw new IllegalArgumentException("table " + t + " holds " + tables.get(t) + ", compiled for "
            + tableTypes.get(t).elementType());
      }
    }
    for (int g = 0; g < globals.size(); g++) {
      value(globals.get(g), section.size(), "type of global " + g);
      if (representation(globals.get(g)) != globalTypes.get(g).type()) {
        throw new IllegalArgumentException("global " + g + " is " + globals.get(g) + ", compiled for "
            + globalTypes.get(g).type());
      }
    }
    for (int e = 0; e < elements.size(); e++) {
      value(elements.get(e), section.size(), "element type of element segment " + e);
      if (representation(elements.get(e)) != segments.get(e).elementType()) {
        throw new IllegalArgumentException("element segment " + e + " holds " + elements.get(e) + ", compiled for "
            + segments.get(e).elementType());
      }
    }
  }

  private static void storage(StorageType s, int bound, String what) {
    if (s instanceof ValueType v) {
      value(v, bound, what);
    }
  }

  private static void value(ValueType v, int bound, String what) {
    if (v instanceof RefType r) {
      heap(r.heap(), bound, what);
    }
  }

  private static void heap(HeapType h, int bound, String what) {
    if (h instanceof HeapType.Concrete(int index) && (index < 0 || index >= bound)) {
      throw new IllegalArgumentException(what + " names type " + Integer.toUnsignedString(index)
          + ", not defined before it (" + bound + ")");
    }
    if (!(h instanceof HeapType.Concrete) && !(h instanceof HeapType.Abstract a && a != HeapType.Abstract.BOT)) {
      throw new IllegalArgumentException(what + " is " + h + ", not a module heap type");
    }
  }

  /** Whether these are the types {@link #plain} gives, so {@code .kiln.info} need not store them. */
  boolean isPlain(List<dev.kiln.artifact.info.FuncType> types, List<TableType> tableTypes, List<GlobalType> globalTypes,
      List<ElementSegment> segments) {
    return equals(plain(types, tableTypes, globalTypes, segments));
  }
}
