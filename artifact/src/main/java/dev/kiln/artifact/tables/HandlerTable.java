package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;

/**
 * {@code .kiln.handlers} read in place: where a frame resumes when an exception unwinds through one
 * of its calls (WebAssembly 3.0 exception handling). The entries are {@link TextBlocks} blocks keyed
 * by a call's return address, each payload the landing pad's distance from it:
 *
 * <ul>
 *   <li>a block's first entry: {@code zigzag32 landing - return};
 *   <li>every later entry: {@code varint distance} from the previous return address, then {@code
 *       zigzag32 landing - return}.
 * </ul>
 *
 * Only calls inside a {@code try_table} (or a legacy {@code try}) have an entry; the catch clauses
 * are code at the landing pad, which compares the exception's tag with its instance's tags (so one
 * table serves every instance of the module). A landing offset is checked to lie inside {@code
 * .text} when it is decoded.
 */
public final class HandlerTable {
  static final String SECTION = ".kiln.handlers";

  private final TextBlocks blocks;
  private final long textSize;

  private HandlerTable(TextBlocks blocks, long textSize) {
    this.blocks = blocks;
    this.textSize = textSize;
  }

  /**
   * Opens the handler table in {@code section} for a {@code .text} of {@code textSize} bytes,
   * validating its block index; each block is validated when it is decoded.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first violation
   */
  public static HandlerTable open(MemorySegment section, long textSize) {
    return new HandlerTable(TextBlocks.open(new SectionReader(section, SECTION), SECTION, 0, textSize), textSize);
  }

  /** The landing pad of the call whose return address is exactly {@code returnOffset}, if it has one. */
  public OptionalInt lookup(int returnOffset) {
    int block = blocks.floor(returnOffset);
    if (block < 0) {
      return OptionalInt.empty();
    }
    TextBlocks.Walk walk = blocks.walk(block);
    long landing = landing(walk);
    while (walk.textOffset() < returnOffset && walk.hasNext()) {
      long at = walk.in.position();
      walk.next(walk.in.varint63("handler entry"), at);
      landing = landing(walk);
    }
    return walk.textOffset() == returnOffset ? OptionalInt.of((int) landing) : OptionalInt.empty();
  }

  /** Every handler site in text order, (return offset, landing offset); decodes the whole table. */
  public void forEach(TextEntryConsumer consumer) {
    for (int b = 0; b < blocks.count(); b++) {
      TextBlocks.Walk walk = blocks.walk(b);
      consumer.accept(walk.textOffset(), (int) landing(walk));
      while (walk.hasNext()) {
        long at = walk.in.position();
        walk.next(walk.in.varint63("handler entry"), at);
        consumer.accept(walk.textOffset(), (int) landing(walk));
      }
    }
  }

  private long landing(TextBlocks.Walk walk) {
    long at = walk.in.position();
    long landing = walk.textOffset() + (long) walk.in.zigzag32("landing pad distance");
    if (landing < 0 || landing >= textSize) {
      throw walk.in.corruptAt(at, "landing pad at text offset " + landing + ", outside .text (" + textSize + " bytes)");
    }
    return landing;
  }
}
