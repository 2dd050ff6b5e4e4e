package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SmallSorts} sorts a slice as {@link Arrays#sort} does, on both sides of its cut-over. */
class SmallSortsTest {
  @Test
  void sortsSlicesAsArraysSortDoes() {
    Random random = new Random(40);
    for (int round = 0; round < 2_000; round++) {
      int length = random.nextInt(2 * SmallSorts.INSERTION_LIMIT + 4);
      int from = random.nextInt(length + 1);
      int to = from + random.nextInt(length - from + 1);
      long[] longs = new long[length];
      int[] ints = new int[length];
      for (int k = 0; k < length; k++) {
        // Few distinct values, so slices hold duplicates; negative ones, so the order is signed.
        longs[k] = (long) (random.nextInt(9) - 4) << 32 | random.nextInt(3);
        ints[k] = random.nextInt(9) - 4;
      }
      long[] expectedLongs = longs.clone();
      int[] expectedInts = ints.clone();
      Arrays.sort(expectedLongs, from, to);
      Arrays.sort(expectedInts, from, to);
      SmallSorts.sort(longs, from, to);
      SmallSorts.sort(ints, from, to);
      assertArrayEquals(expectedLongs, longs);
      assertArrayEquals(expectedInts, ints);
    }
  }
}
