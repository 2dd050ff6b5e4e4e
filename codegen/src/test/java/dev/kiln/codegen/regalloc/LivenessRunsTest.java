package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Liveness.Runs} joins a vreg's marked block runs into the same sorted, apart runs whether it
 * sorts them (few) or sets a bit per block (many, {@link Liveness.Runs#BITS_FROM} on), and leaves its
 * bits clear for the next vreg. A run that overlaps or touches the last one marked is joined to it as
 * it is marked: counted ({@link Liveness.Runs#joinedAtAdd}), where each was kept for the sort or the bits.
 */
class LivenessRunsTest {
  @Test
  void joinsRunsAsTheirUnion() {
    Random random = new Random(40);
    for (int round = 0; round < 3_000; round++) {
      // Block counts around word edges; run lengths from one block to whole words.
      int blocks = 1 + random.nextInt(round % 3 == 0 ? 70 : 400);
      Liveness.Runs runs = new Liveness.Runs(blocks);
      for (int vreg = 0; vreg < 3; vreg++) {
        int count = random.nextInt(3 * Liveness.Runs.BITS_FROM);
        boolean[] live = new boolean[blocks];
        for (int k = 0; k < count; k++) {
          int from = random.nextInt(blocks);
          int to = Math.min(blocks - 1, from + (random.nextBoolean() ? 0 : random.nextInt(130)));
          runs.add(from, to);
          Arrays.fill(live, from, to + 1, true);
        }
        assertArrayEquals(union(live), merged(runs), "round " + round + ", " + count + " runs");
      }
    }
  }

  /**
   * Joining many runs into one allocates the one run, not an array of all the runs marked (counted:
   * the bytes the thread allocated, the same under any load). Before, the runs marked (by bits or by
   * sort) cost an array of twice their count per vreg: 32,040 bytes for 4,000 runs.
   */
  @Test
  void joiningAllocatesTheJoinedRunsOnly() {
    Liveness.Runs runs = new Liveness.Runs(5_000);
    for (int count : new int[] {4_000, Liveness.Runs.BITS_FROM - 2}) {
      int[][] joined = new int[1][];
      // The first run grows the buffers.
      long bytes = AllocatedBytes.fewest(() -> {
        for (int k = 0; k < count; k++) {
          runs.add(k, k + 1);
        }
        joined[0] = merged(runs);
      });
      assertArrayEquals(new int[] {0, count}, joined[0]);
      assertTrue(bytes <= 64, count + " runs joined into one took " + bytes + " bytes");
    }
  }

  @Test
  void aRunNextToTheLastOneMarkedJoinsIt() {
    Liveness.Runs runs = new Liveness.Runs(100);
    // A walk up the predecessors of blocks laid out one after another marks them in descending order.
    for (int b = 40; b >= 10; b--) {
      runs.add(b, b);
    }
    runs.add(41, 45);
    runs.add(60, 60);
    runs.add(5, 8);
    assertEquals(31, runs.joinedAtAdd);
    assertArrayEquals(new int[] {5, 8, 10, 45, 60, 60}, merged(runs));
  }

  /** The inclusive runs {@code from, to, ...} of the blocks marked live. */
  private static int[] union(boolean[] live) {
    int[] out = new int[live.length + 1];
    int n = 0;
    for (int b = 0; b < live.length; b++) {
      if (live[b] && (b == 0 || !live[b - 1])) {
        out[n++] = b;
      }
      if (live[b] && (b == live.length - 1 || !live[b + 1])) {
        out[n++] = b;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The runs marked, merged and copied out, as the liveness walk takes them. */
  private static int[] merged(Liveness.Runs runs) {
    runs.merge();
    return runs.take(false);
  }
}
