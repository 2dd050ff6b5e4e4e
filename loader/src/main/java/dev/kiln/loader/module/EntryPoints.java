package dev.kiln.loader.module;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.info.ModuleInfo;

/**
 * The entry points the module info promises that {@code .text} has, checked once at load
 * (docs/cwasm-format.md, "What the loader needs from the compiler"): every escaping defined
 * function has its code (a VMFuncRef's {@code wasm_call}) and an ARRAY_TO_WASM trampoline (its
 * {@code array_call}, the host's way in), and so does a defined start function. The compiler roots
 * all of these, so a missing one means the index and the module info disagree: the artifact is
 * refused here, before an instance finds the hole mid-instantiation or mid-call.
 */
public final class EntryPoints {
  private EntryPoints() {}

  public static void check(CwasmFile file, ModuleInfo info) {
    int imported = info.importedFunctionCount();
    for (int function : info.escaping()) {
      if (function >= imported) {
        require(file, function, imported, "escaping function");
      }
    }
    info.start().ifPresent(start -> {
      if (start >= imported) {
        require(file, start, imported, "start function");
      }
    });
  }

  private static void require(CwasmFile file, int function, int imported, String what) {
    int defined = function - imported;
    if (file.functions().startOf(FuncKey.definedWasmFunction(LoadedModule.MODULE, defined)) < 0) {
      throw missing(file, what + " " + function + " has no code");
    }
    if (file.functions().startOf(FuncKey.arrayToWasmTrampoline(LoadedModule.MODULE, defined)) < 0) {
      throw missing(file, what + " " + function + " has no ARRAY_TO_WASM trampoline");
    }
  }

  /** A missing entry: a fault of the function index, which the module info says should have it. */
  public static CorruptArtifactException missing(CwasmFile file, String detail) {
    return new CorruptArtifactException(KilnSection.FUNCS.elfName(), detail + " in the function index")
        .inSectionAt(file.fileOffset(KilnSection.FUNCS));
  }
}
