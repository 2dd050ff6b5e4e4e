package dev.kiln.artifact.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.CorruptionProbe;
import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.FuncKeyKind;
import dev.kiln.artifact.TextRange;
import dev.kiln.artifact.index.KeySets.Placed;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FunctionIndexTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void denseModulesAgreeWithTreeMapOracle(long seed) {
    Random random = new Random(seed);
    checkAgainstOracle(random, KeySets.denseModule(random, 1 + random.nextInt(3000), random.nextInt(40)));
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
  void sparseKeySetsAgreeWithTreeMapOracle(long seed) {
    Random random = new Random(seed);
    checkAgainstOracle(random, KeySets.sparse(random, 1 + random.nextInt(2000)));
  }

  private static void checkAgainstOracle(Random random, TreeSet<FuncKey> keys) {
    List<Placed> placed = KeySets.layOut(random, keys);
    FunctionIndexBuilder builder = KeySets.builder(placed);
    TreeMap<FuncKey, TextRange> oracle = KeySets.oracle(placed);
    int textSize = builder.textEnd() + random.nextInt(64);
    FunctionIndex index = FunctionIndex.open(MemorySegment.ofArray(builder.build()), textSize);

    assertEquals(oracle.size(), index.functionCount());
    for (Map.Entry<FuncKey, TextRange> e : oracle.entrySet()) {
      assertEquals(Optional.of(e.getValue()), index.lookup(e.getKey()), e.getKey().toString());
      assertEquals(e.getValue().start(), index.startOf(e.getKey()));
    }
    // Absent keys next to present ones (holes inside runs, just past run ends) and random keys.
    List<FuncKey> probes = new ArrayList<>();
    for (FuncKey k : oracle.keySet()) {
      for (int delta = -3; delta <= 3; delta++) {
        probes.add(new FuncKey(k.namespace(), k.index() + delta));
      }
    }
    for (int i = 0; i < 5000; i++) {
      FuncKeyKind kind = FuncKeyKind.values()[random.nextInt(FuncKeyKind.values().length)];
      probes.add(FuncKey.of(kind, kind.moduleScoped() ? random.nextInt(4) : 0, random.nextInt(i % 2 == 0 ? 4000 : -1 >>> 1)));
    }
    for (FuncKey probe : probes) {
      assertEquals(Optional.ofNullable(oracle.get(probe)), index.lookup(probe), probe.toString());
    }
    // Reverse lookup at every offset of the text, and a little beyond.
    TreeMap<Integer, Map.Entry<FuncKey, TextRange>> byStart = KeySets.byStart(oracle);
    for (int offset = -2; offset < textSize + 4; offset++) {
      Map.Entry<Integer, Map.Entry<FuncKey, TextRange>> floor = byStart.floorEntry(offset);
      Optional<FuncKey> expected = floor != null && floor.getValue().getValue().contains(offset)
          ? Optional.of(floor.getValue().getKey())
          : Optional.empty();
      assertEquals(expected, index.keyAt(offset), "offset " + offset);
    }
    List<FunctionIndex.Entry> iterated = new ArrayList<>();
    index.forEach(iterated::add);
    List<FunctionIndex.Entry> expectedEntries = new ArrayList<>();
    oracle.forEach((k, r) -> expectedEntries.add(new FunctionIndex.Entry(k, r)));
    assertEquals(expectedEntries, iterated);
  }

  @Test
  void smallHolesStayInTheRunAndLargeGapsStartNewRuns() {
    FunctionIndexBuilder builder = new FunctionIndexBuilder();
    int at = 0;
    // 0,1,2 then a gap of 2 (3,4 missing) -> holes; then 5; then a gap of 3 (6,7,8) -> new run at 9.
    for (int i : new int[] {0, 1, 2, 5, 9, 10}) {
      builder.add(FuncKey.definedWasmFunction(0, i), at, 4);
      at += 4;
    }
    FunctionIndex index = FunctionIndex.open(MemorySegment.ofArray(builder.build()), at);
    assertEquals(2, index.runCount());
    assertEquals(8, index.slotCount());
    assertEquals(6, index.functionCount());
    assertEquals(Optional.empty(), index.lookup(FuncKey.definedWasmFunction(0, 3)));
    assertEquals(Optional.empty(), index.lookup(FuncKey.definedWasmFunction(0, 4)));
    assertEquals(Optional.of(new TextRange(12, 16)), index.lookup(FuncKey.definedWasmFunction(0, 5)));
    assertEquals(Optional.empty(), index.lookup(FuncKey.definedWasmFunction(0, 7)));
    assertEquals(Optional.of(new TextRange(16, 20)), index.lookup(FuncKey.definedWasmFunction(0, 9)));
    assertEquals(12 + 2 * 8 + 8 * 4 + 4 + 8, index.sizeInBytes());
  }

  @Test
  void emptyIndexAnswersNothing() {
    FunctionIndex index = FunctionIndex.open(MemorySegment.ofArray(new FunctionIndexBuilder().build()), 0);
    assertEquals(0, index.functionCount());
    assertEquals(Optional.empty(), index.lookup(FuncKey.definedWasmFunction(0, 0)));
    assertEquals(Optional.empty(), index.keyAt(0));
    assertEquals(16, index.sizeInBytes());
    assertTrue(!index.iterator().hasNext());
  }

  @Test
  void builderRefusesTextOrderThatDiffersFromKeyOrder() {
    FunctionIndexBuilder builder = new FunctionIndexBuilder().add(FuncKey.definedWasmFunction(0, 1), 0, 16);
    IllegalArgumentException keyOrder = assertThrows(IllegalArgumentException.class,
        () -> builder.add(FuncKey.definedWasmFunction(0, 0), 16, 4));
    assertTrue(keyOrder.getMessage().contains("increasing FuncKey order"), keyOrder.getMessage());
    IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class,
        () -> builder.add(FuncKey.definedWasmFunction(0, 2), 8, 4));
    assertTrue(overlap.getMessage().contains("text order must equal FuncKey order"), overlap.getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.add(FuncKey.definedWasmFunction(0, 3), 20, 0));
    assertThrows(IllegalArgumentException.class, () -> builder.add(FuncKey.definedWasmFunction(0, 1), 20, 4));
  }

  @Test
  void functionsEndingPastTextAreRejected() {
    byte[] bytes = new FunctionIndexBuilder().add(FuncKey.builtin(0), 0, 100).build();
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
        () -> FunctionIndex.open(MemorySegment.ofArray(bytes), 99));
    assertTrue(e.getMessage().startsWith(".kiln.funcs at offset 0x20: functions end at 100, past the end of .text"),
        e.getMessage());
  }

  @Test
  void everyTruncationAndRandomDamageIsCaught() {
    Random random = new Random(99);
    List<Placed> placed = KeySets.layOut(random, KeySets.sparse(random, 150));
    FunctionIndexBuilder builder = KeySets.builder(placed);
    byte[] valid = builder.build();
    int textSize = builder.textEnd();
    CorruptionProbe.everyTruncationIsRejected(valid, segment -> exerciseEverything(segment, textSize));
    int rejected = CorruptionProbe.randomFlipsOnlyRaiseArtifactExceptions(valid, 7, 20_000,
        segment -> exerciseEverything(segment, textSize));
    assertTrue(rejected > 10_000, "most damage should be detected, rejected " + rejected);
  }

  /**
   * Opens (possibly damaged) bytes and checks the index is self-consistent: whatever passed
   * validation must answer every query without failing and agree with its own iteration.
   */
  static void exerciseEverything(MemorySegment segment, int textSize) {
    FunctionIndex index = FunctionIndex.open(segment, textSize);
    int count = 0;
    for (FunctionIndex.Entry e : index) {
      count++;
      assertEquals(Optional.of(e.range()), index.lookup(e.key()));
      assertEquals(Optional.of(e.key()), index.keyAt(e.range().start()));
      assertEquals(Optional.of(e.key()), index.keyAt(e.range().end() - 1));
      assertTrue(e.range().end() <= textSize);
    }
    assertEquals(index.functionCount(), count);
    for (int i = 0; i < 64; i++) {
      index.lookup(FuncKey.definedWasmFunction(0, i));
      index.lookup(FuncKey.arrayToWasmTrampoline(1, -i));
      index.keyAt(i * 31);
    }
  }
}
