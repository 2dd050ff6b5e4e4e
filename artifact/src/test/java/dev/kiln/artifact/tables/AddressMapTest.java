package dev.kiln.artifact.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.CorruptionProbe;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AddressMapTest {
  private static final int[] NO_FUNCTIONS = {};

  @Test
  void floorLookupAgreesWithOracle() {
    Random random = new Random(17);
    TreeMap<Integer, Integer> oracle = new TreeMap<>();
    AddressMapBuilder builder = new AddressMapBuilder();
    List<Integer> functionStarts = new ArrayList<>();
    int at = 5;
    int wasm = 100;
    for (int i = 0; i < 4000; i++) {
      // Small and large steps both ways, "none" now and then, functions starting now and then.
      int value = random.nextInt(10) == 0 ? AddressMap.NONE
          : random.nextInt(3) == 0 ? wasm
          : random.nextInt(20) == 0 ? (wasm = random.nextInt(Integer.MAX_VALUE))
          : (wasm += 1 + random.nextInt(30));
      if (random.nextInt(25) == 0) {
        functionStarts.add(at);
      }
      builder.add(at, value);
      oracle.put(at, value);
      at += 1 + (random.nextInt(30) == 0 ? random.nextInt(5000) : random.nextInt(20));
    }
    AddressMap map = AddressMap.open(MemorySegment.ofArray(
        builder.build(functionStarts.stream().mapToInt(Integer::intValue).toArray())), at);
    for (int offset = -1; offset < at; offset++) {
      Map.Entry<Integer, Integer> floor = oracle.floorEntry(offset);
      assertEquals(floor == null ? AddressMap.NONE : floor.getValue(), map.wasmOffsetAt(offset), "offset " + offset);
    }
    TreeMap<Integer, Integer> kept = new TreeMap<>();
    map.forEach(kept::put);
    assertEquals(builder.size(), kept.size());
    kept.forEach((text, wasmOffset) -> assertEquals(wasmOffset, map.wasmOffsetAt(text)));
    for (int offset = -1; offset < at; offset++) {
      Integer exact = kept.get(offset);
      assertEquals(exact == null || exact == AddressMap.NONE ? OptionalInt.empty() : OptionalInt.of(exact),
          map.wasmOffsetStartingAt(offset), "offset " + offset);
    }
  }

  @Test
  void repeatedWasmOffsetsAreStoredOnce() {
    AddressMapBuilder builder = new AddressMapBuilder().add(0, 7).add(4, 7).add(8, 7).add(12, 9).add(16, 9);
    assertEquals(2, builder.size());
    AddressMap map = AddressMap.open(MemorySegment.ofArray(builder.build(NO_FUNCTIONS)), 20);
    assertEquals(7, map.wasmOffsetAt(11));
    assertEquals(9, map.wasmOffsetAt(19));
    assertEquals(OptionalInt.of(9), map.wasmOffsetStartingAt(12));
    assertEquals(OptionalInt.empty(), map.wasmOffsetStartingAt(13));
    assertThrows(IllegalArgumentException.class, () -> builder.add(16, 9));
  }

  /**
   * The layout docs/cwasm-format.md gives, byte for byte: one block, its first entry a varint of
   * wasm offset + 1, then one head byte per entry whose text and wasm steps both fit a nibble, and
   * escapes for those that do not.
   */
  @Test
  void layoutIsBlockIndexThenOneByteEntries() {
    byte[] bytes = new AddressMapBuilder()
        .add(0x10, AddressMap.NONE) // first entry: varint(0)
        .add(0x13, 0x2F)            // text +3, v 0 -> 0x30: +48 escapes: 0x30, zigzag(48) = 96
        .add(0x18, 0x31)            // text +5, v +2: one byte 0x52
        .add(0x118, 0x30)           // text +256 escapes, v -1 escapes: 0x00, varint 256, zigzag(-1) = 1
        .build(NO_FUNCTIONS);
    byte[] expected = {1, 0, 0, 0, 0x10, 0, 0, 0, 8, 0, 0, 0,
        0, 0x30, 96, 0x52, 0x00, (byte) 0x80, 0x02, 0x01};
    assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(bytes));
  }

  /** Inlined code: a jump away in the wasm, then back to just after the call, small from where it left. */
  @Test
  void aJumpBackIsCodedFromWhereTheLastJumpLeft() {
    byte[] bytes = new AddressMapBuilder().add(0, 99).add(4, 4999).add(8, 104).build(NO_FUNCTIONS);
    // varint(100); head t=4 w=0, zigzag(4900) = 9800 = c8 4c; head t=4 w=15, zigzag(104 + 1 - 100) = 10.
    byte[] expected = {1, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0x64, 0x40, (byte) 0xC8, 0x4C, 0x4F, 0x0A};
    assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(bytes));
    AddressMap map = AddressMap.open(MemorySegment.ofArray(bytes), 12);
    assertEquals(99, map.wasmOffsetAt(3));
    assertEquals(4999, map.wasmOffsetAt(7));
    assertEquals(104, map.wasmOffsetAt(11));
  }

  @Test
  void blocksHoldAtMost64EntriesAndRestartAtFunctions() {
    AddressMapBuilder builder = new AddressMapBuilder();
    for (int i = 0; i < 130; i++) {
      builder.add(i * 4, i);
    }
    // 130 entries: blocks of 64, 64, 2; functions starting at entries 20 and 100 cut them into
    // 20, 64, 16 and 30.
    assertEquals(3, blockCount(builder.build(NO_FUNCTIONS)));
    byte[] cut = builder.build(new int[] {0, 80, 400});
    assertEquals(4, blockCount(cut));
    AddressMap map = AddressMap.open(MemorySegment.ofArray(cut), 130 * 4);
    for (int i = 0; i < 130 * 4; i++) {
      assertEquals(i / 4, map.wasmOffsetAt(i));
    }
    assertEquals(130, map.size());
  }

  /** A hostile block: 65 entries in one block, steps past the next block, a varint without end. */
  @Test
  void hostileBlocksAreRefusedWhenDecoded() {
    // One block of 65 one-byte entries (text +1, v +1), which no writer makes.
    byte[] tooLong = new byte[12 + 1 + 64];
    tooLong[0] = 1;
    tooLong[8] = 65;
    tooLong[12] = 1;
    java.util.Arrays.fill(tooLong, 13, tooLong.length, (byte) 0x11);
    AddressMap map = AddressMap.open(MemorySegment.ofArray(tooLong), 1000);
    assertEquals(0, map.wasmOffsetAt(0));
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> map.wasmOffsetAt(500));
    assertEquals(".kiln.addrmap at offset 0x4c: block holds more than 64 entries", e.getMessage());

    // Two blocks (first offsets 0 and 4); block 0 steps to offset 5, into block 1's range.
    byte[] overlap = {2, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 1, 0x51, 1};
    AddressMap overlapping = AddressMap.open(MemorySegment.ofArray(overlap), 100);
    assertThrows(CorruptArtifactException.class, () -> overlapping.wasmOffsetAt(3));
    assertThrows(CorruptArtifactException.class, () -> overlapping.forEach((t, w) -> {}));

    // A varint whose every byte says "more" up to the end of its block.
    byte[] endless = {1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80};
    assertThrows(CorruptArtifactException.class,
        () -> AddressMap.open(MemorySegment.ofArray(endless), 100).wasmOffsetAt(0));
  }

  @Test
  void damagedMapsOnlyRaiseArtifactExceptions() {
    AddressMapBuilder builder = new AddressMapBuilder();
    for (int i = 0; i < 150; i++) {
      builder.add(i * 5, i % 9 == 0 ? AddressMap.NONE : i * 3 + (i % 4 == 0 ? 1000 : 0));
    }
    byte[] valid = builder.build(new int[] {0, 100, 400});
    CorruptionProbe.everyTruncationIsRejected(valid, s -> AddressMap.open(s, 750));
    CorruptionProbe.randomFlipsOnlyRaiseArtifactExceptions(valid, 9, 5000, s -> {
      AddressMap map = AddressMap.open(s, 750);
      map.forEach((text, wasm) -> assertEquals(wasm, map.wasmOffsetAt(text)));
      for (int offset = 0; offset < 750; offset += 7) {
        map.wasmOffsetAt(offset);
      }
    });
    // The last entry, at 745, lies outside a 745-byte text: found when its block is decoded.
    AddressMap shorter = AddressMap.open(MemorySegment.ofArray(valid), 745);
    assertThrows(CorruptArtifactException.class, () -> shorter.wasmOffsetAt(744));
  }

  static int blockCount(byte[] table) {
    return MemorySegment.ofArray(table).get(dev.kiln.artifact.internal.SectionReader.U32, 0);
  }
}
