package dev.kiln.artifact.index;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.FuncKeyKind;
import dev.kiln.artifact.index.KeySets.Placed;
import java.util.List;

/**
 * Bytes Wasmtime's {@code CompiledFunctionsTable} would take for the same functions, from the facts
 * in wasmtime-funckey.md sections 2.1-2.3: seven postcard sequences (varint length + elements) with
 * LEB128 varints; dense kinds (defined functions, wasm-to-array) fill gaps with empty locations,
 * sparse kinds (array-to-wasm, builtin trampolines) list their indices. {@code src_locs} (one varint
 * per defined-function slot) is counted separately because Kiln keeps that information in the
 * address map rather than in the index.
 */
final class WasmtimeTableSizeModel {
  /** Table bytes without and with {@code src_locs}. */
  record Size(long withoutSrcLocs, long srcLocs) {}

  private WasmtimeTableSizeModel() {}

  static Size of(List<Placed> placed) {
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
    for (int i = 0; i < placed.size(); i++) {
      Placed p = placed.get(i);
      FuncKey key = p.key();
      boolean dense = key.kind() == FuncKeyKind.DEFINED_WASM_FUNCTION || key.kind() == FuncKeyKind.WASM_TO_ARRAY_TRAMPOLINE;
      if (i == 0 || key.namespace() != currentNamespace) {
        namespaces += varint(Integer.toUnsignedLong(key.namespace()));
        namespaceCount++;
        startsArrays += varint(funcLocCount) + varint(sparseCount) + varint(srcLocCount);
        currentNamespace = key.namespace();
        nextIndex = 0;
      }
      long index = Integer.toUnsignedLong(key.index());
      if (dense) {
        long gap = index - nextIndex; // each missing index: an empty FunctionLoc {start: previous end, length: 0}
        funcLocs += gap * (varint(previousEnd) + varint(0));
        funcLocCount += gap;
        if (key.kind() == FuncKeyKind.DEFINED_WASM_FUNCTION) {
          srcLocs += gap * 5; // FilePos::none() = u32::MAX
          srcLocCount += gap;
        }
        nextIndex = index + 1;
      } else {
        sparseIndices += varint(index);
        sparseCount++;
      }
      funcLocs += varint(p.start()) + varint(p.length());
      funcLocCount++;
      if (key.kind() == FuncKeyKind.DEFINED_WASM_FUNCTION) {
        srcLocs += varint(0x100 + 40L * i); // a plausible offset of the body in the wasm file
        srcLocCount++;
      }
      previousEnd = p.start() + p.length();
    }
    long withoutSrcLocs = varint(namespaceCount) + namespaces + 3 * varint(namespaceCount) + startsArrays
        + varint(sparseCount) + sparseIndices + varint(funcLocCount) + funcLocs + varint(srcLocCount);
    return new Size(withoutSrcLocs, srcLocs);
  }

  /** Bytes of an unsigned LEB128 varint (postcard's integer encoding). */
  static int varint(long value) {
    int bytes = 1;
    while ((value >>>= 7) != 0) {
      bytes++;
    }
    return bytes;
  }
}
