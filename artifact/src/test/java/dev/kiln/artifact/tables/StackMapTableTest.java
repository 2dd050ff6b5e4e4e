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
    // resident sets of up to 40 slots, named by about half the entries: a map is the set's slots
    // and then its own
    int[] setFrames = new int[30];
    int[][] setSlots = new int[setFrames.length][];
    for (int r = 0; r < setFrames.length; r++) {
      setFrames[r] = 16 * (20 + random.nextInt(300));
      setSlots[r] = randomSlots(random, setFrames[r], 1 + random.nextInt(40));
      assertEquals(r, builder.residentSet(setFrames[r], setSlots[r]));
    }
    int at = 0;
    for (int i = 0; i < 2000; i++) {
      at += 1 + random.nextInt(60);
      if (random.nextBoolean()) {
        int set = random.nextInt(setFrames.length);
        int[] own = randomSlots(random, setFrames[set], random.nextInt(6));
        builder.add(at, setFrames[set], set, own);
        int[] all = Arrays.copyOf(setSlots[set], setSlots[set].length + own.length);
        System.arraycopy(own, 0, all, setSlots[set].length, own.length);
        oracle.put(at, setFrames[set] + " " + Arrays.toString(all));
        continue;
      }
      int frame = 16 * (1 + random.nextInt(300));
      int[] slots = randomSlots(random, frame, random.nextInt(Math.min(6, frame / 8 + 1)));
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

  private static int[] randomSlots(Random random, int frame, int count) {
    int[] slots = new int[count];
    for (int s = 0; s < slots.length; s++) {
      slots[s] = 8 * random.nextInt(frame / 8);
    }
    return slots;
  }

  /**
   * The layout docs/cwasm-format.md gives: the resident sets (count, ends, each frame depth / 16,
   * slot count, slots / 8), then the blocks, whose entries are a head (own slot count << 1 | names
   * a set), the frame depth / 16 or the set's index, and the own slots / 8, after varint steps.
   */
  @Test
  void layoutIsResidentSetsThenBlocksOfEntries() {
    StackMapTableBuilder builder = new StackMapTableBuilder();
    int set = builder.residentSet(0x40, new int[] {0, 8});
    byte[] bytes = builder.add(0x10, 0x40, new int[] {0, 0x18}).add(0x18, 0x20, new int[0])
        .add(0x20, 0x40, set, new int[] {0x10}).build(new int[0]);
    byte[] expected = {
        1, 0, 0, 0, 4, 0, 0, 0, 0x04, 0x02, 0x00, 0x01, // one set: frame 0x40, slots 0 and 8
        1, 0, 0, 0, 0x10, 0, 0, 0, 11, 0, 0, 0, // one block at 0x10 of 11 bytes
        0x04, 0x04, 0x00, 0x03, // 2 own slots, no set; frame 0x40; slots 0 and 0x18
        0x08, 0x00, 0x02, // 8 bytes on; no slots, no set; frame 0x20
        0x08, 0x03, 0x00, 0x02}; // 8 bytes on; 1 own slot and set 0; slot 0x10
    assertEquals(Arrays.toString(expected), Arrays.toString(bytes));
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(bytes), 0x28);
    assertArrayEquals(new int[] {0, 0x18}, table.lookup(0x10).orElseThrow().slotOffsets());
    assertEquals(0, table.lookup(0x18).orElseThrow().count());
    StackMapTable.StackMap named = table.lookup(0x20).orElseThrow();
    assertEquals(0x40, named.frameBelowFp());
    assertArrayEquals(new int[] {0, 8, 0x10}, named.slotOffsets());
    assertArrayEquals(new int[] {0, 8}, named.residentSlotOffsets());
    assertArrayEquals(new int[] {0x10}, named.ownSlotOffsets());
  }

  /**
   * K resident slots named by M maps are K + M in the table (about a byte each here); listing the
   * slots in every map, as format 11 did, was 2 x K x M bytes here. Every map still gives all its
   * slots, the set's first. (What decoding the whole table allocates: tests'
   * FrameResidentReferenceLocalsTest, which can count a thread's allocation.)
   */
  @Test
  void residentSlotsCostOnceNotOncePerMap() {
    int slots = 1_000;
    int maps = 1_000;
    StackMapTableBuilder builder = new StackMapTableBuilder();
    int[] resident = new int[slots];
    for (int i = 0; i < slots; i++) {
      resident[i] = 8 * i;
    }
    int frame = 16 * (slots + 2);
    int set = builder.residentSet(frame, resident);
    for (int i = 0; i < maps; i++) {
      builder.add(1 + i, frame, set, new int[] {8 * slots});
    }
    byte[] bytes = builder.build(new int[0]);
    assertTrue(bytes.length < 4 * (slots + maps), bytes.length + " bytes");
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(bytes), maps + 1);
    TextSites<StackMapTable.StackMap> sites = table.sites();
    long[] counted = {0};
    table.forEach((offset, map) -> counted[0] += map.count());
    assertEquals((long) maps * (slots + 1), counted[0]);
    assertEquals(slots + 1, sites.find(maps).count());
    assertEquals(8 * (slots - 1), sites.find(maps).slotOffset(slots - 1));
    assertEquals(8 * slots, sites.find(maps).slotOffset(slots));
  }

  /** A resident set's slot past the frame it gives is refused, as an entry's own slot is. */
  @Test
  void residentSlotOutsideItsFrameIsCorrupt() {
    StackMapTableBuilder builder = new StackMapTableBuilder();
    int set = builder.residentSet(0x20, new int[] {0x18});
    byte[] bytes = builder.add(0x10, 0x20, set, new int[0]).build(new int[0]);
    bytes[10] = 0x04; // the set's slot 4 * 8 = 0x20: the word at the frame pointer, outside the frame
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(bytes), 0x20);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    assertTrue(e.getMessage().contains("outside its frame"), e.getMessage());
    assertThrows(CorruptArtifactException.class, table::sites);
  }

  /** An entry's own slots and its set's together may not outnumber the frame's words. */
  @Test
  void ownSlotsBesidesTheSetsBeyondTheFrameAreCorrupt() {
    StackMapTableBuilder builder = new StackMapTableBuilder();
    int set = builder.residentSet(0x10, new int[] {0});
    byte[] bytes = builder.add(0x10, 0x10, set, new int[] {8}).build(new int[0]);
    bytes[bytes.length - 3] = 0x05; // head: two own slots and the set, three words in a 16-byte frame
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(bytes), 0x20);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    assertTrue(e.getMessage().contains("2 stack map slots besides 1 resident ones in a frame of 16 bytes"),
        e.getMessage());
  }

  /** An entry naming a set the table does not have is refused, not read past the sets. */
  @Test
  void anEntryNamingAMissingSetIsCorrupt() {
    StackMapTableBuilder builder = new StackMapTableBuilder();
    int set = builder.residentSet(0x10, new int[] {0});
    byte[] bytes = builder.add(0x10, 0x10, set, new int[0]).build(new int[0]);
    bytes[bytes.length - 1] = 0x01; // set 1 of 1
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(bytes), 0x20);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    assertTrue(e.getMessage().contains("names resident set 1 of 1"), e.getMessage());
  }

  /** The sets' index is checked when the table opens: ends increasing and inside the section. */
  @Test
  void aSetIndexOutsideTheSectionIsCorrupt() {
    StackMapTableBuilder builder = new StackMapTableBuilder();
    builder.residentSet(0x10, new int[] {0});
    byte[] bytes = builder.build(new int[0]);
    byte[] past = bytes.clone();
    past[4] = 0x40; // the set ends 64 bytes into a section of a few
    assertThrows(CorruptArtifactException.class, () -> StackMapTable.open(MemorySegment.ofArray(past), 0x20));
    byte[] empty = bytes.clone();
    empty[4] = 0; // the set holds no byte
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
        () -> StackMapTable.open(MemorySegment.ofArray(empty), 0x20));
    assertTrue(e.getMessage().contains("every set holds a byte"), e.getMessage());
    byte[] huge = bytes.clone();
    huge[3] = 0x7F; // 2^30 sets, far more than the section holds
    assertThrows(CorruptArtifactException.class, () -> StackMapTable.open(MemorySegment.ofArray(huge), 0x20));
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
    bytes[bytes.length - 4] = 0x06; // head: three slots, no set, in a 16-byte frame
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(bytes), 0x20);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    assertTrue(e.getMessage().contains("stack map slots"), e.getMessage());
  }

  /** A frame depth deeper than any stack would put the slots anywhere in the address space: refused. */
  @Test
  void frameDepthBeyondAnyStackIsCorrupt() {
    byte[] bytes = new StackMapTableBuilder().add(0x10, 0, new int[0]).build(new int[0]);
    byte[] damaged = Arrays.copyOf(bytes, bytes.length + 4);
    damaged[12] += 4; // the block's data four bytes longer: the depth becomes a five-byte varint
    damaged[bytes.length - 2] = 0x00; // no slots, no set
    damaged[bytes.length - 1] = (byte) 0x80;
    damaged[bytes.length] = (byte) 0x80;
    damaged[bytes.length + 1] = (byte) 0x80;
    damaged[bytes.length + 2] = (byte) 0x80;
    damaged[bytes.length + 3] = 0x01; // 2^28 units: 4 GiB
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
    byte[] damaged = Arrays.copyOf(bytes, bytes.length + 7);
    damaged[12] += 7; // the block's data seven bytes longer
    byte[] headAndFrame = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20};
    System.arraycopy(headAndFrame, 0, damaged, bytes.length - 2, headAndFrame.length); // 2^27 slots, 2^26 x 16 bytes
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(damaged), 0x20);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    assertTrue(e.getMessage().contains("134217728 stack map slots but only 0 bytes left"), e.getMessage());
  }

  /** The writer refuses what the reader would: a slot outside the frame, a set it does not have or of another frame. */
  @Test
  void builderRefusesSlotsOutsideTheFrame() {
    assertThrows(IllegalArgumentException.class, () -> new StackMapTableBuilder().add(0, 0x10, new int[] {0x10}));
    assertThrows(IllegalArgumentException.class, () -> new StackMapTableBuilder().add(0, 0x10, new int[] {4}));
    assertThrows(IllegalArgumentException.class, () -> new StackMapTableBuilder().add(0, 0x18, new int[0]));
    assertThrows(IllegalArgumentException.class, () -> new StackMapTableBuilder().add(0, 0x10, new int[] {0, 8, 0}));
    assertThrows(IllegalArgumentException.class, () -> new StackMapTableBuilder().residentSet(0x10, new int[] {0x10}));
    StackMapTableBuilder builder = new StackMapTableBuilder();
    int set = builder.residentSet(0x10, new int[] {0});
    assertThrows(IllegalArgumentException.class, () -> builder.add(0, 0x10, set + 1, new int[0]));
    assertThrows(IllegalArgumentException.class, () -> builder.add(0, 0x20, set, new int[0]));
    assertThrows(IllegalArgumentException.class, () -> builder.add(0, 0x10, set, new int[] {0, 8}));
  }
}
