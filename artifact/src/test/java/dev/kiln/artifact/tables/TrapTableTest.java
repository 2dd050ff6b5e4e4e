package dev.kiln.artifact.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.CorruptionProbe;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TrapTableTest {
  @Test
  void exactLookupAgreesWithOracle() {
    Random random = new Random(3);
    TreeMap<Integer, TrapCode> oracle = new TreeMap<>();
    TrapTableBuilder builder = new TrapTableBuilder();
    int at = 0;
    for (int i = 0; i < 3000; i++) {
      at += 1 + random.nextInt(40);
      TrapCode code = TrapCode.values()[random.nextInt(TrapCode.values().length)];
      builder.add(at, code);
      oracle.put(at, code);
    }
    int textSize = at + 1;
    TrapTable table = TrapTable.open(MemorySegment.ofArray(builder.build(new int[] {0, 500, 20_000})), textSize);
    assertEquals(3000, table.size());
    for (int offset = -1; offset <= textSize + 1; offset++) {
      assertEquals(Optional.ofNullable(oracle.get(offset)), table.lookup(offset), "offset " + offset);
    }
    TreeMap<Integer, TrapCode> listed = new TreeMap<>();
    table.forEach((offset, code) -> listed.put(offset, TrapCode.fromCode(code).orElseThrow()));
    assertEquals(oracle, listed);
  }

  /**
   * The layout docs/cwasm-format.md gives: the block index, the first site's code byte, then one
   * varint per site holding the distance above five bits of code.
   */
  @Test
  void layoutIsBlockIndexThenPackedSites() {
    byte[] bytes = new TrapTableBuilder().add(0x10, TrapCode.UNREACHABLE).add(0x13, TrapCode.HEAP_OUT_OF_BOUNDS)
        .add(0x1234, TrapCode.STACK_OVERFLOW).build(new int[0]);
    // 3 << 5 | 1 = 0x61; (0x1234 - 0x13) << 5 | 0 = 0x24420 = varint a0 88 09.
    byte[] expected = {1, 0, 0, 0, 0x10, 0, 0, 0, 5, 0, 0, 0, 9, 0x61, (byte) 0xA0, (byte) 0x88, 0x09};
    assertEquals(Arrays.toString(expected), Arrays.toString(bytes));
  }

  @Test
  void builderRefusesUnsortedOffsets() {
    TrapTableBuilder builder = new TrapTableBuilder().add(8, TrapCode.UNREACHABLE);
    assertThrows(IllegalArgumentException.class, () -> builder.add(8, TrapCode.UNREACHABLE));
    assertThrows(IllegalArgumentException.class, () -> builder.add(4, TrapCode.UNREACHABLE));
  }

  @Test
  void rejectsOffsetsOutsideTextAndUnknownCodes() {
    byte[] bytes = new TrapTableBuilder().add(100, TrapCode.UNREACHABLE).add(102, TrapCode.UNREACHABLE)
        .build(new int[0]);
    assertThrows(CorruptArtifactException.class, () -> TrapTable.open(MemorySegment.ofArray(bytes), 100));
    bytes[12] = (byte) 200;
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
        () -> TrapTable.open(MemorySegment.ofArray(bytes), 103).lookup(100));
    assertEquals(".kiln.traps at offset 0xd: unknown trap code 200", e.getMessage());
    bytes[12] = 9;
    bytes[13] = 2 << 5 | 30; // a code that fits the five bits but names no trap
    e = assertThrows(CorruptArtifactException.class, () -> TrapTable.open(MemorySegment.ofArray(bytes), 103).lookup(102));
    assertEquals(".kiln.traps at offset 0xe: unknown trap code 30", e.getMessage());
    bytes[13] = 2 << 5 | 31; // the escape, and no byte after it
    e = assertThrows(CorruptArtifactException.class, () -> TrapTable.open(MemorySegment.ofArray(bytes), 103).lookup(102));
    assertEquals(".kiln.traps at offset 0xe: trap code runs past the end of its block", e.getMessage());
  }

  @Test
  void damagedTablesOnlyRaiseArtifactExceptions() {
    TrapTableBuilder builder = new TrapTableBuilder();
    for (int i = 0; i < 40; i++) {
      builder.add(i * 7, TrapCode.values()[i % TrapCode.values().length]);
    }
    byte[] valid = builder.build(new int[] {0, 70});
    CorruptionProbe.everyTruncationIsRejected(valid, s -> TrapTable.open(s, 400));
    CorruptionProbe.randomFlipsOnlyRaiseArtifactExceptions(valid, 5, 5000, s -> {
      TrapTable table = TrapTable.open(s, 400);
      table.forEach((offset, code) -> assertEquals(TrapCode.fromCode(code), table.lookup(offset)));
    });
  }

  @Test
  void codesAndMessagesAreUniqueAndStable() {
    Set<Integer> codes = new HashSet<>();
    Set<String> messages = new HashSet<>();
    for (TrapCode t : TrapCode.values()) {
      assertTrue(codes.add(t.code()), t.toString());
      assertTrue(messages.add(t.message()), t.toString());
      assertEquals(Optional.of(t), TrapCode.fromCode(t.code()));
    }
    // Stored in artifacts and trap records: these must never change.
    assertEquals(0, TrapCode.STACK_OVERFLOW.code());
    assertEquals(1, TrapCode.HEAP_OUT_OF_BOUNDS.code());
    assertEquals(9, TrapCode.UNREACHABLE.code());
    assertEquals(12, TrapCode.UNINITIALIZED_ELEMENT.code());
    assertEquals("integer divide by zero", TrapCode.INTEGER_DIVISION_BY_ZERO.message());
    assertEquals(Optional.empty(), TrapCode.fromCode(255));
    assertEquals(Optional.empty(), TrapCode.fromCode(-1));
  }
}
