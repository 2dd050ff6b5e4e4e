package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.sys.ArraysThatRunOut;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The word index behind {@link ObjectHandles#holds} against a plain map: random adds and removes of
 * words that collide often (few distinct words, heap-like addresses 8 apart), through growth and
 * the backward-shift deletion that keeps probe runs unbroken, then a clear; each table's own seed,
 * drawn without a lock per table, and a key set built to collide under another table's seed.
 */
class WordCountsTest {
  /**
   * An {@code OutOfMemoryError} at either allocation of any of the first growths leaves the table as
   * it was: every word held before is found, none other is, and the table grows on at the next add
   * (red team 24 F3: {@code bits} raised before the arrays made lookups index past them, an {@code
   * ArrayIndexOutOfBoundsException}, or found an empty new array, refusing a store's own exnref).
   */
  @Test
  void anOutOfMemoryErrorAtAnyAllocationOfAGrowthLeavesTheTableAsItWas() {
    for (int failing = 1; failing <= 8; failing++) {
      ArraysThatRunOut arrays = new ArraysThatRunOut(failing);
      WordCounts index = new WordCounts(arrays);
      int held = 0;
      boolean ranOut = false;
      for (; held < 200 && !ranOut; held++) {
        try {
          index.add(word(held));
        } catch (OutOfMemoryError injected) {
          ranOut = true;
          held--; // this word was not added
        }
      }
      assertTrue(ranOut, "allocation " + failing + " was never asked for");
      assertAllHeld(index, held, "after the OutOfMemoryError at allocation " + failing);
      for (int more = 0; more < 200; more++, held++) {
        index.add(word(held));
      }
      assertAllHeld(index, held, "grown again after allocation " + failing + " failed");
    }
  }

  private static long word(int i) {
    return 0x7000_0000L + 8L * i;
  }

  private static void assertAllHeld(WordCounts index, int held, String when) {
    for (int i = 0; i < held + 50; i++) {
      assertEquals(i < held, index.contains(word(i)), "word " + i + " of " + held + ", " + when);
    }
  }

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

  /**
   * Tables made on four threads at once each get a seed no other table got, and the shared
   * SecureRandom is drawn from once per batch of tables, not once per table (its lock, which every
   * thread making a store queued on).
   */
  @Test
  void everyTableGetsItsOwnSeedWithoutADrawPerTable() throws Exception {
    int threads = 4;
    int perThread = 2_500;
    Set<Long> seeds = ConcurrentHashMap.newKeySet();
    long drawsBefore = TableSeeds.draws();
    Callable<Void> maker = () -> {
      for (int i = 0; i < perThread; i++) {
        seeds.add(new WordCounts().seed());
      }
      return null;
    };
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (Future<Void> done : pool.invokeAll(java.util.Collections.nCopies(threads, maker))) {
        done.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(threads * perThread, seeds.size(), "a seed was handed to two tables");
    long draws = TableSeeds.draws() - drawsBefore;
    // at least 100 tables a draw (a draw per table was 10,000)
    assertTrue(draws <= threads * perThread / 100, draws + " draws for " + threads * perThread + " tables");
  }

  /**
   * 2,000 heap-like words chosen so that all of them have home slot 0 under one table's seed: in
   * that table each lookup walks the whole run, in any other table (another seed) a lookup compares
   * about one slot. A guest that learned or guessed one table's seed gains nothing against the next.
   */
  @Test
  void wordsCollidingUnderOneSeedSpreadUnderAnother() {
    WordCounts targeted = new WordCounts();
    WordCounts other = new WordCounts();
    int n = 2_000;
    int bits = 12; // the table's size once it holds n words at most half full
    List<Long> words = new java.util.ArrayList<>();
    for (long word = 0x7000_0000L; words.size() < n; word += 8) {
      if (home(word, targeted.seed(), bits) == 0) {
        words.add(word);
      }
    }
    for (long word : words) {
      targeted.add(word);
      other.add(word);
    }
    for (long word : words) {
      assertTrue(targeted.contains(word) && other.contains(word));
    }
    double targetedProbes = (double) targeted.probes() / n;
    double otherProbes = (double) other.probes() / n;
    assertTrue(targetedProbes > 100, "the words do not collide under their seed: " + targetedProbes);
    assertTrue(otherProbes < 4, otherProbes + " slots compared per lookup under another seed");
  }

  /** {@link WordCounts}'s home slot of {@code word} under {@code seed} in a table of 2^bits slots. */
  private static int home(long word, long seed, int bits) {
    long h = word + seed;
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return (int) ((h ^ (h >>> 33)) >>> (64 - bits));
  }
}
