package dev.kiln.codegen.regalloc;

import java.util.Arrays;
import java.util.List;

/**
 * Where values must be in their spill slots because a landing pad reads them ({@link
 * RegAllocFunction#landingBlock}): the unwinder enters a landing block with no register restored, so
 * a value live into it, or passed to its parameters, is in no register from its call's LATE point to
 * the end of the call's block (the code after the call there runs on the normal path only). Every
 * other value live across such a call sees only the call's clobbers, as across a plain call, and may
 * stay in a callee-saved register. The scan treats each range as a register blocked for that vreg
 * alone ({@link LinearScan}); the checker holds the pad to it ({@link Checker}).
 */
final class LandingPadValues {
  private static final int[] NONE = new int[0];
  /** A function without landing blocks: no vreg is kept out of registers, and nothing is allocated. */
  private static final LandingPadValues NO_LANDING = new LandingPadValues(null);

  /**
   * Per vreg, its register-less ranges as sorted, disjoint {@code from, to} pairs ({@link #NONE} if
   * none); null in a function without landing blocks.
   */
  private final int[][] ranges;

  private LandingPadValues(int[][] ranges) {
    this.ranges = ranges;
  }

  static LandingPadValues compute(RegAllocFunction f, Liveness live, BlockEdges edges) {
    // The calls with a landing block, each as its landing block, its block, its LATE point and its
    // block's end: a vreg's live-in runs are then intersected with the landing blocks in order by
    // binary search, not every vreg asked of every pad.
    int count = 0;
    long[] byLanding = new long[8];
    int[] callBlock = new int[8];
    int[] late = new int[8];
    int[] end = new int[8];
    for (int b = 0; b < f.numBlocks(); b++) {
      InstRange r = f.blockInsts(b);
      for (int i = r.first(); i < r.end(); i++) {
        int landing = f.landingBlock(i);
        if (landing < 0) {
          continue;
        }
        if (count == late.length) {
          byLanding = Arrays.copyOf(byLanding, 2 * count);
          callBlock = Arrays.copyOf(callBlock, 2 * count);
          late = Arrays.copyOf(late, 2 * count);
          end = Arrays.copyOf(end, 2 * count);
        }
        byLanding[count] = (long) landing << 32 | count;
        callBlock[count] = b;
        late[count] = Positions.late(i);
        end[count] = Positions.early(r.end());
        count++;
      }
    }
    if (count == 0) {
      return NO_LANDING;
    }
    int nv = f.numVRegs();
    int[][] ranges = new int[nv][];
    Arrays.fill(ranges, NONE);
    // Pairs used of each vreg's array, which grows by doubling: a value live into n pads (n nested
    // try_tables with calls) gets n pairs in linear time.
    int[] used = new int[nv];
    SmallSorts.sort(byLanding, 0, count);
    int[] landings = new int[count];
    for (int k = 0; k < count; k++) {
      landings[k] = (int) (byLanding[k] >>> 32);
      int call = (int) byLanding[k];
      int b = callBlock[call];
      for (int e = edges.succStart[b]; e < edges.succStart[b + 1]; e++) {
        if (edges.succ[e] == landings[k]) {
          for (int a = edges.argStart[e]; a < edges.argStart[e + 1]; a++) {
            add(ranges, used, edges.args[a].index(), late[call], end[call]);
          }
        }
      }
    }
    for (int v = 0; v < nv; v++) {
      int[] runs = live.liveInRuns(v);
      for (int k = 0; k < runs.length; k += 2) {
        for (int j = firstAtLeast(landings, runs[k]); j < count && landings[j] <= runs[k + 1]; j++) {
          int call = (int) byLanding[j];
          add(ranges, used, v, late[call], end[call]);
        }
      }
    }
    for (int v = 0; v < nv; v++) {
      if (used[v] > 0) {
        ranges[v] = IntervalBuilder.sortedDisjoint(Arrays.copyOf(ranges[v], used[v]));
      }
    }
    return new LandingPadValues(ranges);
  }

  /** Whether the function has a landing block at all (then its prologue saves every callee-saved register). */
  boolean any() {
    return ranges != null;
  }

  /**
   * The first position at or after {@code pos} where {@code piece} is live and must be in no
   * register, or {@link Integer#MAX_VALUE}.
   */
  int nextRegisterless(LiveInterval piece, int pos) {
    int[] r = ranges == null ? NONE : ranges[piece.vreg];
    if (r.length == 0) {
      return Integer.MAX_VALUE;
    }
    int lo = 0;
    int hi = r.length / 2;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (r[2 * mid + 1] <= pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int end = piece.end();
    for (int k = 2 * lo; k < r.length && r[k] < end; k += 2) {
      int covered = piece.nextCoveredAtOrAfter(Math.max(r[k], pos));
      if (covered < r[k + 1]) {
        return covered;
      }
    }
    return Integer.MAX_VALUE;
  }

  private static int firstAtLeast(int[] sorted, int key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static void add(int[][] ranges, int[] used, int v, int from, int to) {
    int[] a = ranges[v];
    if (used[v] == a.length) {
      a = ranges[v] = Arrays.copyOf(a, Math.max(4, 2 * a.length));
    }
    a[used[v]++] = from;
    a[used[v]++] = to;
  }
}
