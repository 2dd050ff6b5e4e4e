package dev.kiln.loader.instance;

import dev.kiln.artifact.info.Export;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.Import;
import dev.kiln.artifact.info.ImportDesc;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.ValType;

/**
 * Whether an instance's function references can leave it through what it imports or exports, so
 * that something nobody counts may hold one: then the instance is pinned to its store (kept until
 * the store closes, {@link dev.kiln.loader.runtime.Lifetime#pin()}), because calling a freed
 * VMFuncRef would crash the JVM.
 *
 * <p>A funcref value moves only through the places the module's types name (WebAssembly 2.0
 * sections 2.5 and 4.4): a funcref parameter or result of an imported or exported function (the
 * callee or caller may keep it), an imported funcref table or global (the instance may write its
 * own references into it, also from an element segment applied before instantiation fails, spec
 * 4.5.4), and an exported one it defines (importers and the host may read them out). A module whose
 * boundary has none of these keeps its references inside: only its importers, which it counts, hold
 * addresses into it. A module that defines a struct or array type, or has a tag with a funcref
 * parameter, may also write its references into objects (structs, arrays, exception objects),
 * which outlive it in the store (spec 3.0) and go where no boundary type says: such an instance is
 * held by the heap instead ({@link dev.kiln.loader.runtime.Lifetime#holdByHeap()}), freed once a
 * collection finds none of its references reachable. References Java takes out and hands back are pinned where they come back in
 * ({@link dev.kiln.loader.runtime.NativeStore#checkFunctionReference}).
 */
final class FunctionReferenceBoundary {
  private FunctionReferenceBoundary() {}

  /** Whether a funcref can cross {@code info}'s imports or exports. */
  static boolean crosses(ModuleInfo info) {
    for (Import anImport : info.imports()) {
      boolean carries = switch (anImport.desc()) {
        case ImportDesc.Function f -> mentionsFuncref(info.types().get(f.typeIndex()));
        case ImportDesc.Table t -> t.type().elementType() == ValType.FUNCREF;
        case ImportDesc.Global g -> g.type().type() == ValType.FUNCREF;
        case ImportDesc.Memory m -> false;
        // an exception's payload crosses with the tag
        case ImportDesc.Tag t -> mentionsFuncref(info.types().get(t.typeIndex()));
      };
      if (carries) {
        return true;
      }
    }
    for (Export export : info.exports()) {
      int index = export.index();
      // A re-exported table or global is an import, already looked at above.
      boolean carries = switch (export.kind()) {
        case FUNCTION -> mentionsFuncref(info.types().get(info.typeOfFunction(index)));
        case TABLE -> index >= info.importedTableCount()
            && info.tables().get(index - info.importedTableCount()).elementType() == ValType.FUNCREF;
        case GLOBAL -> index >= info.importedGlobalCount()
            && info.globals().get(index - info.importedGlobalCount()).type().type() == ValType.FUNCREF;
        case MEMORY -> false;
        case TAG -> mentionsFuncref(info.types().get(info.tagType(index)));
      };
      if (carries) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentionsFuncref(FuncType type) {
    return type.params().contains(ValType.FUNCREF) || type.results().contains(ValType.FUNCREF);
  }
}
