package dev.kiln.wasm.module;

import java.util.List;

/**
 * Where each module-level entry begins in the module's bytes, so that a validation error about
 * one (an unknown type index, limits too large, a duplicate export name, a start function of the
 * wrong type) names the entry's offset as function-body errors name their instruction's. The
 * lists run parallel to the {@link Module}'s, in section order; segments carry their own offset.
 *
 * @param imports each import's first byte (its module name), in import order
 * @param functions each function section entry (its type index), in definition order
 * @param tables each table section entry (its reference type)
 * @param memories each memory section entry (its limits flags)
 * @param globals each global section entry (its value type)
 * @param exports each export's first byte (its name)
 * @param start the start section's function index, or -1 when the module has none
 */
public record EntryOffsets(List<Integer> imports, List<Integer> functions, List<Integer> tables,
    List<Integer> memories, List<Integer> globals, List<Integer> exports, int start) {
  public EntryOffsets {
    imports = PackedInts.copyOf(imports);
    functions = PackedInts.copyOf(functions);
    tables = PackedInts.copyOf(tables);
    memories = PackedInts.copyOf(memories);
    globals = PackedInts.copyOf(globals);
    exports = PackedInts.copyOf(exports);
  }
}
