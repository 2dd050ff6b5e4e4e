package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveInterval#covers} remembers the range that answered last, so its answer must not depend
 * on the order of the questions: checked against the ranges themselves for random pieces, queried
 * forward, backward and at random, and across splits (which shrink the range arrays under the
 * remembered index). The pieces of one vreg share its arrays, each with its own first start and last
 * end: every answer of every piece after many cuts, heads and tails alike, is checked against the
 * vreg's ranges and uses clipped to the piece's positions.
 */
class LiveIntervalTest {
  @Test
  void coversAgreesWithItsRangesWhateverTheQueryOrder() {
    Random random = new Random(0x6b696c6e);
    for (int trial = 0; trial < 500; trial++) {
      int[][] ranges = randomRanges(random, 6);
      int[] from = ranges[0];
      int[] to = ranges[1];
      int n = from.length;
      LiveInterval piece = new LiveInterval(0, RegClass.INT, 0, from.clone(), to.clone(), 0, n, new int[0], 0, 0);
      int limit = to[n - 1] + 4;
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

  @Test
  void piecesCutManyTimesAnswerForTheirOwnPositionsOnly() {
    Random random = new Random(0x73706c74);
    for (int trial = 0; trial < 300; trial++) {
      int[][] ranges = randomRanges(random, 10);
      int[] from = ranges[0];
      int[] to = ranges[1];
      int n = from.length;
      int[] uses = new int[2 * n];
      int useCount = 0;
      for (int k = 0; k < n; k++) {
        for (int u = from[k]; u < to[k]; u++) {
          if (useCount < uses.length && random.nextInt(3) == 0) {
            uses[useCount++] = u;
          }
        }
      }
      int limit = to[n - 1] + 4;
      List<LiveInterval> pieces = new ArrayList<>();
      // Per piece, the positions [lo, hi) of the vreg it holds.
      List<int[]> windows = new ArrayList<>();
      pieces.add(new LiveInterval(0, RegClass.INT, 0, from.clone(), to.clone(), 0, n, uses.clone(), 0, useCount));
      windows.add(new int[] {from[0], to[n - 1]});
      for (int cuts = 0; cuts < 8; cuts++) {
        int i = random.nextInt(pieces.size());
        LiveInterval piece = pieces.get(i);
        if (piece.end() - piece.start() < 2) {
          continue;
        }
        piece.covers(random.nextInt(limit)); // something remembered, for the cut to move under
        int cut = piece.start() + 1 + random.nextInt(piece.end() - piece.start() - 1);
        pieces.add(piece.splitAt(cut, pieces.size()));
        windows.add(new int[] {cut, windows.get(i)[1]});
        windows.get(i)[1] = cut;
        for (int k = 0; k < pieces.size(); k++) {
          assertClipped(from, to, n, uses, useCount, windows.get(k), pieces.get(k), limit);
        }
      }
    }
  }

  /** {@code piece} answers as the vreg's ranges and uses clipped to {@code window} do. */
  private static void assertClipped(int[] from, int[] to, int n, int[] uses, int useCount, int[] window,
      LiveInterval piece, int limit) {
    List<int[]> ranges = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int a = Math.max(from[k], window[0]);
      int b = Math.min(to[k], window[1]);
      if (a < b) {
        ranges.add(new int[] {a, b});
      }
    }
    assertEquals(ranges.size(), piece.rangeCount(), "ranges of " + piece);
    for (int k = 0; k < ranges.size(); k++) {
      assertEquals(ranges.get(k)[0], piece.rangeFrom(k), "start of range " + k + " of " + piece);
      assertEquals(ranges.get(k)[1], piece.rangeTo(k), "end of range " + k + " of " + piece);
    }
    assertEquals(ranges.getFirst()[0], piece.start());
    assertEquals(ranges.getLast()[1], piece.end());
    for (int p = 0; p < limit; p++) {
      int ending = 0;
      while (ending < ranges.size() && ranges.get(ending)[1] <= p) {
        ending++;
      }
      boolean covered = ending < ranges.size() && ranges.get(ending)[0] <= p;
      assertEquals(covered, piece.covers(p), "at " + p + " of " + piece);
      assertEquals(ending, piece.firstEndingAfter(p), "range ending after " + p + " of " + piece);
      int next = ending == ranges.size() ? Integer.MAX_VALUE : Math.max(p, ranges.get(ending)[0]);
      assertEquals(next, piece.nextCoveredAtOrAfter(p), "covered from " + p + " of " + piece);
      int use = Integer.MAX_VALUE;
      for (int u = 0; u < useCount; u++) {
        if (uses[u] >= Math.max(p, window[0]) && uses[u] < window[1]) {
          use = uses[u];
          break;
        }
      }
      assertEquals(use, piece.firstRegUseAtOrAfter(p), "use from " + p + " of " + piece);
    }
  }

  /** One to {@code most} sorted ranges of 1 to 5 positions with holes of 1 to 4 between them: {from, to}. */
  private static int[][] randomRanges(Random random, int most) {
    int n = 1 + random.nextInt(most);
    int[] from = new int[n];
    int[] to = new int[n];
    int pos = random.nextInt(4);
    for (int k = 0; k < n; k++) {
      from[k] = pos;
      to[k] = pos + 1 + random.nextInt(5);
      pos = to[k] + 1 + random.nextInt(4);
    }
    return new int[][] {from, to};
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
