package dev.kiln.codegen.regalloc;

import dev.kiln.ir.analysis.ImmediateDominators;
import java.util.List;

/**
 * A function's block graph in flat arrays, read once from {@link RegAllocFunction#blockSuccs} and
 * {@link RegAllocFunction#blockPreds}: block {@code b}'s successors are {@code succ[succStart[b]]} to
 * {@code succ[succStart[b + 1] - 1]} in the function's order, its predecessors likewise in {@code
 * pred}. It is the {@link ImmediateDominators.Graph} the dominator and loop-tree algorithms walk.
 *
 * <p>Why: the dominators, the loop tree, the forward regions and liveness's walks read every edge
 * several times. Through the list views each read was an interface call to the function, a list's
 * {@code get} and its {@code Objects.checkIndex}, and an {@code Integer} unboxed; the compiler runs
 * under C1, which inlines none of them. An array read is a bounds-checked load.
 */
final class BlockEdges implements ImmediateDominators.Graph {
  final int[] succStart;
  final int[] succ;
  final int[] predStart;
  final int[] pred;

  private BlockEdges(int[] succStart, int[] succ, int[] predStart, int[] pred) {
    this.succStart = succStart;
    this.succ = succ;
    this.predStart = predStart;
    this.pred = pred;
  }

  static BlockEdges of(RegAllocFunction f) {
    int n = f.numBlocks();
    int[] succStart = new int[n + 1];
    int[] predStart = new int[n + 1];
    for (int b = 0; b < n; b++) {
      succStart[b + 1] = succStart[b] + f.blockSuccs(b).size();
      predStart[b + 1] = predStart[b] + f.blockPreds(b).size();
    }
    int[] succ = new int[succStart[n]];
    int[] pred = new int[predStart[n]];
    for (int b = 0; b < n; b++) {
      List<Integer> succs = f.blockSuccs(b);
      for (int k = 0; k < succs.size(); k++) {
        succ[succStart[b] + k] = succs.get(k);
      }
      List<Integer> preds = f.blockPreds(b);
      for (int k = 0; k < preds.size(); k++) {
        pred[predStart[b] + k] = preds.get(k);
      }
    }
    return new BlockEdges(succStart, succ, predStart, pred);
  }

  @Override
  public int nodeCount() {
    return succStart.length - 1;
  }

  @Override
  public int successorCount(int node) {
    return succStart[node + 1] - succStart[node];
  }

  @Override
  public int successor(int node, int index) {
    return succ[succStart[node] + index];
  }

  @Override
  public int predecessorCount(int node) {
    return predStart[node + 1] - predStart[node];
  }

  @Override
  public int predecessor(int node, int index) {
    return pred[predStart[node] + index];
  }
}
