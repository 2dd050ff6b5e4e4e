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
  static Dominators compute(BlockEdges edges) {
    int[] idom = ImmediateDominators.compute(edges, 0);
    ImmediateDominators.TreeNumbers numbers = ImmediateDominators.numbering(idom, 0);
    return new Dominators(idom, numbers.pre(), numbers.post());
  }

  /** Whether block {@code a} dominates block {@code b} (every block dominates itself). */
  boolean dominates(int a, int b) {
    return idom[a] >= 0 && idom[b] >= 0 && pre[a] <= pre[b] && post[b] <= post[a];
  }
}
