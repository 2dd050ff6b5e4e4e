package dev.kiln.codegen.regalloc;

import dev.kiln.ir.analysis.ImmediateDominators;

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
    int[] idom = ImmediateDominators.compute(graphOf(f), 0);
    ImmediateDominators.TreeNumbers numbers = ImmediateDominators.numbering(idom, 0);
    return new Dominators(idom, numbers.pre(), numbers.post());
  }

  /** Whether block {@code a} dominates block {@code b} (every block dominates itself). */
  boolean dominates(int a, int b) {
    return idom[a] >= 0 && idom[b] >= 0 && pre[a] <= pre[b] && post[b] <= post[a];
  }

  /** {@code f}'s block graph, as the dominator and loop-tree algorithms read a graph. */
  static ImmediateDominators.Graph graphOf(RegAllocFunction f) {
    return new ImmediateDominators.Graph() {
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
    };
  }
}
