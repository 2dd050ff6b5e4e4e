package dev.kiln.wasm.validate;

import dev.kiln.wasm.MissingFeature;
import dev.kiln.wasm.UnsupportedException;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.Import;
import dev.kiln.wasm.module.ImportDesc;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.types.ArrayType;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.StructType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.TypeSection;
import dev.kiln.wasm.types.ValueType;
import java.util.List;
import java.util.Set;

/**
 * Where a GC or exception reference could cross a module's boundary unchecked, refused as
 * unsupported (not invalid) after validation.
 *
 * <p>Function references are checked precisely at every boundary (the artifact carries precise
 * types; imports match by subtyping, call_indirect compares canonical type ids). A value of the
 * any hierarchy (WebAssembly 3.0 3.2.x: any, eq, i31, struct, array, none and concrete struct or
 * array types) or of the exn hierarchy is not: the host hands such a value over as a plain reference
 * word, which nothing checks against the precise type it claims. So no import may take one (only
 * another module's export could satisfy it by type, never a host value, but Kiln does not rely on
 * that yet). What the host can hand IN through an export (a function's parameters, a function that
 * escapes and so may be called by the host, a mutable global, a table) may be an abstract any- or
 * extern-hierarchy reference (compiled code never relies on its precise type for memory safety: it
 * is moved, compared, converted, shifted, or tested against the store's heap before any load) but
 * not a concrete struct or array reference, which compiled code dereferences after a null check
 * only. What only comes OUT (a function's results, an immutable global) may be any GC reference:
 * the host receives the word and can hand it back only as an abstract reference, which is tested.
 * {@code call_indirect} compares canonical type ids, which a host function of WebAssembly 2.0 type
 * never has for such a type. A tag is matched by its canonical type (TagInstance), so a tag's type
 * follows the rule of a function's.
 *
 * <p>An exn reference (exnref, nullexnref: spec 3.0 2.3.4) may be a parameter or a result of a
 * function the host calls (an export, or one escaping through a table or global), and a parameter
 * of an exported tag: compiled code trusts such a word as an exception object's address ({@code
 * throw_ref}), so every one the host hands in is checked to be 0 or an object of the store's own
 * ({@code NativeStore.checkReference}: a call's arguments, and a host-thrown exception's payload,
 * which {@code NativeStore.checkThrowable} checks value by value against the tag's types), and the
 * API gives them out only as handles. Elsewhere they stay refused as exceptions: an import (a host
 * function's result would need the same check on the way back from every call; an imported tag
 * could only be another instance's exported one, which no test has tried yet), a table or a global.
 */
final class GcBoundary {
  private final TypeSection section;
  private final boolean[] gcFree;
  private final boolean[] exportableTag;
  private final boolean[] callableByHost;
  private final boolean[] withExn;

  GcBoundary(TypeSection section) {
    this.section = section;
    gcFree = new boolean[section.size()];
    exportableTag = new boolean[section.size()];
    callableByHost = new boolean[section.size()];
    withExn = new boolean[section.size()];
    int at = 0;
    for (List<SubType> group : section.groups()) {
      for (SubType t : group) {
        FuncType f = t.composite() instanceof FuncType func ? func : null;
        gcFree[at] = f != null && allMatch(f, this::gcFree);
        withExn[at] = f != null && !allMatch(f, v -> !exn(v));
        exportableTag[at] = f != null && f.paramTypes().stream().allMatch(v -> exportable(v) || exn(v))
            && f.resultTypes().stream().allMatch(v -> !exn(v));
        callableByHost[at] = f != null && f.paramTypes().stream().allMatch(v -> exportable(v) || exn(v));
        at++;
      }
    }
  }

  private static boolean allMatch(FuncType f, java.util.function.Predicate<ValueType> p) {
    return f.paramTypes().stream().allMatch(p) && f.resultTypes().stream().allMatch(p);
  }

  /** A type whose values the boundary checks precisely: no any- or exn-hierarchy reference. */
  private boolean gcFree(ValueType t) {
    if (!(t instanceof RefType r)) {
      return true;
    }
    return switch (r.heap()) {
      case HeapType.Abstract a -> a.top() == HeapType.Abstract.FUNC || a.top() == HeapType.Abstract.EXTERN;
      case HeapType.Concrete c -> !(section.subTypes().get(c.typeIndex()).composite() instanceof StructType
          || section.subTypes().get(c.typeIndex()).composite() instanceof ArrayType);
      default -> false;
    };
  }

  /** A type an export may give out: GC-free, or an abstract any- or extern-hierarchy reference. */
  private boolean exportable(ValueType t) {
    return gcFree(t) || t instanceof RefType r && r.heap() instanceof HeapType.Abstract a
        && (a.top() == HeapType.Abstract.ANY || a.top() == HeapType.Abstract.EXTERN);
  }

  /** An exn-hierarchy reference (exnref, nullexnref): the exceptions proposal's, refused as such. */
  private static boolean exn(ValueType t) {
    return t instanceof RefType r && r.heap() instanceof HeapType.Abstract a && a.top() == HeapType.Abstract.EXN;
  }

  /** Refuses what {@link GcBoundary} describes at module level; the module is valid. */
  void check(Module module, Set<Integer> escaping) {
    List<Integer> functionTypes = module.allFunctionTypeIndices();
    for (Import i : module.imports()) {
      boolean ok = switch (i.desc()) {
        case ImportDesc.Func f -> gcFree[f.typeIndex()];
        case ImportDesc.Table t -> gcFree(t.type().reference());
        case ImportDesc.Memory m -> true;
        case ImportDesc.Global g -> gcFree(g.type().type());
        case ImportDesc.Tag t -> gcFree[t.typeIndex()];
      };
      if (!ok) {
        throw refusal(mentionsExn(module, i.desc()), "an import of a " + (mentionsExn(module, i.desc()) ? "exception"
            : "GC") + " reference type (" + i.module() + " " + i.name() + ")");
      }
    }
    for (Export e : module.exports()) {
      boolean ok = switch (e.kind()) {
        case FUNC -> callableByHost[functionTypes.get(e.index())];
        case TABLE -> exportable(module.allTables().get(e.index()).reference());
        case GLOBAL -> module.allGlobals().get(e.index()).mutable() ? exportable(module.allGlobals().get(e.index()).type())
            : !exn(module.allGlobals().get(e.index()).type());
        case TAG -> exportableTag[module.allTagTypeIndices().get(e.index())];
        default -> true;
      };
      if (!ok) {
        boolean exn = switch (e.kind()) {
          case FUNC -> withExn[functionTypes.get(e.index())];
          case TABLE -> exn(module.allTables().get(e.index()).reference());
          case GLOBAL -> exn(module.allGlobals().get(e.index()).type());
          case TAG -> withExn[module.allTagTypeIndices().get(e.index())];
          default -> false;
        };
        throw refusal(exn, "an export of a " + (exn ? "exception" : "GC") + " reference type (" + e.name() + ")");
      }
    }
    for (int f : escaping) {
      // one that escapes through an element segment or ref.func may reach the host through a table
      // or global, which then calls it as it calls an export
      if (f >= 0 && f < functionTypes.size() && !callableByHost[functionTypes.get(f)]) {
        boolean exn = withExn[functionTypes.get(f)];
        throw refusal(exn, "a reference to function " + f + ", whose type has " + (exn ? "exception" : "GC")
            + " references");
      }
    }
  }

  private boolean mentionsExn(Module module, ImportDesc desc) {
    return switch (desc) {
      case ImportDesc.Func f -> withExn[f.typeIndex()];
      case ImportDesc.Table t -> exn(t.type().reference());
      case ImportDesc.Memory m -> false;
      case ImportDesc.Global g -> exn(g.type().type());
      case ImportDesc.Tag t -> withExn[t.typeIndex()];
    };
  }

  private static UnsupportedException refusal(boolean exn, String what) {
    return new UnsupportedException(exn ? MissingFeature.EXCEPTIONS : MissingFeature.GC,
        what + ": not until host values of these types are checked", 0);
  }
}
