package dev.kiln.artifact.tables;

import static dev.kiln.artifact.internal.SectionReader.U8;

import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code .kiln.traps} read in place: which trap a faulting text offset stands for. Lookup is an
 * exact-match binary search; {@link #open} has already checked sizes, ordering, offsets inside
 * {@code .text} and that every code byte names a {@link TrapCode}.
 */
public final class TrapTable {
  static final String SECTION = ".kiln.traps";

  private final MemorySegment section;
  private final OffsetColumn column;

  private TrapTable(MemorySegment section, OffsetColumn column) {
    this.section = section;
    this.column = column;
  }

  /**
   * Opens and validates the trap table in {@code section} for a {@code .text} of {@code textSize}
   * bytes.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first violation
   */
  public static TrapTable open(MemorySegment section, long textSize) {
    SectionReader in = new SectionReader(section, SECTION);
    OffsetColumn column = OffsetColumn.open(in, 1, textSize);
    for (int i = 0; i < column.count(); i++) {
      int code = in.u8(column.payloadPosition(i, 1), "trap code");
      if (TrapCode.fromCode(code).isEmpty()) {
        throw in.corrupt(column.payloadPosition(i, 1), "entry " + i + " has unknown trap code " + code);
      }
    }
    return new TrapTable(section, column);
  }

  /** The trap recorded for exactly {@code textOffset}, if any. */
  public Optional<TrapCode> lookup(int textOffset) {
    int i = column.exact(textOffset);
    return i < 0 ? Optional.empty() : Optional.of(codeAt(i));
  }

  public int size() {
    return column.count();
  }

  /** Text offset of entry {@code i} (0 <= i < size). */
  public int offsetAt(int i) {
    return column.offsetAt(Objects.checkIndex(i, column.count()));
  }

  /** Trap code of entry {@code i} (0 <= i < size). */
  public TrapCode codeAt(int i) {
    int code = Byte.toUnsignedInt(section.get(U8, column.payloadPosition(Objects.checkIndex(i, column.count()), 1)));
    return TrapCode.fromCode(code).orElseThrow();
  }
}
