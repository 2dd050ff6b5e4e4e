package dev.kiln.codegen.regalloc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The dominator tree of a function's blocks, from the Cooper-Harvey-Kennedy iteration ("A Simple,
 * Fast Dominance Algorithm", 2001) over reverse postorder from block 0, with pre/post numbers of a
 * walk of the tree so {@link #dominates} is two comparisons. Unreachable blocks have no immediate
 * dominator ({@code -1}) and dominate nothing.
 *
 * @param idom immediate dominator of each block; block 0's is itself
 */
record Dominators(int[] idom, int[] pre, int[] post) {
  static Dominators compute(RegAllocFunction f) {
    int n = f.numBlocks();
    List<Integer> postorder = new ArrayList<>();
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
        postorder.add(stack.pop()[0]);
      }
    }
    int[] rpoIndex = new int[n];
    Arrays.fill(rpoIndex, -1);
    int[] order = new int[postorder.size()];
    for (int k = 0; k < postorder.size(); k++) {
      order[k] = postorder.get(postorder.size() - 1 - k);
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
    return new Dominators(idom, numbering(idom, true), numbering(idom, false));
  }

  /** Whether block {@code a} dominates block {@code b} (every block dominates itself). */
  boolean dominates(int a, int b) {
    return idom[a] >= 0 && idom[b] >= 0 && pre[a] <= pre[b] && post[b] <= post[a];
  }

  /** Pre- or post-order numbers of a depth-first walk of the dominator tree from block 0. */
  private static int[] numbering(int[] idom, boolean preorder) {
    int n = idom.length;
    int[] childCount = new int[n + 1];
    for (int b = 1; b < n; b++) {
      if (idom[b] >= 0) {
        childCount[idom[b] + 1]++;
      }
    }
    for (int b = 0; b < n; b++) {
      childCount[b + 1] += childCount[b];
    }
    int[] children = new int[Math.max(childCount[n], 1)];
    int[] fill = Arrays.copyOf(childCount, n);
    for (int b = 1; b < n; b++) {
      if (idom[b] >= 0) {
        children[fill[idom[b]]++] = b;
      }
    }
    int[] number = new int[n];
    Arrays.fill(number, -1);
    int counter = 0;
    ArrayDeque<int[]> stack = new ArrayDeque<>();
    stack.push(new int[] {0, childCount[0]});
    if (preorder) {
      number[0] = counter++;
    }
    while (!stack.isEmpty()) {
      int[] top = stack.peek();
      if (top[1] < childCount[top[0] + 1]) {
        int child = children[top[1]++];
        if (preorder) {
          number[child] = counter++;
        }
        stack.push(new int[] {child, childCount[child]});
      } else {
        stack.pop();
        if (!preorder) {
          number[top[0]] = counter++;
        }
      }
    }
    return number;
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
