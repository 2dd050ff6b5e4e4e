package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteCursor;
import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * {@code .kiln.traps} read in place: which trap a faulting text offset stands for. The entries are
 * {@link TextBlocks} blocks whose payload is the {@link TrapCode} byte:
 *
 * <ul>
 *   <li>a block's first entry: {@code u8 code};
 *   <li>every later entry: {@code varint distance << 5 | c}, where {@code c} is the code when it is
 *       below 31; {@code c = 31} means the code follows as a {@code u8}.
 * </ul>
 *
 * Lookup is exact: the block at or before the offset, decoded up to it. A code is checked to name a
 * {@link TrapCode} when it is decoded.
 */
public final class TrapTable {
  static final String SECTION = ".kiln.traps";
  /** The 5-bit code field's escape value: the code follows as a byte. */
  static final int CODE_ESCAPE = 31;

  private final TextBlocks blocks;

  private TrapTable(TextBlocks blocks) {
    this.blocks = blocks;
  }

  /**
   * Opens the trap table in {@code section} for a {@code .text} of {@code textSize} bytes,
   * validating its block index; each block is validated when it is decoded.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first violation
   */
  public static TrapTable open(MemorySegment section, long textSize) {
    return new TrapTable(TextBlocks.open(new SectionReader(section, SECTION), SECTION, 0, textSize));
  }

  /** The trap recorded for exactly {@code textOffset}, if any. */
  public Optional<TrapCode> lookup(int textOffset) {
    return Optional.ofNullable(blocks.lookup(textOffset, ENTRIES));
  }

  /** Every trap site in text order, (text offset, {@link TrapCode#code()}); decodes the whole table. */
  public void forEach(TextEntryConsumer consumer) {
    blocks.forEachEntry(ENTRIES, (walk, at, code) -> consumer.accept(walk.textOffset(), code.code()));
  }

  /** The number of trap sites (decodes the whole table: for tools). */
  public int size() {
    int[] count = {0};
    forEach((offset, code) -> count[0]++);
    return count[0];
  }

  /** An entry's form: a first entry's code byte; a later entry's distance packed with its code. */
  private static final TextBlocks.EntryDecoder<TrapCode> ENTRIES = new TextBlocks.EntryDecoder<>() {
    @Override
    public TrapCode first(TextBlocks.Walk walk) {
      return code(walk.in, walk.in.u8("trap code"));
    }

    @Override
    public TrapCode next(TextBlocks.Walk walk) {
      long at = walk.in.position();
      long packed = walk.in.varint63("trap entry");
      int code = (int) (packed & 31);
      if (code == CODE_ESCAPE) {
        code = walk.in.u8("trap code");
      }
      walk.next(packed >>> 5, at);
      return code(walk.in, code);
    }
  };

  private static TrapCode code(ByteCursor in, int code) {
    return TrapCode.fromCode(code).orElseThrow(() -> in.corrupt("unknown trap code " + code));
  }
}
