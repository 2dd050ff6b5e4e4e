package dev.kiln.artifact.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.CorruptionProbe;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AddressMapTest {
  @Test
  void floorLookupAgreesWithOracle() {
    Random random = new Random(17);
    TreeMap<Integer, Integer> oracle = new TreeMap<>();
    AddressMapBuilder builder = new AddressMapBuilder();
    int at = 5;
    int wasm = 100;
    for (int i = 0; i < 4000; i++) {
      int value = random.nextInt(10) == 0 ? AddressMap.NONE : (random.nextInt(3) == 0 ? wasm : (wasm += 1 + random.nextInt(9)));
      builder.add(at, value);
      oracle.put(at, value);
      at += 1 + random.nextInt(12);
    }
    AddressMap map = AddressMap.open(MemorySegment.ofArray(builder.build()), at);
    for (int offset = -1; offset < at; offset++) {
      Map.Entry<Integer, Integer> floor = oracle.floorEntry(offset);
      assertEquals(floor == null ? AddressMap.NONE : floor.getValue(), map.wasmOffsetAt(offset), "offset " + offset);
    }
  }

  @Test
  void repeatedWasmOffsetsAreStoredOnce() {
    AddressMapBuilder builder = new AddressMapBuilder().add(0, 7).add(4, 7).add(8, 7).add(12, 9).add(16, 9);
    assertEquals(2, builder.size());
    AddressMap map = AddressMap.open(MemorySegment.ofArray(builder.build()), 20);
    assertEquals(7, map.wasmOffsetAt(11));
    assertEquals(9, map.wasmOffsetAt(19));
    assertEquals(12, map.textOffsetAt(1));
    assertThrows(IllegalArgumentException.class, () -> builder.add(16, 9));
  }

  @Test
  void damagedMapsOnlyRaiseArtifactExceptions() {
    AddressMapBuilder builder = new AddressMapBuilder();
    for (int i = 0; i < 50; i++) {
      builder.add(i * 5, i * 3);
    }
    byte[] valid = builder.build();
    CorruptionProbe.everyTruncationIsRejected(valid, s -> AddressMap.open(s, 250));
    CorruptionProbe.randomFlipsOnlyRaiseArtifactExceptions(valid, 9, 5000, s -> {
      AddressMap map = AddressMap.open(s, 250);
      for (int i = 0; i < map.size(); i++) {
        assertEquals(map.wasmOffsetOfEntry(i), map.wasmOffsetAt(map.textOffsetAt(i)));
      }
    });
    assertThrows(CorruptArtifactException.class, () -> AddressMap.open(MemorySegment.ofArray(valid), 245));
  }
}
