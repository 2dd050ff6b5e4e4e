package dev.kiln.artifact.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HandlerTableTest {
  @Test
  void exactLookupAgreesWithOracle() {
    Random random = new Random(7);
    TreeMap<Integer, HandlerTable.Landing> oracle = new TreeMap<>();
    HandlerTableBuilder builder = new HandlerTableBuilder();
    int at = 0;
    for (int i = 0; i < 2000; i++) {
      at += 1 + random.nextInt(60);
      int landing = Math.max(0, at + random.nextInt(400) - 200);
      int frame = 16 * random.nextInt(5000);
      builder.add(at, landing, frame);
      oracle.put(at, new HandlerTable.Landing(landing, frame));
    }
    int textSize = at + 300;
    HandlerTable table = HandlerTable.open(MemorySegment.ofArray(builder.build(new int[] {0, 700, 30_000})), textSize);
    for (int offset = -1; offset <= textSize + 1; offset++) {
      assertEquals(Optional.ofNullable(oracle.get(offset)), table.lookup(offset),
          "offset " + offset);
    }
    TreeMap<Integer, HandlerTable.Landing> listed = new TreeMap<>();
    table.forEach(listed::put);
    assertEquals(oracle, listed);
    // the decoded arrays the runtime searches on each throw: every site in ascending order
    TextSites<HandlerTable.Landing> sites = table.sites();
    assertTrue(Arrays.equals(oracle.keySet().stream().mapToInt(Integer::intValue).toArray(), sites.returnOffsets()));
    assertEquals(java.util.List.copyOf(oracle.values()), Arrays.asList(sites.entries()));
  }

  /**
   * The layout docs/cwasm-format.md gives: the block index, then zigzag landing distances after
   * varint steps, each followed by the frame depth in 16-byte units.
   */
  @Test
  void layoutIsBlockIndexThenDistancesAndFrames() {
    byte[] bytes = new HandlerTableBuilder().add(0x10, 0x30, 0x20).add(0x18, 0x08, 0).build(new int[0]);
    // first: zigzag(0x20) = 0x40, frame 0x20 / 16 = 2; then distance 8, zigzag(-0x10) = 0x1F, frame 0
    byte[] expected = {1, 0, 0, 0, 0x10, 0, 0, 0, 5, 0, 0, 0, 0x40, 0x02, 0x08, 0x1F, 0x00};
    assertEquals(Arrays.toString(expected), Arrays.toString(bytes));
  }

  /** A landing pad outside .text would send the throw stub anywhere: the lookup refuses it. */
  @Test
  void landingPadOutsideTextIsCorrupt() {
    byte[] bytes = new HandlerTableBuilder().add(0x10, 0x30, 0).build(new int[0]);
    HandlerTable table = HandlerTable.open(MemorySegment.ofArray(bytes), 0x20);
    assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    byte[] before = new HandlerTableBuilder().add(0x10, 0, 0).build(new int[0]);
    before[before.length - 2] = 0x21; // zigzag -17: 0x10 - 17 = -1
    HandlerTable negative = HandlerTable.open(MemorySegment.ofArray(before), 0x20);
    assertThrows(CorruptArtifactException.class, () -> negative.lookup(0x10));
  }

  /**
   * A frame depth sets the stack pointer the throw stub resumes with: a damaged one deeper than any
   * wasm stack is refused at lookup, not turned into a stack pointer anywhere in the address space.
   */
  @Test
  void frameDepthBeyondAnyStackIsCorrupt() {
    byte[] bytes = new HandlerTableBuilder().add(0x10, 0x18, 0).build(new int[0]);
    byte[] damaged = Arrays.copyOf(bytes, bytes.length + 4);
    damaged[8] += 4; // the block's end: its data four bytes longer, the depth a five-byte varint
    damaged[bytes.length - 1] = (byte) 0x80;
    damaged[bytes.length] = (byte) 0x80;
    damaged[bytes.length + 1] = (byte) 0x80;
    damaged[bytes.length + 2] = (byte) 0x80;
    damaged[bytes.length + 3] = 0x01; // 2^28 units: 4 GiB
    HandlerTable table = HandlerTable.open(MemorySegment.ofArray(damaged), 0x20);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    assertTrue(e.getMessage().contains("frame depth"), e.getMessage());
  }

  @Test
  void builderRefusesUnsortedOffsetsAndUnalignedFrames() {
    HandlerTableBuilder builder = new HandlerTableBuilder().add(8, 0, 0);
    assertThrows(IllegalArgumentException.class, () -> builder.add(8, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> builder.add(4, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> builder.add(12, 0, 8));
  }
}
