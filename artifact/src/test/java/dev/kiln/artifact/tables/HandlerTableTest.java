package dev.kiln.artifact.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.CorruptArtifactException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HandlerTableTest {
  @Test
  void exactLookupAgreesWithOracle() {
    Random random = new Random(7);
    TreeMap<Integer, Integer> oracle = new TreeMap<>();
    HandlerTableBuilder builder = new HandlerTableBuilder();
    int at = 0;
    for (int i = 0; i < 2000; i++) {
      at += 1 + random.nextInt(60);
      int landing = Math.max(0, at + random.nextInt(400) - 200);
      builder.add(at, landing);
      oracle.put(at, landing);
    }
    int textSize = at + 300;
    HandlerTable table = HandlerTable.open(MemorySegment.ofArray(builder.build(new int[] {0, 700, 30_000})), textSize);
    for (int offset = -1; offset <= textSize + 1; offset++) {
      Integer expected = oracle.get(offset);
      assertEquals(expected == null ? OptionalInt.empty() : OptionalInt.of(expected), table.lookup(offset),
          "offset " + offset);
    }
    TreeMap<Integer, Integer> listed = new TreeMap<>();
    table.forEach(listed::put);
    assertEquals(oracle, listed);
  }

  /** The layout docs/cwasm-format.md gives: the block index, then zigzag landing distances after varint steps. */
  @Test
  void layoutIsBlockIndexThenDistances() {
    byte[] bytes = new HandlerTableBuilder().add(0x10, 0x30).add(0x18, 0x08).build(new int[0]);
    // first: zigzag(0x20) = 0x40; then distance 8, zigzag(-0x10) = 0x1F
    byte[] expected = {1, 0, 0, 0, 0x10, 0, 0, 0, 3, 0, 0, 0, 0x40, 0x08, 0x1F};
    assertEquals(Arrays.toString(expected), Arrays.toString(bytes));
  }

  /** A landing pad outside .text would send the throw stub anywhere: the lookup refuses it. */
  @Test
  void landingPadOutsideTextIsCorrupt() {
    byte[] bytes = new HandlerTableBuilder().add(0x10, 0x30).build(new int[0]);
    HandlerTable table = HandlerTable.open(MemorySegment.ofArray(bytes), 0x20);
    assertThrows(CorruptArtifactException.class, () -> table.lookup(0x10));
    byte[] before = new HandlerTableBuilder().add(0x10, 0).build(new int[0]);
    before[before.length - 1] = 0x21; // zigzag -17: 0x10 - 17 = -1
    HandlerTable negative = HandlerTable.open(MemorySegment.ofArray(before), 0x20);
    assertThrows(CorruptArtifactException.class, () -> negative.lookup(0x10));
  }

  @Test
  void builderRefusesUnsortedOffsets() {
    HandlerTableBuilder builder = new HandlerTableBuilder().add(8, 0);
    assertThrows(IllegalArgumentException.class, () -> builder.add(8, 0));
    assertThrows(IllegalArgumentException.class, () -> builder.add(4, 0));
  }
}
