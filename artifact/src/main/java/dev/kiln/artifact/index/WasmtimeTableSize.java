package dev.kiln.artifact.index;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.FuncKeyKind;
import java.util.List;

/**
 * Bytes Wasmtime's {@code CompiledFunctionsTable} would take for the same functions, as Wasmtime's
 * {@code crates/environ/src/module_artifacts.rs} defines it and postcard serialises it: seven
 * postcard sequences (varint length + elements) with unsigned LEB128 varints; dense kinds (defined
 * functions, wasm-to-array trampolines) fill index gaps with empty locations {@code {start:
 * previous end, length: 0}}, sparse kinds (array-to-wasm trampolines, builtins) list their indices;
 * one {@code src_locs} varint per defined-function slot ({@code FilePos::none()} = u32::MAX, 5
 * bytes). {@code kiln inspect} prints it beside the size of Kiln's own index so the two can be
 * compared on real modules.
 */
public final class WasmtimeTableSize {
  /** One function: its key, its extent in {@code .text}, and its body's offset in the wasm file (or -1). */
  public record Function(FuncKey key, int start, int length, long filePos) {}

  /**
   * The table's bytes.
   *
   * @param withoutSrcLocs every sequence but {@code src_locs}
   * @param srcLocs the {@code src_locs} sequence's elements (Kiln keeps the equivalent in its address
   *     map, not in the index)
   */
  public record Size(long withoutSrcLocs, long srcLocs) {
    public long total() {
      return withoutSrcLocs + srcLocs;
    }
  }

  private WasmtimeTableSize() {}

  /** The size for {@code functions}, given in FuncKey order. */
  public static Size of(List<Function> functions) {
    long namespaces = 0;
    long namespaceCount = 0;
    long funcLocs = 0;
    long funcLocCount = 0;
    long sparseIndices = 0;
    long sparseCount = 0;
    long srcLocs = 0;
    long srcLocCount = 0;
    long startsArrays = 0; // func_loc_starts, sparse_starts, src_loc_starts: one varint each per namespace
    int currentNamespace = 0;
    long nextIndex = 0;
    int previousEnd = 0;
    for (int i = 0; i < functions.size(); i++) {
      Function f = functions.get(i);
      FuncKey key = f.key();
      boolean dense = key.kind() == FuncKeyKind.DEFINED_WASM_FUNCTION || key.kind() == FuncKeyKind.WASM_TO_ARRAY_TRAMPOLINE;
      if (i == 0 || key.namespace() != currentNamespace) {
        namespaces += varint(wasmtimeNamespace(key));
        namespaceCount++;
        startsArrays += varint(funcLocCount) + varint(sparseCount) + varint(srcLocCount);
        currentNamespace = key.namespace();
        nextIndex = 0;
      }
      long index = Integer.toUnsignedLong(key.index());
      if (dense) {
        long gap = index - nextIndex;
        funcLocs += gap * (varint(previousEnd) + varint(0));
        funcLocCount += gap;
        if (key.kind() == FuncKeyKind.DEFINED_WASM_FUNCTION) {
          srcLocs += gap * 5;
          srcLocCount += gap;
        }
        nextIndex = index + 1;
      } else {
        sparseIndices += varint(index);
        sparseCount++;
      }
      funcLocs += varint(f.start()) + varint(f.length());
      funcLocCount++;
      if (key.kind() == FuncKeyKind.DEFINED_WASM_FUNCTION) {
        srcLocs += f.filePos() < 0 ? 5 : varint(f.filePos());
        srcLocCount++;
      }
      previousEnd = f.start() + f.length();
    }
    long withoutSrcLocs = varint(namespaceCount) + namespaces + 3 * varint(namespaceCount) + startsArrays
        + varint(sparseCount) + sparseIndices + varint(funcLocCount) + funcLocs + varint(srcLocCount);
    return new Size(withoutSrcLocs, srcLocs);
  }

  /** Wasmtime's 3-bit-kind namespace value (kind << 29 | module), which decides its varint's length. */
  private static long wasmtimeNamespace(FuncKey key) {
    long module = key.kind().moduleScoped() ? key.module() : 0;
    return (long) key.kind().bits() << 29 | module;
  }

  /** Bytes of an unsigned LEB128 varint (postcard's integer encoding). */
  private static int varint(long value) {
    int bytes = 1;
    while ((value >>>= 7) != 0) {
      bytes++;
    }
    return bytes;
  }
}
