package dev.kiln.codegen.regalloc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The natural loops of a function: an edge {@code p -> h} whose target dominates its source is a back
 * edge, and the loop of {@code h} is every block that reaches {@code p} without passing {@code h}
 * (loops sharing a header are one loop). Per block its nesting depth and its innermost loop; per loop
 * (named by its header) the enclosing loop and its hull, the positions from the first of its blocks'
 * tops to the last of their ends. Natural loops are nested or disjoint, so the loops around a block
 * form one chain from {@link #innermost} through {@link #parent}.
 *
 * <p>The allocator uses depths to move reloads out of loops and the chain and hulls to keep values
 * that a loop uses in registers while it runs (Wimmer and Moessenboeck, section 5.2). A hull may also
 * cover blocks laid out between the loop's blocks that are not in the loop, so "no use inside the
 * hull" is the safe direction of "no use inside the loop". Unreachable blocks are in no loop.
 */
final class LoopNest {
  /** Per block: how many loops contain it. */
  final int[] depth;
  /** Per block: the header of the innermost loop containing it, or -1. */
  final int[] innermost;
  /** Per loop header: the header of the loop around it, or -1 (undefined for other blocks). */
  final int[] parent;
  /** Per loop header: the first position of its hull (undefined for other blocks). */
  final int[] hullStart;
  /** Per loop header: the position after its hull (undefined for other blocks). */
  final int[] hullEnd;

  private LoopNest(int n) {
    depth = new int[n];
    innermost = new int[n];
    parent = new int[n];
    hullStart = new int[n];
    hullEnd = new int[n];
    Arrays.fill(innermost, -1);
    Arrays.fill(parent, -1);
  }

  static LoopNest compute(RegAllocFunction f) {
    return compute(f, Dominators.compute(f));
  }

  static LoopNest compute(RegAllocFunction f, Dominators dominators) {
    int n = f.numBlocks();
    int[] idom = dominators.idom();
    // Dominance by the tree's walk numbers, not by climbing idom: a climb costs the dominator
    // tree's depth, which nested blocks, loops or ifs make as large as the function.
    LoopNest nest = new LoopNest(n);
    int[] depth = nest.depth;
    List<int[]> loops = new ArrayList<>();
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
        if (idom[p] >= 0 && dominators.dominates(h, p)) {
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
      int[] members = new int[8];
      int count = 0;
      members[count++] = h;
      while (!work.isEmpty()) {
        int b = work.poll();
        if (count == members.length) {
          members = Arrays.copyOf(members, count * 2);
        }
        members[count++] = b;
        for (int p : f.blockPreds(b)) {
          if (idom[p] >= 0 && inLoopOf[p] != h) {
            inLoopOf[p] = h;
            work.add(p);
          }
        }
      }
      members = Arrays.copyOf(members, count);
      for (int b : members) {
        depth[b]++;
      }
      loops.add(members);
    }
    boolean[] isHeader = new boolean[n];
    for (int[] members : loops) {
      isHeader[members[0]] = true;
    }
    // With every depth known, the loop around a block with the deepest header is its innermost one,
    // and the loop around a header with the deepest header other than its own is its parent.
    for (int[] members : loops) {
      int h = members[0];
      nest.hullStart[h] = Integer.MAX_VALUE;
      for (int b : members) {
        InstRange r = f.blockInsts(b);
        nest.hullStart[h] = Math.min(nest.hullStart[h], Positions.early(r.first()));
        nest.hullEnd[h] = Math.max(nest.hullEnd[h], Positions.early(r.end()));
        if (nest.innermost[b] < 0 || depth[h] > depth[nest.innermost[b]]) {
          nest.innermost[b] = h;
        }
        if (b != h && isHeader[b] && (nest.parent[b] < 0 || depth[h] > depth[nest.parent[b]])) {
          nest.parent[b] = h;
        }
      }
    }
    return nest;
  }
}
