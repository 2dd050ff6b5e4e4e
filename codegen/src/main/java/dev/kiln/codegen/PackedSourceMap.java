package dev.kiln.codegen;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A function's address map as {@link CompiledFunction} keeps it until the linker reads it: three
 * ints an entry in one array, not a {@link SourceMapping} object each. A module's functions are all
 * held until they are linked, and their entries (every wasm instruction's start: five million for
 * a 30 MB module) took about 36 bytes each as objects, 12 here. Read-only; {@link #get} builds the
 * record it is asked for.
 */
final class PackedSourceMap extends AbstractList<SourceMapping> implements RandomAccess {
  private static final PackedSourceMap EMPTY = new PackedSourceMap(new int[0]);

  private final int[] entries; // codeOffset, wasmOffset, inlineSite per entry

  private PackedSourceMap(int[] entries) {
    this.entries = entries;
  }

  /** {@code map} packed; a packed map is returned as it is. */
  static PackedSourceMap of(List<SourceMapping> map) {
    if (map instanceof PackedSourceMap packed) {
      return packed;
    }
    if (map.isEmpty()) {
      return EMPTY;
    }
    int[] entries = new int[3 * map.size()];
    int at = 0;
    for (SourceMapping m : map) {
      entries[at++] = m.codeOffset();
      entries[at++] = m.wasmOffset();
      entries[at++] = m.inlineSite();
    }
    return new PackedSourceMap(entries);
  }

  @Override
  public SourceMapping get(int index) {
    int at = 3 * java.util.Objects.checkIndex(index, size());
    return new SourceMapping(entries[at], entries[at + 1], entries[at + 2]);
  }

  @Override
  public int size() {
    return entries.length / 3;
  }
}
