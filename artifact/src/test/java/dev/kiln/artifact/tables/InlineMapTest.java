package dev.kiln.artifact.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.CorruptionProbe;
import dev.kiln.artifact.FuncKey;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class InlineMapTest {
  @Test
  void sitesAndFloorLookupRoundTrip() {
    InlineMapBuilder builder = new InlineMapBuilder();
    int outer = builder.site(FuncKey.definedWasmFunction(0, 3), 0x40, InlineMap.NONE);
    int inner = builder.site(FuncKey.definedWasmFunction(0, 5), 0x90, outer);
    builder.add(0, InlineMap.NONE).add(8, outer).add(12, outer).add(16, inner).add(24, InlineMap.NONE);
    InlineMap map = InlineMap.open(MemorySegment.ofArray(builder.build(new int[0])), 32);

    assertEquals(2, map.siteCount());
    assertEquals(InlineMap.NONE, map.siteAt(7));
    assertEquals(outer, map.siteAt(15));
    assertEquals(inner, map.siteAt(23));
    assertEquals(InlineMap.NONE, map.siteAt(31));
    assertEquals(FuncKey.definedWasmFunction(0, 5), map.callee(inner));
    assertEquals(0x90, map.callWasmOffset(inner));
    assertEquals(outer, map.parent(inner));
    assertEquals(InlineMap.NONE, map.parent(outer));
  }

  @Test
  void floorLookupAgreesWithOracle() {
    Random random = new Random(23);
    InlineMapBuilder builder = new InlineMapBuilder();
    for (int s = 0; s < 20; s++) {
      builder.site(FuncKey.definedWasmFunction(0, s), s * 4, s == 0 ? InlineMap.NONE : random.nextInt(s));
    }
    TreeMap<Integer, Integer> oracle = new TreeMap<>();
    int at = 3;
    for (int i = 0; i < 3000; i++) {
      int site = random.nextInt(3) == 0 ? InlineMap.NONE : random.nextInt(20);
      builder.add(at, site);
      oracle.put(at, site);
      at += 1 + random.nextInt(9);
    }
    InlineMap map = InlineMap.open(MemorySegment.ofArray(builder.build(new int[0])), at);
    for (int offset = -1; offset < at; offset++) {
      Map.Entry<Integer, Integer> floor = oracle.floorEntry(offset);
      assertEquals(floor == null ? InlineMap.NONE : floor.getValue(), map.siteAt(offset), "offset " + offset);
    }
  }

  @Test
  void aBuilderRefusesUndeclaredSites() {
    InlineMapBuilder builder = new InlineMapBuilder();
    assertThrows(IllegalArgumentException.class, () -> builder.site(FuncKey.definedWasmFunction(0, 1), 0, 0));
    assertThrows(IllegalArgumentException.class, () -> builder.add(0, 0));
  }

  @Test
  void damagedMapsOnlyRaiseArtifactExceptions() {
    InlineMapBuilder builder = new InlineMapBuilder();
    for (int s = 0; s < 6; s++) {
      builder.site(FuncKey.definedWasmFunction(0, s), 0x100 + s, s - 1);
    }
    for (int i = 0; i < 40; i++) {
      builder.add(i * 5, i % 7 == 6 ? InlineMap.NONE : i % 6);
    }
    byte[] valid = builder.build(new int[0]);
    CorruptionProbe.everyTruncationIsRejected(valid, s -> InlineMap.open(s, 200));
    CorruptionProbe.randomFlipsOnlyRaiseArtifactExceptions(valid, 11, 5000, s -> {
      InlineMap map = InlineMap.open(s, 200);
      for (int offset = 0; offset < 200; offset++) {
        // Every walk up the parents ends within the site count.
        int steps = 0;
        for (int site = map.siteAt(offset); site != InlineMap.NONE; site = map.parent(site)) {
          map.callee(site);
          steps++;
          assertEquals(true, steps <= map.siteCount());
        }
      }
    });
    byte[] cycle = valid.clone();
    // Widths: callee 1 byte, call offset (0x100 + s) 2, parent + 1 one; site 0's parent + 1 is at
    // 12 + 1 + 2. Make it 1: site 0 its own parent.
    assertEquals("[1, 2, 1, 0]", java.util.Arrays.toString(java.util.Arrays.copyOfRange(valid, 4, 8)));
    cycle[15] = 1;
    assertThrows(CorruptArtifactException.class, () -> InlineMap.open(MemorySegment.ofArray(cycle), 200));
  }

  @Test
  void aColumnNamingAnUndeclaredSiteIsRefusedWhenDecoded() {
    // No sites; one block at text offset 0 whose entry says site 4 (stored as 5).
    byte[] bytes = {0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5};
    InlineMap map = InlineMap.open(MemorySegment.ofArray(bytes), 10);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> map.siteAt(3));
    assertEquals(".kiln.inline at offset 0x18: entry names inline site 4 of 0", e.getMessage());
  }

  /** Each site field is as wide as its largest value: here 1 + 3 + 2 bytes a site. */
  @Test
  void siteFieldsTakeTheBytesTheirLargestValueNeeds() {
    InlineMapBuilder builder = new InlineMapBuilder();
    for (int s = 0; s < 300; s++) {
      builder.site(FuncKey.definedWasmFunction(0, s % 200), 0x10000 + s, s == 0 ? InlineMap.NONE : s - 1);
    }
    builder.add(0, 299);
    byte[] bytes = builder.build(new int[0]);
    assertEquals("[1, 3, 2, 0]", java.util.Arrays.toString(java.util.Arrays.copyOfRange(bytes, 4, 8)));
    assertEquals(12 + 300 * 6 + 4 + 8 + 2, bytes.length);
    InlineMap map = InlineMap.open(MemorySegment.ofArray(bytes), 10);
    assertEquals(FuncKey.definedWasmFunction(0, 99), map.callee(299));
    assertEquals(0x10000 + 299, map.callWasmOffset(299));
    assertEquals(298, map.parent(299));
    assertEquals(InlineMap.NONE, map.parent(0));
    assertEquals(299, map.siteAt(5));
    for (int width : new int[] {0, 5}) {
      byte[] hostile = bytes.clone();
      hostile[5] = (byte) width;
      assertThrows(CorruptArtifactException.class, () -> InlineMap.open(MemorySegment.ofArray(hostile), 10));
    }
  }
}
