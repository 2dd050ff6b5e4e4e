package dev.kiln.codegen.regalloc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loop nesting depth of each block, from natural loops: an edge {@code p -> h} whose target dominates
 * its source is a back edge, and the loop of {@code h} is every block that reaches {@code p} without
 * passing {@code h}. Dominators come from the Cooper-Harvey-Kennedy iteration ("A Simple, Fast
 * Dominance Algorithm", 2001) over reverse postorder. The allocator uses depths to move reloads out of
 * loops. Unreachable blocks have depth 0.
 */
final class LoopDepth {
  private LoopDepth() {}

  static int[] compute(RegAllocFunction f) {
    int n = f.numBlocks();
    List<Integer> post = new ArrayList<>();
    boolean[] seen = new boolean[n];
    // Iterative DFS: a frame is {block, next successor index}.
    ArrayDeque<int[]> stack = new ArrayDeque<>();
    stack.push(new int[] {0, 0});
    seen[0] = true;
    while (!stack.isEmpty()) {
      int[] top = stack.peek();
      List<Integer> succs = f.blockSuccs(top[0]);
      if (top[1] < succs.size()) {
        int s = succs.get(top[1]++);
        if (!seen[s]) {
          seen[s] = true;
          stack.push(new int[] {s, 0});
        }
      } else {
        post.add(stack.pop()[0]);
      }
    }
    int[] rpoIndex = new int[n];
    Arrays.fill(rpoIndex, -1);
    int[] order = new int[post.size()];
    for (int k = 0; k < post.size(); k++) {
      order[k] = post.get(post.size() - 1 - k);
      rpoIndex[order[k]] = k;
    }
    int[] idom = new int[n];
    Arrays.fill(idom, -1);
    idom[0] = 0;
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int k = 1; k < order.length; k++) {
        int b = order[k];
        int next = -1;
        for (int p : f.blockPreds(b)) {
          if (idom[p] >= 0) {
            next = next < 0 ? p : intersect(p, next, idom, rpoIndex);
          }
        }
        if (next != idom[b]) {
          idom[b] = next;
          changed = true;
        }
      }
    }
    int[] depth = new int[n];
    for (int h = 0; h < n; h++) {
      if (idom[h] < 0) {
        continue;
      }
      boolean[] inLoop = new boolean[n];
      ArrayDeque<Integer> work = new ArrayDeque<>();
      for (int p : f.blockPreds(h)) {
        if (idom[p] >= 0 && dominates(h, p, idom) && !inLoop[p]) {
          inLoop[p] = true;
          work.add(p);
        }
      }
      if (work.isEmpty()) {
        continue;
      }
      inLoop[h] = true;
      while (!work.isEmpty()) {
        int b = work.poll();
        for (int p : f.blockPreds(b)) {
          if (idom[p] >= 0 && !inLoop[p]) {
            inLoop[p] = true;
            work.add(p);
          }
        }
      }
      for (int b = 0; b < n; b++) {
        if (inLoop[b]) {
          depth[b]++;
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

  private static int intersect(int a, int b, int[] idom, int[] rpoIndex) {
    while (a != b) {
      while (rpoIndex[a] > rpoIndex[b]) {
        a = idom[a];
      }
      while (rpoIndex[b] > rpoIndex[a]) {
        b = idom[b];
      }
    }
    return a;
  }
}
