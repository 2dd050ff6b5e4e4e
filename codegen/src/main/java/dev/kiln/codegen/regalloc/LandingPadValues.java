package dev.kiln.codegen.regalloc;

import java.util.Arrays;

/**
 * Where values must be in their spill slots because a landing pad reads them ({@link
 * RegAllocFunction#landingBlock}): the unwinder enters a landing block with no register restored, so
 * a value live into it, or passed to its parameters, is in no register from its call's LATE point to
 * the end of the call's block (the code after the call there runs on the normal path only). Every
 * other value live across such a call sees only the call's clobbers, as across a plain call, and may
 * stay in a callee-saved register. The scan treats each range as a register blocked for that vreg
 * alone ({@link LinearScan}); the checker holds the pad to it ({@link Checker}).
 *
 * <p><b>Kept per landing block, not per value and call.</b> A landing block has one predecessor, its
 * call's block (an unwind edge into a block with others is split), so each landing block stands for
 * one call and one register-less range. A vreg's ranges are those of the landing blocks it is live
 * into (its liveness runs cut to landing blocks: index ranges into them, in increasing order) and of
 * those it is passed to. Listing every range per vreg cost values x calls: n values live across n
 * calls in {@code try_table}s whose handlers read them were n^2 ranges (2 GB at 16,000, where the
 * module was 500 KB). The scan's question, the first range after a position, is a search in a
 * merge-sort tree of the ranges' ends per index range asked ({@link #nextRange}).
 */
final class LandingPadValues {
  private static final int[] NONE = new int[0];
  /** A function without landing blocks: no vreg is kept out of registers, and nothing is allocated. */
  private static final LandingPadValues NO_LANDING = new LandingPadValues(null, null);

  /**
   * A merge-sort tree over the landing blocks' ranges: level {@code l} holds, for each run of
   * {@code 2^l} landing blocks from a multiple of {@code 2^l}, their ranges as {@code end << 32 |
   * from}, sorted: by end (the position after the call's block, exclusive), then by start (the
   * call's LATE point). Calls in different blocks have disjoint ranges; of the ranges of calls in
   * one block, which end together, the one starting first holds the others.
   */
  private final long[][] levels;
  /**
   * Per vreg, the landing blocks whose range keeps it out of registers, as index ranges into the
   * landing blocks in increasing order ({@code from, to} exclusive), four ints each: the two bounds, the least end of their
   * ranges, and the greatest end of its ranges and of every index range before it; by least end.
   * {@link #NONE} if none; null in a function without landing blocks.
   */
  private final int[][] byVReg;
  /** Tree searches the scan's questions made: the work, for tests. */
  long searches;

  private LandingPadValues(long[][] levels, int[][] byVReg) {
    this.levels = levels;
    this.byVReg = byVReg;
  }

  static LandingPadValues compute(RegAllocFunction f, Liveness live, BlockEdges edges) {
    // Most functions have no landing block and stop at this scan. The rest is a method of its own
    // because C2 compiles a method whole, arms never taken included (the launcher's large-compile
    // line leaves untaken branches no traps): kept here, it was 18 KB of C2 code, compiled for every
    // large compile, that a module without exceptions never runs.
    for (int i = 0, n = f.numInsts(); i < n; i++) {
      if (f.landingBlock(i) >= 0) {
        return ofCalls(f, live, edges);
      }
    }
    return NO_LANDING;
  }

  private static LandingPadValues ofCalls(RegAllocFunction f, Liveness live, BlockEdges edges) {
    // The calls with a landing block, each as its landing block, its block and its range, packed
    // landing << 32 | call: sorted, they give the landing blocks in order.
    int count = 0;
    long[] byLanding = new long[8];
    int[] callBlock = new int[8];
    int[] callFrom = new int[8];
    int[] callTo = new int[8];
    for (int b = 0; b < f.numBlocks(); b++) {
      InstRange r = f.blockInsts(b);
      for (int i = r.first(); i < r.end(); i++) {
        int landing = f.landingBlock(i);
        if (landing < 0) {
          continue;
        }
        if (count == callFrom.length) {
          byLanding = Arrays.copyOf(byLanding, 2 * count);
          callBlock = Arrays.copyOf(callBlock, 2 * count);
          callFrom = Arrays.copyOf(callFrom, 2 * count);
          callTo = Arrays.copyOf(callTo, 2 * count);
        }
        byLanding[count] = (long) landing << 32 | count;
        callBlock[count] = b;
        callFrom[count] = Positions.late(i);
        callTo[count] = Positions.early(r.end());
        count++;
      }
    }
    SmallSorts.sort(byLanding, 0, count);
    int[] landing = new int[count];
    long[] ends = new long[count];
    // The vregs passed along the calls' edges into their landing blocks, as vreg << 32 | landing
    // index: sorted, each vreg's in order of its landing blocks.
    long[] passed = new long[8];
    int passedCount = 0;
    for (int k = 0; k < count; k++) {
      int call = (int) byLanding[k];
      landing[k] = (int) (byLanding[k] >>> 32);
      ends[k] = (long) callTo[call] << 32 | callFrom[call];
      int b = callBlock[call];
      for (int e = edges.succStart[b]; e < edges.succStart[b + 1]; e++) {
        if (edges.succ[e] != landing[k]) {
          continue;
        }
        for (int a = edges.argStart[e]; a < edges.argStart[e + 1]; a++) {
          if (passedCount == passed.length) {
            passed = Arrays.copyOf(passed, 2 * passedCount);
          }
          passed[passedCount++] = (long) edges.args[a].index() << 32 | k;
        }
      }
    }
    SmallSorts.sort(passed, 0, passedCount);
    int nv = f.numVRegs();
    int[][] byVReg = new int[nv][];
    // One vreg's index ranges as they are found (in order: its liveness runs are), then copied out.
    int[] cut = new int[16];
    int p = 0;
    for (int v = 0; v < nv; v++) {
      int n = 0;
      int[] runs = live.liveInRuns(v);
      for (int r = 0; r < runs.length; r += 2) {
        int from = firstAtLeast(landing, runs[r]);
        int to = firstAtLeast(landing, runs[r + 1] + 1);
        if (from < to) {
          if (n + 2 > cut.length) {
            cut = Arrays.copyOf(cut, 2 * cut.length);
          }
          cut[n++] = from;
          cut[n++] = to;
        }
      }
      int passedFrom = p;
      while (p < passedCount && (int) (passed[p] >>> 32) == v) {
        p++;
      }
      if (p > passedFrom) {
        // Passed to a landing block it is not live into (a block parameter's argument): one more
        // range each, merged with the others.
        int[] all = Arrays.copyOf(cut, n + 2 * (p - passedFrom));
        for (int q = passedFrom; q < p; q++) {
          int k = (int) passed[q];
          all[n++] = k;
          all[n++] = k + 1;
        }
        byVReg[v] = IntervalBuilder.sortedDisjoint(all);
      } else {
        byVReg[v] = n == 0 ? NONE : Arrays.copyOf(cut, n);
      }
    }
    LandingPadValues values = new LandingPadValues(mergeSortTree(ends), byVReg);
    for (int v = 0; v < nv; v++) {
      if (byVReg[v].length > 0) {
        byVReg[v] = values.byLeastEnd(byVReg[v]);
      }
    }
    return values;
  }

  /**
   * Index ranges {@code from, to, ...} as the records of {@link #byVReg}: each with the least end of
   * its ranges, sorted by it, and the running greatest end. A question then skips, by one search, the
   * index ranges whose ranges all end before its position, and stops at the first whose least end
   * is past the best end found: where the landing blocks come in the order of their calls (inline
   * split blocks, landing pads laid out as their handlers come), one or two index ranges are asked.
   */
  private int[] byLeastEnd(int[] ranges) {
    int n = ranges.length / 2;
    long[] order = new long[n];
    for (int k = 0; k < n; k++) {
      order[k] = (firstEndAfter(ranges[2 * k], ranges[2 * k + 1], -1) >>> 32) << 32 | k;
    }
    SmallSorts.sort(order, 0, n);
    int[] records = new int[4 * n];
    int greatest = 0;
    for (int j = 0; j < n; j++) {
      int k = (int) order[j];
      records[4 * j] = ranges[2 * k];
      records[4 * j + 1] = ranges[2 * k + 1];
      records[4 * j + 2] = (int) (order[j] >>> 32);
      greatest = Math.max(greatest, (int) (lastKey(ranges[2 * k], ranges[2 * k + 1]) >>> 32));
      records[4 * j + 3] = greatest;
    }
    return records;
  }

  /** Whether the function has a landing block at all (then its prologue saves every callee-saved register). */
  boolean any() {
    return byVReg != null;
  }

  /**
   * The first position at or after {@code pos} where {@code piece} is live and must be in no
   * register, or {@link Integer#MAX_VALUE}.
   */
  int nextRegisterless(LiveInterval piece, int pos) {
    int[] records = byVReg == null ? NONE : byVReg[piece.vreg];
    if (records.length == 0) {
      return Integer.MAX_VALUE;
    }
    int end = piece.end();
    // The vreg's ranges in order of end, from the first that ends after pos: the first of them that
    // piece covers somewhere is the answer (a range that starts before an earlier one ends is in
    // the same block, and holds nothing that one does not).
    for (int after = pos; ; ) {
      long next = nextRange(records, after);
      if (next == Long.MAX_VALUE) {
        return Integer.MAX_VALUE;
      }
      int to = (int) (next >>> 32);
      int from = (int) next;
      if (from >= end) {
        return Integer.MAX_VALUE;
      }
      int covered = piece.nextCoveredAtOrAfter(Math.max(from, pos));
      if (covered < to) {
        return covered;
      }
      after = to;
    }
  }

  /**
   * Of the landing blocks of a vreg's {@code records} ({@link #byVReg}), the range ending first after
   * {@code pos}, as {@code end << 32 | from}, or {@link Long#MAX_VALUE}.
   */
  private long nextRange(int[] records, int pos) {
    int n = records.length / 4;
    // The first record whose running greatest end is past pos: every range before it ends at or
    // before pos.
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (records[4 * mid + 3] <= pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    long best = Long.MAX_VALUE;
    for (int k = lo; k < n && records[4 * k + 2] <= (int) (best >>> 32); k++) {
      best = Math.min(best, firstEndAfter(records[4 * k], records[4 * k + 1], pos));
    }
    return best;
  }

  /**
   * Of the landing blocks {@code [from, to)} (indices in increasing order), the range ending first
   * after {@code pos} (-1: the first), as {@code end << 32 | from}, or {@link Long#MAX_VALUE}: the
   * index range is cut into a logarithmic number of the tree's aligned runs, each searched for its
   * first end past pos.
   */
  private long firstEndAfter(int from, int to, int pos) {
    long key = (long) pos << 32 | 0xFFFF_FFFFL; // above every key with end <= pos
    long best = Long.MAX_VALUE;
    int lo = from;
    int hi = to;
    for (int l = 0; lo < hi; l++) {
      if ((lo & 1) != 0) {
        best = Math.min(best, firstAbove(l, lo++, key));
      }
      if ((hi & 1) != 0) {
        best = Math.min(best, firstAbove(l, --hi, key));
      }
      lo >>>= 1;
      hi >>>= 1;
    }
    return best;
  }

  /** Of the landing blocks {@code [from, to)}, the range ending last, as {@code end << 32 | from}. */
  private long lastKey(int from, int to) {
    long best = Long.MIN_VALUE;
    int lo = from;
    int hi = to;
    for (int l = 0; lo < hi; l++) {
      if ((lo & 1) != 0) {
        best = Math.max(best, lastOf(l, lo++));
      }
      if ((hi & 1) != 0) {
        best = Math.max(best, lastOf(l, --hi));
      }
      lo >>>= 1;
      hi >>>= 1;
    }
    return best;
  }

  /** The last (greatest) key of run {@code run} of level {@code l}. */
  private long lastOf(int l, int run) {
    long[] level = levels[l];
    return level[Math.min((run + 1) << l, level.length) - 1];
  }

  /** The first key above {@code key} in run {@code run} of level {@code l}, or {@link Long#MAX_VALUE}. */
  private long firstAbove(int l, int run, long key) {
    searches++;
    long[] level = levels[l];
    int lo = run << l;
    int hi = Math.min(lo + (1 << l), level.length);
    int end = hi;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (level[mid] <= key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < end ? level[lo] : Long.MAX_VALUE;
  }

  /** Level 0 is {@code keys}; each next level merges the previous one's runs in pairs. */
  private static long[][] mergeSortTree(long[] keys) {
    int n = keys.length;
    int height = 1;
    while ((1 << (height - 1)) < n) {
      height++;
    }
    long[][] levels = new long[height][];
    levels[0] = keys;
    for (int l = 1; l < height; l++) {
      long[] below = levels[l - 1];
      long[] level = new long[n];
      int half = 1 << (l - 1);
      for (int start = 0; start < n; start += 2 * half) {
        int i = start;
        int iEnd = Math.min(start + half, n);
        int j = iEnd;
        int jEnd = Math.min(start + 2 * half, n);
        int out = start;
        while (i < iEnd || j < jEnd) {
          level[out++] = j == jEnd || (i < iEnd && below[i] < below[j]) ? below[i++] : below[j++];
        }
      }
      levels[l] = level;
    }
    return levels;
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
}
