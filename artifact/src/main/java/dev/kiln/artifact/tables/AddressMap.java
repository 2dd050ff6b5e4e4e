package dev.kiln.artifact.tables;

import static dev.kiln.artifact.internal.SectionReader.U32;

import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * {@code .kiln.addrmap} read in place: the wasm byte offset a text offset was compiled from, for
 * backtraces. Lookup returns the entry at or before the offset (binary search); {@link #open} has
 * already checked sizes, ordering and that every text offset lies inside {@code .text}.
 */
public final class AddressMap {
  /** Wasm offset meaning "no wasm instruction" (u32 all ones). */
  public static final int NONE = -1;

  static final String SECTION = ".kiln.addrmap";

  private final MemorySegment section;
  private final OffsetColumn column;

  private AddressMap(MemorySegment section, OffsetColumn column) {
    this.section = section;
    this.column = column;
  }

  /**
   * Opens and validates the address map in {@code section} for a {@code .text} of {@code textSize}
   * bytes.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first violation
   */
  public static AddressMap open(MemorySegment section, long textSize) {
    return new AddressMap(section, OffsetColumn.open(new SectionReader(section, SECTION), 4, textSize));
  }

  /**
   * The wasm byte offset (unsigned) of the code at {@code textOffset}: that of the last entry at or
   * before it, or {@link #NONE} when no entry precedes it or that entry has no wasm origin.
   */
  public int wasmOffsetAt(int textOffset) {
    int i = column.floor(textOffset);
    return i < 0 ? NONE : wasmOffset(i);
  }

  public int size() {
    return column.count();
  }

  /** Text offset of entry {@code i} (0 <= i < size). */
  public int textOffsetAt(int i) {
    return column.offsetAt(Objects.checkIndex(i, column.count()));
  }

  /** Wasm offset of entry {@code i} (0 <= i < size). */
  public int wasmOffsetOfEntry(int i) {
    return wasmOffset(Objects.checkIndex(i, column.count()));
  }

  private int wasmOffset(int i) {
    return section.get(U32, column.payloadPosition(i, 4));
  }
}
