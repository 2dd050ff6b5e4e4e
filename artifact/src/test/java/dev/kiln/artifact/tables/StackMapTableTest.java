package dev.kiln.artifact.tables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StackMapTableTest {
  @Test
  void exactLookupAgreesWithOracle() {
    Random random = new Random(11);
    TreeMap<Integer, String> oracle = new TreeMap<>();
    StackMapTableBuilder builder = new StackMapTableBuilder();
    int at = 0;
    for (int i = 0; i < 2000; i++) {
      at += 1 + random.nextInt(60);
      int frame = 16 * (1 + random.nextInt(300));
      int[] slots = new int[random.nextInt(Math.min(6, frame / 8 + 1))];
      for (int s = 0; s < slots.length; s++) {
        slots[s] = 8 * random.nextInt(frame / 8);
      }
      builder.add(at, frame, slots);
      oracle.put(at, frame + " " + Arrays.toString(slots));
    }
    int textSize = at + 300;
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(builder.build(new int[] {0, 700, 30_000})), textSize);
    for (int offset = -1; offset <= textSize + 1; offset++) {
      String expected = oracle.get(offset);
      assertEquals(expected, table.lookup(offset).map(m -> m.frameBelowFp() + " " + Arrays.toString(m.slotOffsets()))
          .orElse(null), "offset " + offset);
    }
    TreeMap<Integer, String> listed = new TreeMap<>();
    table.forEach((offset, m) -> listed.put(offset, m.frameBelowFp() + " " + Arrays.toString(m.slotOffsets())));
    assertEquals(oracle, listed);
    // the decoded arrays the collector's frame walk searches: every safepoint, ascending, and the
    // exact search agrees with the oracle at every offset, hits and misses alike
    TextSites<StackMapTable.StackMap> sites = table.sites();
    assertEquals(oracle.size(), sites.size());
    for (int offset = -1; offset <= textSize + 1; offset++) {
      StackMapTable.StackMap m = sites.find(offset);
      assertEquals(oracle.get(offset), m == null ? null : m.frameBelowFp() + " " + Arrays.toString(m.slotOffsets()),
          "offset " + offset);
    }
  }

  /** The layout docs/cwasm-format.md gives: frame depth / 16, slot count, slots / 8 after varint steps. */
  @Test
  void layoutIsBlockIndexThenFramesAndSlots() {
    byte[] bytes = new StackMapTableBuilder().add(0x10, 0x40, new int[] {0, 0x18}).add(0x18, 0x20, new int[0])
        .build(new int[0]);
    byte[] expected = {1, 0, 0, 0, 0x10, 0, 0, 0, 7, 0, 0, 0, 0x04, 0x02, 0x00, 0x03, 0x08, 0x02, 0x00};
    assertEquals(Arrays.toString(expected), Arrays.toString(bytes));
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(bytes), 0x20);
    assertArrayEquals(new int[] {0, 0x18}, table.lookup(0x10).orElseThrow().slotOffsets());
    assertEquals(0, table.lookup(0x18).orElseThrow().count());
  }

  /**
   * The collector rewrites each slot word: a damaged slot past the frame it describes would have it
   * write the caller's frame record or beyond. The lookup refuses it.
   */
  @Test
  void slotOutsideItsFrameIsCorrupt() {
    byte[] bytes = new StackMapTableBuilder().add(0x10, 0x20, new int[] {0x18}).build(new int[0]);
    bytes[bytes.length - 1] = 0x04; // slot 4 * 8 = 0x20: the word at the frame pointer, outside the frame
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(bytes), 0x20);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    assertTrue(e.getMessage().contains("outside its frame"), e.getMessage());
  }

  /** More slots than the frame has words would make the walker loop over a huge count: refused. */
  @Test
  void moreSlotsThanTheFrameHoldsIsCorrupt() {
    byte[] bytes = new StackMapTableBuilder().add(0x10, 0x10, new int[] {0, 8}).build(new int[0]);
    bytes[bytes.length - 3] = 0x03; // three slots in a 16-byte frame
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(bytes), 0x20);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    assertTrue(e.getMessage().contains("stack map slots"), e.getMessage());
  }

  /** A frame depth deeper than any stack would put the slots anywhere in the address space: refused. */
  @Test
  void frameDepthBeyondAnyStackIsCorrupt() {
    byte[] bytes = new StackMapTableBuilder().add(0x10, 0, new int[0]).build(new int[0]);
    byte[] damaged = Arrays.copyOf(bytes, bytes.length + 4);
    damaged[8] += 4; // the block's data four bytes longer: the depth becomes a five-byte varint
    damaged[bytes.length - 2] = (byte) 0x80;
    damaged[bytes.length - 1] = (byte) 0x80;
    damaged[bytes.length] = (byte) 0x80;
    damaged[bytes.length + 1] = (byte) 0x80;
    damaged[bytes.length + 2] = 0x01; // 2^28 units: 4 GiB
    damaged[bytes.length + 3] = 0x00; // no slots
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(damaged), 0x20);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    assertTrue(e.getMessage().contains("frame depth"), e.getMessage());
  }

  /**
   * The deepest frame allowed holds 2^27 slot words: a count that large in a few damaged bytes must be
   * refused before 512 MiB of offsets are allocated for it.
   */
  @Test
  void slotCountBeyondTheBlocksBytesIsRefusedBeforeAllocating() {
    byte[] bytes = new StackMapTableBuilder().add(0x10, 0x10, new int[0]).build(new int[0]);
    byte[] damaged = Arrays.copyOf(bytes, bytes.length + 6);
    damaged[8] += 6; // the block's data six bytes longer
    byte[] frameAndCount = {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40};
    System.arraycopy(frameAndCount, 0, damaged, bytes.length - 2, frameAndCount.length); // 2^26 x 16 bytes, 2^27 slots
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(damaged), 0x20);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    assertTrue(e.getMessage().contains("134217728 stack map slots but only 0 bytes left"), e.getMessage());
  }

  /** The writer refuses what the reader would: a slot outside the frame. */
  @Test
  void builderRefusesSlotsOutsideTheFrame() {
    assertThrows(IllegalArgumentException.class, () -> new StackMapTableBuilder().add(0, 0x10, new int[] {0x10}));
    assertThrows(IllegalArgumentException.class, () -> new StackMapTableBuilder().add(0, 0x10, new int[] {4}));
    assertThrows(IllegalArgumentException.class, () -> new StackMapTableBuilder().add(0, 0x18, new int[0]));
    assertThrows(IllegalArgumentException.class, () -> new StackMapTableBuilder().add(0, 0x10, new int[] {0, 8, 0}));
  }
}
