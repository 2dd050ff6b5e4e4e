package dev.kiln.codegen.regalloc;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Loop nesting depth of each block, from natural loops: an edge {@code p -> h} whose target dominates
 * its source is a back edge, and the loop of {@code h} is every block that reaches {@code p} without
 * passing {@code h}. Dominators come from {@link Dominators}. The allocator uses depths to move reloads out of
 * loops. Unreachable blocks have depth 0.
 */
final class LoopDepth {
  private LoopDepth() {}

  static int[] compute(RegAllocFunction f) {
    return compute(f, Dominators.compute(f));
  }

  static int[] compute(RegAllocFunction f, Dominators dominators) {
    int n = f.numBlocks();
    int[] idom = dominators.idom();
    int[] depth = new int[n];
    // Loop membership marks carry the header's number, so one array serves every header and a
    // block that heads no loop costs only a look at its predecessors (a fresh n-entry array and a
    // pass over all blocks per header made this quadratic in the block count).
    int[] inLoopOf = new int[n];
    Arrays.fill(inLoopOf, -1);
    ArrayDeque<Integer> work = new ArrayDeque<>();
    for (int h = 0; h < n; h++) {
      if (idom[h] < 0) {
        continue;
      }
      // The header is marked first, so the walk stops there: a single-block loop (back edge h -> h)
      // is just h, not every block that reaches h.
      inLoopOf[h] = h;
      boolean header = false;
      for (int p : f.blockPreds(h)) {
        if (idom[p] >= 0 && dominates(h, p, idom)) {
          header = true;
          if (inLoopOf[p] != h) {
            inLoopOf[p] = h;
            work.add(p);
          }
        }
      }
      if (!header) {
        continue;
      }
      depth[h]++;
      while (!work.isEmpty()) {
        int b = work.poll();
        depth[b]++;
        for (int p : f.blockPreds(b)) {
          if (idom[p] >= 0 && inLoopOf[p] != h) {
            inLoopOf[p] = h;
            work.add(p);
          }
        }
      }
    }
    return depth;
  }

  private static boolean dominates(int a, int b, int[] idom) {
    while (true) {
      if (b == a) {
        return true;
      }
      if (b == 0) {
        return false;
      }
      b = idom[b];
    }
  }
}
