package dev.kiln.loader.module;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.util.Arrays;
import java.util.List;

/**
 * The entry points the module info promises that {@code .text} has, checked once at load
 * (docs/cwasm-format.md, "What the loader needs from the compiler"): every escaping defined
 * function has its code (a VMFuncRef's {@code wasm_call}) and an ARRAY_TO_WASM trampoline (its
 * {@code array_call}, the host's way in), and so does a defined start function. The compiler roots
 * all of these, so a missing one means the index and the module info disagree: the artifact is
 * refused here, before an instance finds the hole mid-instantiation or mid-call.
 *
 * <p>What the check finds it keeps: the two entries of every VMFuncRef, as {@code .text} offsets,
 * which each instance writes into its VMContext without searching the function index again (two
 * binary searches per escaping function, some six hundred for a large program).
 */
public final class EntryPoints {
  /** By VMFuncRef index: the {@code .text} offsets of the function's code and trampoline; -1 if imported. */
  private final int[] wasmCall;
  private final int[] arrayCall;

  private EntryPoints(int[] wasmCall, int[] arrayCall) {
    this.wasmCall = wasmCall;
    this.arrayCall = arrayCall;
  }

  /**
   * Checks {@code file}'s entry points against {@code info} and returns those of its VMFuncRefs.
   *
   * @throws CorruptArtifactException if one is missing
   */
  public static EntryPoints check(CwasmFile file, ModuleInfo info) {
    int imported = info.importedFunctionCount();
    List<Integer> escaping = info.escaping();
    int[] wasmCall = new int[escaping.size()];
    int[] arrayCall = new int[escaping.size()];
    Arrays.fill(wasmCall, -1);
    Arrays.fill(arrayCall, -1);
    for (int k = 0; k < escaping.size(); k++) {
      // Up to 2^20 escaping functions, two index searches each: the load's budget bounds the loop.
      CompileDeadline.pollCounted(Phase.LOAD, k);
      int function = escaping.get(k);
      if (function >= imported) {
        Entries entries = require(file, function, imported, "escaping function");
        wasmCall[k] = entries.code();
        arrayCall[k] = entries.trampoline();
      }
    }
    info.start().ifPresent(start -> {
      if (start >= imported) {
        require(file, start, imported, "start function");
      }
    });
    return new EntryPoints(wasmCall, arrayCall);
  }

  /** The {@code .text} offsets of a defined function's code and its ARRAY_TO_WASM trampoline. */
  private record Entries(int code, int trampoline) {}

  private static Entries require(CwasmFile file, int function, int imported, String what) {
    int defined = function - imported;
    int code = file.functions().startOf(FuncKey.definedWasmFunction(LoadedModule.MODULE, defined));
    if (code < 0) {
      throw missing(file, what + " " + function + " has no code");
    }
    int trampoline = file.functions().startOf(FuncKey.arrayToWasmTrampoline(LoadedModule.MODULE, defined));
    if (trampoline < 0) {
      throw missing(file, what + " " + function + " has no ARRAY_TO_WASM trampoline");
    }
    return new Entries(code, trampoline);
  }

  /** The {@code .text} offset of VMFuncRef {@code k}'s function's code; -1 for an imported function. */
  public int wasmCall(int k) {
    return wasmCall[k];
  }

  /** The {@code .text} offset of VMFuncRef {@code k}'s ARRAY_TO_WASM trampoline; -1 for an imported function. */
  public int arrayCall(int k) {
    return arrayCall[k];
  }

  /** A missing entry: a fault of the function index, which the module info says should have it. */
  public static CorruptArtifactException missing(CwasmFile file, String detail) {
    return new CorruptArtifactException(KilnSection.FUNCS.elfName(), detail + " in the function index")
        .inSectionAt(file.fileOffset(KilnSection.FUNCS));
  }
}
