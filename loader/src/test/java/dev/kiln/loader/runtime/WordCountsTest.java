package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The word index behind {@link ObjectHandles#holds} against a plain map: random adds and removes of
 * words that collide often (few distinct words, heap-like addresses 8 apart), through growth and
 * the backward-shift deletion that keeps probe runs unbroken, then a clear.
 */
class WordCountsTest {
  @Test
  void agreesWithAMapThroughAddsRemovesAndGrowth() {
    SplittableRandom random = new SplittableRandom(35);
    WordCounts index = new WordCounts();
    Map<Long, Integer> model = new HashMap<>();
    for (int step = 0; step < 200_000; step++) {
      long word = 0x7000_0000L + 8L * random.nextInt(step < 100_000 ? 3_000 : 300);
      if (random.nextInt(3) == 0) {
        index.remove(word);
        model.computeIfPresent(word, (w, n) -> n == 1 ? null : n - 1);
      } else {
        index.add(word);
        model.merge(word, 1, Integer::sum);
      }
      long probe = 0x7000_0000L + 8L * random.nextInt(3_000);
      assertEquals(model.containsKey(probe), index.contains(probe), "step " + step);
    }
    for (long word = 0x7000_0000L; word < 0x7000_0000L + 8L * 3_000; word += 8) {
      assertEquals(model.containsKey(word), index.contains(word));
    }
    index.clear();
    assertEquals(false, index.contains(0x7000_0000L));
    assertEquals(false, index.contains(0), "0 is never held");
  }
}
