package dev.kiln.artifact.tables;

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
 *       from the previous entry's text offset and {@code w} (1-14) is how much {@code v} grew; a
 *       {@code t} of 0 means the distance follows as a varint; a {@code w} of 0 or 15 means a
 *       zigzag varint follows (after the distance, if any): the new {@code v} minus the previous
 *       one (0), or minus the one before the last jump (15). Every jump (0 or 15) remembers the
 *       {@code v} it left.
 * </ul>
 *
 * Most instructions are a few bytes of code and a few bytes of wasm after the previous one, so
 * most entries are that one byte; code inlined from another function jumps away in the wasm and
 * back to just after the call, and the back jump (15) is small from the remembered {@code v}
 * (docs/cwasm-format.md section 6 measures it). Lookup returns the
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
    Decoder decoder = new Decoder(blocks.walk(block));
    int v = decoder.v;
    while (decoder.walk.hasNext()) {
      int next = decoder.step();
      if (decoder.walk.textOffset() > textOffset) {
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
    Decoder decoder = new Decoder(blocks.walk(block));
    while (decoder.walk.textOffset() < textOffset && decoder.walk.hasNext()) {
      decoder.step();
    }
    return decoder.walk.textOffset() == textOffset && decoder.v != 0 ? OptionalInt.of(decoder.v - 1)
        : OptionalInt.empty();
  }

  /** Every entry in text order, (text offset, wasm offset or {@link #NONE}); decodes the whole map. */
  public void forEach(TextEntryConsumer consumer) {
    for (int b = 0; b < blocks.count(); b++) {
      Decoder decoder = new Decoder(blocks.walk(b));
      consumer.accept(decoder.walk.textOffset(), decoder.v - 1);
      while (decoder.walk.hasNext()) {
        decoder.step();
        consumer.accept(decoder.walk.textOffset(), decoder.v - 1);
      }
    }
  }

  /** The number of entries (decodes the whole map: for tools). */
  public int size() {
    int[] count = {0};
    forEach((offset, wasm) -> count[0]++);
    return count[0];
  }

  /** The head byte's {@code w} that says "minus the v before the last jump". */
  static final int BACK = 15;

  /** One block's entries, decoded in order: the walk, {@code v} and the {@code v} a jump left. */
  private static final class Decoder {
    final TextBlocks.Walk walk;
    int v;
    private int back;

    Decoder(TextBlocks.Walk walk) {
      this.walk = walk;
      this.v = walk.in.varint32("wasm offset");
      this.back = v;
    }

    /** Decodes the next entry, moving the walk there; returns its {@code v}. */
    int step() {
      long at = walk.in.position();
      int head = walk.in.u8("entry head");
      long distance = head >>> 4;
      if (distance == 0) {
        distance = Integer.toUnsignedLong(walk.in.varint32("text distance"));
      }
      int w = head & 0xF;
      int next;
      if (w != 0 && w != BACK) {
        next = v + w;
      } else {
        next = (w == BACK ? back : v) + walk.in.zigzag32("wasm offset change");
        back = v;
      }
      walk.next(distance, at);
      v = next;
      return next;
    }
  }
}
