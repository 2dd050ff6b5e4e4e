package dev.kiln.artifact.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link OffsetPairs} gives back every pair as added, extremes included, in a few bytes a pair. */
class OffsetPairsTest {
  @Test
  void pairsComeBackAsAddedWhateverTheirDistances() {
    int[] texts = {0, 1, 2, 200, 70_000, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
    int[] values = {-1, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 12345, Integer.MIN_VALUE};
    OffsetPairs pairs = new OffsetPairs();
    for (int i = 0; i < texts.length; i++) {
      pairs.add(texts[i], values[i]);
      assertEquals(values[i], pairs.lastValue());
    }
    assertEquals(texts.length, pairs.size());
    for (int pass = 0; pass < 2; pass++) { // a cursor does not consume the pairs
      OffsetPairs.Cursor cursor = pairs.cursor();
      for (int i = 0; i < texts.length; i++) {
        assertTrue(cursor.next());
        assertEquals(texts[i], cursor.textOffset(), "text offset " + i);
        assertEquals(values[i], cursor.value(), "value " + i);
      }
      assertFalse(cursor.next());
    }
  }

  @Test
  void anAddressMapsTypicalPairTakesUnderThreeBytes() {
    OffsetPairs pairs = new OffsetPairs();
    int text = 0;
    int wasm = 1_000_000;
    for (int i = 0; i < 100_000; i++) {
      text += 1 + i % 9; // an instruction or two apart
      wasm += i % 5 == 0 ? -40 : 2; // mostly forward, now and then back in a loop
      pairs.add(text, wasm);
    }
    assertTrue(pairs.encodedBytes() < 3 * pairs.size(), pairs.encodedBytes() + " bytes");
  }
}
