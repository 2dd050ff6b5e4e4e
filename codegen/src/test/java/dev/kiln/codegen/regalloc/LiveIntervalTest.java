package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveInterval#covers} remembers the range that answered last, so its answer must not depend
 * on the order of the questions: checked against the ranges themselves for random pieces, queried
 * forward, backward and at random, and across splits (which shrink the range arrays under the
 * remembered index).
 */
class LiveIntervalTest {
  @Test
  void coversAgreesWithItsRangesWhateverTheQueryOrder() {
    Random random = new Random(0x6b696c6e);
    for (int trial = 0; trial < 500; trial++) {
      int n = 1 + random.nextInt(6);
      int[] from = new int[n];
      int[] to = new int[n];
      int pos = random.nextInt(4);
      for (int k = 0; k < n; k++) {
        from[k] = pos;
        to[k] = pos + 1 + random.nextInt(5);
        pos = to[k] + 1 + random.nextInt(4);
      }
      LiveInterval piece = new LiveInterval(0, RegClass.INT, 0, from.clone(), to.clone(), n, new int[0], 0);
      int limit = pos + 3;
      for (int p = 0; p < limit; p++) {
        assertEquals(naiveCovers(from, to, n, p), piece.covers(p), "forward at " + p + " of " + piece);
      }
      for (int p = limit - 1; p >= 0; p--) {
        assertEquals(naiveCovers(from, to, n, p), piece.covers(p), "backward at " + p + " of " + piece);
      }
      for (int q = 0; q < 50; q++) {
        int p = random.nextInt(limit);
        assertEquals(naiveCovers(from, to, n, p), piece.covers(p), "at " + p + " of " + piece);
      }
      piece.covers(to[n - 1] - 1); // remember the last range, then cut it away
      int cut = from[0] + 1 + random.nextInt(Math.max(1, to[n - 1] - from[0] - 1));
      if (cut > piece.start() && cut < piece.end()) {
        LiveInterval tail = piece.splitAt(cut, 1);
        for (int p = 0; p < limit; p++) {
          boolean covered = naiveCovers(from, to, n, p);
          assertEquals(covered && p < cut, piece.covers(p), "head at " + p + " of " + piece);
          assertEquals(covered && p >= cut, tail.covers(p), "tail at " + p + " of " + tail);
        }
      }
    }
  }

  private static boolean naiveCovers(int[] from, int[] to, int n, int pos) {
    for (int k = 0; k < n; k++) {
      if (from[k] <= pos && pos < to[k]) {
        return true;
      }
    }
    return false;
  }
}
