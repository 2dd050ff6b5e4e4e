package dev.kiln.wasm.validate;

import dev.kiln.wasm.MissingFeature;
import dev.kiln.wasm.UnsupportedException;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.Import;
import dev.kiln.wasm.module.ImportDesc;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.TypeSection;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;
import java.util.List;
import java.util.Set;

/**
 * Where typed references would need canonical type ids that the artifact does not carry yet.
 *
 * <p>The loader gives each function type a store-wide id from its representation (the artifact's
 * function types hold each value's {@link ValType} kind), and checks {@code call_indirect} and
 * function imports against those ids. That is exact for a <em>plain</em> type: a group of one, final,
 * without supertypes, whose parameters and results are numbers, vectors, funcref or externref (the
 * WebAssembly 2.0 types, whose representation is their identity). Two different WebAssembly 3.0
 * types can have one representation ({@code (ref $a)} and {@code (ref $b)} are both function
 * references), so an id check could not tell them apart, and {@code call_ref} trusts a reference's
 * static type without a check: a function of type {@code [(ref $a)] -> []} called through a
 * different type with the same representation would receive a reference of the wrong type.
 *
 * <p>So, until the artifact carries canonical types ({@link dev.kiln.wasm.types.TypeRegistry}),
 * a module is refused as unsupported (not invalid) when a value whose type is not plain could cross
 * such a check: an import or export of a function, table or global whose type mentions a 3.0
 * reference type, a function of a non-plain type that escapes (C.refs: exported, in an element
 * segment, or named by {@code ref.func}), and {@code call_indirect} of a non-plain type ({@link
 * FunctionValidator}). Inside a module validation already proves every typed reference right.
 */
final class PlainTypes {
  private final boolean[] plain;
  private final boolean[] exportable;

  PlainTypes(TypeSection section) {
    plain = new boolean[section.size()];
    exportable = new boolean[section.size()];
    int at = 0;
    for (List<SubType> group : section.groups()) {
      for (SubType t : group) {
        boolean single = group.size() == 1 && t.isFinal() && t.supertypes().isEmpty();
        FuncType f = t.composite() instanceof FuncType func ? func : null;
        plain[at] = single && f != null
            && f.paramTypes().stream().allMatch(PlainTypes::plain) && f.resultTypes().stream().allMatch(PlainTypes::plain);
        exportable[at] = single && f != null
            && f.paramTypes().stream().allMatch(PlainTypes::exportable)
            && f.resultTypes().stream().allMatch(PlainTypes::exportable);
        at++;
      }
    }
  }

  /** A 2.0 value type: its representation is its identity. */
  static boolean plain(ValueType t) {
    return !(t instanceof RefType r) || r.equals(RefType.FUNCREF) || r.equals(RefType.EXTERNREF);
  }

  /**
   * A type that may leave the module through an export or an escaping function: a plain type, or
   * a reference to an abstract heap type of the any or extern hierarchy (GC), nullable or not.
   * Compiled code never relies on such a reference's precise type for memory safety: it is only
   * moved, compared ({@code ref.eq}), converted, shifted ({@code i31.get_s/_u}) or tested at run
   * time ({@code ref.test}, {@code ref.cast}, {@code br_on_cast}); an operation that dereferences
   * a reference ({@code struct.get}, {@code call_ref}) needs a concrete type, which stays refused
   * here. Imports and {@code call_indirect} still take plain types only, so a link or an indirect
   * call never trusts a kind-level match for these types.
   */
  static boolean exportable(ValueType t) {
    if (plain(t)) {
      return true;
    }
    return t instanceof RefType r && r.heap() instanceof HeapType.Abstract a
        && (a.top() == HeapType.Abstract.ANY || a.top() == HeapType.Abstract.EXTERN);
  }

  boolean plainType(int typeIndex) {
    return plain[typeIndex];
  }

  /** Refuses what {@link PlainTypes} describes at module level; the module is valid. */
  void check(Module module, Set<Integer> escaping) {
    List<Integer> functionTypes = module.allFunctionTypeIndices();
    for (Import i : module.imports()) {
      boolean ok = switch (i.desc()) {
        case ImportDesc.Func f -> plain[f.typeIndex()];
        case ImportDesc.Table t -> plain(t.type().reference());
        case ImportDesc.Memory m -> true;
        case ImportDesc.Global g -> plain(g.type().type());
        case ImportDesc.Tag t -> plain[t.typeIndex()];
      };
      if (!ok) {
        throw refusal("an import of a typed reference type (" + i.module() + " " + i.name() + ")");
      }
    }
    for (Export e : module.exports()) {
      boolean ok = switch (e.kind()) {
        case FUNC -> exportable[functionTypes.get(e.index())];
        case TABLE -> exportable(module.allTables().get(e.index()).reference());
        case GLOBAL -> exportable(module.allGlobals().get(e.index()).type());
        case TAG -> exportable[module.allTagTypeIndices().get(e.index())];
        default -> true;
      };
      if (!ok) {
        throw refusal("an export of a typed reference type (" + e.name() + ")");
      }
    }
    Set<Integer> exported = new java.util.HashSet<>();
    for (Export e : module.exports()) {
      if (e.kind() == dev.kiln.wasm.module.ExternKind.FUNC) {
        exported.add(e.index());
      }
    }
    for (int f : escaping) {
      // an exported function may have an exportable type; one that escapes otherwise (an element
      // segment, ref.func) could meet this module's own call_indirect, which checks kinds only
      if (f >= 0 && f < functionTypes.size()
          && !(exported.contains(f) ? exportable : plain)[functionTypes.get(f)]) {
        throw refusal("a reference to function " + f + ", whose type has typed references");
      }
    }
  }

  static UnsupportedException refusal(String what) {
    return new UnsupportedException(MissingFeature.FUNCTION_REFERENCES, what + ": not until artifacts carry canonical types", 0);
  }
}
