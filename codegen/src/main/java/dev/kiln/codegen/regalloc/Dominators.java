package dev.kiln.codegen.regalloc;

import dev.kiln.ir.analysis.ImmediateDominators;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The dominator tree of a function's blocks, from Lengauer and Tarjan's algorithm ({@link
 * ImmediateDominators}, shared with the IR's DominatorTree), with pre/post numbers of a
 * walk of the tree so {@link #dominates} is two comparisons. Unreachable blocks have no immediate
 * dominator ({@code -1}) and dominate nothing.
 *
 * @param idom immediate dominator of each block; block 0's is itself
 */
record Dominators(int[] idom, int[] pre, int[] post) {
  static Dominators compute(RegAllocFunction f) {
    int[] idom = ImmediateDominators.compute(new ImmediateDominators.Graph() {
      @Override
      public int nodeCount() {
        return f.numBlocks();
      }

      @Override
      public int successorCount(int node) {
        return f.blockSuccs(node).size();
      }

      @Override
      public int successor(int node, int index) {
        return f.blockSuccs(node).get(index);
      }

      @Override
      public int predecessorCount(int node) {
        return f.blockPreds(node).size();
      }

      @Override
      public int predecessor(int node, int index) {
        return f.blockPreds(node).get(index);
      }
    }, 0);
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
}
