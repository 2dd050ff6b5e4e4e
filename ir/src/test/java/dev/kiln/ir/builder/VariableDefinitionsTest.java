package dev.kiln.ir.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VariableDefinitionsTest {
  @Test
  void answersAsAMapOfPairsDoes() {
    // Variables with values in few blocks (kept in hash tables), in most blocks (turned into arrays
    // indexed by block), values replaced, and blocks far past an array's end.
    Random random = new Random(40);
    VariableDefinitions table = new VariableDefinitions();
    Map<Long, Integer> expected = new HashMap<>();
    for (int i = 0; i < 50_000; i++) {
      int var = random.nextInt(40);
      int blocks = var < 10 ? 64 : var < 20 ? 4_000 : 100_000;
      int block = random.nextInt(blocks);
      int value = random.nextInt(1 << 20);
      table.put(var, block, value);
      expected.put(key(var, block), value);
      int probeVar = random.nextInt(41);
      int probeBlock = random.nextInt(200_000);
      assertEquals(expected.getOrDefault(key(probeVar, probeBlock), -1), table.get(probeVar, probeBlock));
    }
    for (int var = 0; var < 40; var++) {
      // Far past every array's end: the dense variables become tables again.
      table.put(var, 1_000_000 + var, var);
      expected.put(key(var, 1_000_000 + var), var);
    }
    for (Map.Entry<Long, Integer> e : expected.entrySet()) {
      assertEquals(e.getValue(), table.get((int) (e.getKey() >>> 32), (int) (long) e.getKey()));
    }
  }

  private static long key(int var, int block) {
    return (long) var << 32 | block;
  }

  @Test
  void neitherFormTakesMoreThanEightIntsPerValue() {
    // A variable with a value in each of its first 1,000 blocks is an array; one more value at
    // block 1,000,000 would make that array 4 MB, and makes it a table instead.
    VariableDefinitions table = new VariableDefinitions();
    for (int block = 0; block < 1000; block++) {
      table.put(0, block, block);
    }
    assertTrue(table.footprint() <= 8 * 1000, table.footprint() + " ints");
    table.put(0, 1_000_000, 7);
    assertTrue(table.footprint() <= 8 * 1001, table.footprint() + " ints");
    assertEquals(7, table.get(0, 1_000_000));
    assertEquals(999, table.get(0, 999));
    assertEquals(-1, table.get(0, 1000));
  }
}
