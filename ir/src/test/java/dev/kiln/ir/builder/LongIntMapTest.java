package dev.kiln.ir.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LongIntMapTest {
  private static long key(int i) {
    return (long) i << 32 | (i * 7L & 0xFFFF_FFFFL);
  }

  @Test
  void keepsEveryValueAndForgetsNone() {
    LongIntMap map = new LongIntMap();
    for (int i = 0; i < 5000; i++) {
      map.put(key(i), i);
    }
    map.put(key(17), -5);
    for (int i = 0; i < 5000; i++) {
      assertEquals(i == 17 ? -5 : i, map.get(key(i)));
    }
    assertEquals(-1, map.get(key(5000)));
  }
}
