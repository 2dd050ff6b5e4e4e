package dev.kiln.artifact.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one walk the handler, stack-map and trap tables share ({@link TextBlocks#lookup}, {@link
 * TextBlocks#forEachEntry}), its work counted in entries decoded: a lookup decodes the one block at
 * or before its offset and only up to the offset, never a second block; the whole-table walk decodes
 * each entry once.
 */
class TextBlocksTest {
  /** A handler-table-shaped payload (one varint) whose decoder counts the entries it decodes. */
  private static final class CountingDecoder extends TextBlocks.DistanceThenPayload<Long> {
    int decoded;

    CountingDecoder() {
      super("test entry");
    }

    @Override
    public Long first(TextBlocks.Walk walk) {
      decoded++;
      return walk.in.varint63("test payload");
    }
  }

  /** Entries every 4 bytes from 0 with payload offset / 4, blocks restarting at each of {@code functionStarts}. */
  private static TextBlocks table(int entries, int[] functionStarts) {
    TextBlocks.Writer writer = new TextBlocks.Writer(functionStarts);
    for (int i = 0; i < entries; i++) {
      int distance = writer.entry(4 * i);
      if (distance >= 0) {
        writer.data().varint(distance);
      }
      writer.data().varint(i);
    }
    byte[] bytes = writer.build();
    return TextBlocks.open(new SectionReader(MemorySegment.ofArray(bytes), "test"), "test", 0, 4L * entries + 4);
  }

  @Test
  void aLookupDecodesItsBlockOnlyUpToTheOffset() {
    int entries = 3 * TextBlocks.MAX_ENTRIES + 5;
    TextBlocks blocks = table(entries, new int[] {0});
    assertEquals(4, blocks.count());
    for (int i = 0; i < entries; i++) {
      CountingDecoder decoder = new CountingDecoder();
      assertEquals(i, blocks.lookup(4 * i, decoder));
      assertEquals(i % TextBlocks.MAX_ENTRIES + 1, decoder.decoded, "entries decoded to find entry " + i);
    }
    CountingDecoder between = new CountingDecoder();
    assertNull(blocks.lookup(4 * 70 + 2, between));
    assertEquals(70 - TextBlocks.MAX_ENTRIES + 2, between.decoded, "stops at the first entry past the offset");
    CountingDecoder before = new CountingDecoder();
    assertNull(blocks.lookup(-1, before));
    assertEquals(0, before.decoded);
  }

  @Test
  void theWholeTableWalkDecodesEachEntryOnceInTextOrder() {
    int entries = 2 * TextBlocks.MAX_ENTRIES + 7;
    TextBlocks blocks = table(entries, new int[] {0, 40, 400});
    CountingDecoder decoder = new CountingDecoder();
    List<String> seen = new ArrayList<>();
    blocks.forEachEntry(decoder, (walk, at, value) -> seen.add(walk.textOffset() + "=" + value));
    assertEquals(entries, decoder.decoded);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      expected.add(4 * i + "=" + i);
    }
    assertEquals(expected, seen);
  }
}
