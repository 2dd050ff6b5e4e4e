package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteCursor;
import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;

/**
 * {@code .kiln.addrmap} read in place: the wasm byte offset a text offset was compiled from, for
 * backtraces, profilers and {@code kiln objdump}. The entries are {@link TextBlocks} blocks whose
 * payload is {@code v = wasm offset + 1} (so "none" is 0):
 *
 * <ul>
 *   <li>a block's first entry: {@code varint v};
 *   <li>every later entry: one head byte {@code t << 4 | w}, where {@code t} (1-15) is the distance
 *       from the previous entry's text offset and {@code w} (1-15) is how much {@code v} grew; a
 *       0 nibble means the value did not fit and follows the head byte, {@code t} first, as a
 *       varint (distance) and a zigzag varint (change of {@code v}, any sign).
 * </ul>
 *
 * Most instructions are a few bytes of code and a few bytes of wasm after the previous one, so
 * most entries are that one byte (docs/cwasm-format.md section 6 measures it). Lookup returns the
 * entry at or before the offset: a binary search of the block index, then one block decoded.
 */
public final class AddressMap {
  /** Wasm offset meaning "no wasm instruction" (u32 all ones). */
  public static final int NONE = -1;

  static final String SECTION = ".kiln.addrmap";

  private final TextBlocks blocks;

  private AddressMap(TextBlocks blocks) {
    this.blocks = blocks;
  }

  /**
   * Opens the address map in {@code section} for a {@code .text} of {@code textSize} bytes,
   * validating its block index; each block is validated when it is decoded.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first violation
   */
  public static AddressMap open(MemorySegment section, long textSize) {
    return new AddressMap(TextBlocks.open(new SectionReader(section, SECTION), SECTION, 0, textSize));
  }

  /**
   * The wasm byte offset (unsigned) of the code at {@code textOffset}: that of the last entry at or
   * before it, or {@link #NONE} when no entry precedes it or that entry has no wasm origin.
   */
  public int wasmOffsetAt(int textOffset) {
    int block = blocks.floor(textOffset);
    if (block < 0) {
      return NONE;
    }
    TextBlocks.Walk walk = blocks.walk(block);
    int v = first(walk.in);
    while (walk.hasNext()) {
      int next = step(walk, v);
      if (walk.textOffset() > textOffset) {
        break;
      }
      v = next;
    }
    return v - 1;
  }

  /** The wasm offset of the entry that starts exactly at {@code textOffset}, if one does and has one. */
  public OptionalInt wasmOffsetStartingAt(int textOffset) {
    int block = blocks.floor(textOffset);
    if (block < 0) {
      return OptionalInt.empty();
    }
    TextBlocks.Walk walk = blocks.walk(block);
    int v = first(walk.in);
    while (walk.textOffset() < textOffset && walk.hasNext()) {
      v = step(walk, v);
    }
    return walk.textOffset() == textOffset && v != 0 ? OptionalInt.of(v - 1) : OptionalInt.empty();
  }

  /** Every entry in text order, (text offset, wasm offset or {@link #NONE}); decodes the whole map. */
  public void forEach(TextEntryConsumer consumer) {
    for (int b = 0; b < blocks.count(); b++) {
      TextBlocks.Walk walk = blocks.walk(b);
      int v = first(walk.in);
      consumer.accept(walk.textOffset(), v - 1);
      while (walk.hasNext()) {
        v = step(walk, v);
        consumer.accept(walk.textOffset(), v - 1);
      }
    }
  }

  /** The number of entries (decodes the whole map: for tools). */
  public int size() {
    int[] count = {0};
    forEach((offset, wasm) -> count[0]++);
    return count[0];
  }

  private static int first(ByteCursor in) {
    return in.varint32("wasm offset");
  }

  /** Decodes the next entry of {@code walk}, moving it there; returns the entry's {@code v}. */
  private static int step(TextBlocks.Walk walk, int v) {
    long at = walk.in.position();
    int head = walk.in.u8("entry head");
    long distance = head >>> 4;
    if (distance == 0) {
      distance = Integer.toUnsignedLong(walk.in.varint32("text distance"));
    }
    int growth = head & 0xF;
    int change = growth != 0 ? growth : walk.in.zigzag32("wasm offset change");
    walk.next(distance, at);
    return v + change;
  }
}
