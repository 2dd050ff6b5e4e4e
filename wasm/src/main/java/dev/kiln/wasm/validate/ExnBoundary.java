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
import dev.kiln.wasm.types.ValueType;
import java.util.List;

/**
 * Where an exception reference could cross a module's boundary through a path the store does not
 * check, refused as unsupported (not invalid) after validation.
 *
 * <p>GC references cross every boundary checked: each reference Java hands to a store (an export's
 * argument, a global or table write, a host function's result, a host-thrown payload) passes {@code
 * NativeStore.checkReference} against the slot's precise type, a struct or array by its header's
 * type id and the store's subtype relation; a host function takes and returns WebAssembly 2.0 types
 * only, so an import of a GC-typed function matches only another instance's export, by canonical
 * (iso-recursive) subtyping; {@code call_indirect} and {@code ref.cast} compare canonical type ids.
 * So no GC type is refused here.
 *
 * <p>An exn reference (exnref, nullexnref: spec 3.0 2.3.4) may be a parameter or a result of a
 * function the host calls (an export, or one escaping through a table or global), a parameter of
 * an exported tag, and the type of an exported or imported global or table: compiled code trusts
 * such a word as an exception object's address ({@code throw_ref}), so every one the host hands in
 * is checked to be 0 or an object of the store's own ({@code NativeStore.checkReference}: a call's
 * arguments, a global or table write, and a host-thrown exception's payload, which {@code
 * NativeStore.checkThrowable} checks value by value against the tag's types), and the API gives
 * them out only as handles. A global or table imported from another instance is one of the same
 * store, matched by 3.0 subtyping. Still refused: an import of a function or tag whose type
 * mentions one (a host function's result would need the same check on the way back from every
 * call).
 */
final class ExnBoundary {
  private final boolean[] withExn;
  /** Per type: a function type with an exn reference among its results (a tag's are empty when valid). */
  private final boolean[] exnResults;

  ExnBoundary(TypeSection section) {
    withExn = new boolean[section.size()];
    exnResults = new boolean[section.size()];
    int at = 0;
    for (List<SubType> group : section.groups()) {
      for (SubType t : group) {
        if (t.composite() instanceof FuncType f) {
          exnResults[at] = f.resultTypes().stream().anyMatch(ExnBoundary::exn);
          withExn[at] = exnResults[at] || f.paramTypes().stream().anyMatch(ExnBoundary::exn);
        }
        at++;
      }
    }
  }

  /** An exn-hierarchy reference (exnref, nullexnref). */
  private static boolean exn(ValueType t) {
    return t instanceof RefType r && r.heap() instanceof HeapType.Abstract a && a.top() == HeapType.Abstract.EXN;
  }

  /** Refuses what {@link ExnBoundary} describes at module level; the module is valid. */
  void check(Module module) {
    for (Import i : module.imports()) {
      boolean exn = switch (i.desc()) {
        case ImportDesc.Func f -> withExn[f.typeIndex()];
        case ImportDesc.Table _, ImportDesc.Memory _, ImportDesc.Global _ -> false;
        case ImportDesc.Tag t -> withExn[t.typeIndex()];
      };
      if (exn) {
        throw refusal("an import of an exception reference type (" + i.module() + " " + i.name() + ")");
      }
    }
    for (Export e : module.exports()) {
      boolean exn = switch (e.kind()) {
        case TAG -> exnResults[module.allTagTypeIndices().get(e.index())];
        default -> false;
      };
      if (exn) {
        throw refusal("an export of an exception reference type (" + e.name() + ")");
      }
    }
  }

  private static UnsupportedException refusal(String what) {
    return new UnsupportedException(MissingFeature.EXCEPTIONS, what + ": not until host values of these types are checked", 0);
  }
}
