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

  @Test
  void aMapSizedForItsKeysPutsNoneAgainWhileTheyAreAdded() {
    // Each growth puts every key again: the SSA builder's table, sized from the body's bytes,
    // should not grow on the way to its usual size.
    LongIntMap sized = new LongIntMap(1000);
    LongIntMap unsized = new LongIntMap();
    int sizedCapacity = sized.capacity();
    for (int i = 0; i < 1000; i++) {
      sized.put(key(i), i);
      unsized.put(key(i), i);
    }
    assertEquals(sizedCapacity, sized.capacity(), "made large enough at once");
    assertEquals(2048, unsized.capacity(), "grown from 64 by five doublings");
    for (int i = 0; i < 1000; i++) {
      assertEquals(i, sized.get(key(i)));
    }
  }
}
