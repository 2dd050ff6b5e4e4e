package dev.kiln.codegen.regalloc;

import dev.kiln.ir.analysis.ImmediateDominators;
import java.util.ArrayList;
import java.util.List;

/**
 * A function's block graph and the values on it in flat arrays, read once from {@link
 * RegAllocFunction#blockSuccs}, {@link RegAllocFunction#blockPreds}, {@link
 * RegAllocFunction#predEdgeIndex}, {@link RegAllocFunction#blockParams} and {@link
 * RegAllocFunction#branchArgs}: block {@code b}'s successors are {@code succ[succStart[b]]} to
 * {@code succ[succStart[b + 1] - 1]} in the function's order, its predecessors likewise in {@code
 * pred}. An edge is numbered by its place in {@code succ} ({@code succStart[b] + k} for b's k-th
 * successor); its arguments are {@code args[argStart[e]]} to {@code args[argStart[e + 1] - 1]}, and
 * {@code inEdge} gives, parallel to {@code pred}, the edge each predecessor entry stands for. Block
 * b's parameters are {@code params[paramStart[b]]} to {@code params[paramStart[b + 1] - 1]}. It is
 * the {@link ImmediateDominators.Graph} the dominator and loop-tree algorithms walk.
 *
 * <p>Why: the dominators, the loop tree, the forward regions, liveness, interval building, the
 * hints, slot sharing and resolution read every edge and its values several times. Through the list
 * views each read was an interface call to the function, a list's {@code get} and its {@code
 * Objects.checkIndex}, and an {@code Integer} unboxed; the compiler runs under C1, which inlines none
 * of them. An array read is a bounds-checked load.
 */
public final class BlockEdges implements ImmediateDominators.Graph {
  final int[] succStart;
  final int[] succ;
  final int[] predStart;
  final int[] pred;
  final int[] inEdge;
  final int[] argStart;
  final VReg[] args;
  final int[] paramStart;
  final VReg[] params;

  private BlockEdges(int[] succStart, int[] succ, int[] predStart, int[] pred, int[] inEdge,
      int[] argStart, VReg[] args, int[] paramStart, VReg[] params) {
    this.succStart = succStart;
    this.succ = succ;
    this.predStart = predStart;
    this.pred = pred;
    this.inEdge = inEdge;
    this.argStart = argStart;
    this.args = args;
    this.paramStart = paramStart;
    this.params = params;
  }

  /**
   * The arrays of a function container that keeps its graph flat ({@code VCode}); they are taken
   * over, not copied. The allocator checks them against its contract before it reads them
   * ({@link FunctionValidator}).
   */
  public static BlockEdges of(int[] succStart, int[] succ, int[] predStart, int[] pred, int[] inEdge,
      int[] argStart, VReg[] args, int[] paramStart, VReg[] params) {
    return new BlockEdges(succStart, succ, predStart, pred, inEdge, argStart, args, paramStart, params);
  }

  /** Read from the function's lists ({@link RegAllocFunction#blockEdges}'s default). */
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
    int[] inEdge = new int[predStart[n]];
    int[] argStart = new int[succStart[n] + 1];
    int[] paramStart = new int[n + 1];
    List<List<VReg>> argLists = new ArrayList<>(succStart[n]);
    for (int b = 0; b < n; b++) {
      List<Integer> succs = f.blockSuccs(b);
      for (int k = 0; k < succs.size(); k++) {
        int e = succStart[b] + k;
        succ[e] = succs.get(k);
        List<VReg> edgeArgs = f.branchArgs(b, k);
        argLists.add(edgeArgs);
        argStart[e + 1] = argStart[e] + edgeArgs.size();
      }
      List<Integer> preds = f.blockPreds(b);
      for (int k = 0; k < preds.size(); k++) {
        int p = preds.get(k);
        pred[predStart[b] + k] = p;
        inEdge[predStart[b] + k] = p >= 0 && p < n ? succStart[p] + f.predEdgeIndex(b, k) : -1;
      }
      paramStart[b + 1] = paramStart[b] + f.blockParams(b).size();
    }
    VReg[] args = new VReg[argStart[succStart[n]]];
    for (int e = 0; e < argLists.size(); e++) {
      List<VReg> edgeArgs = argLists.get(e);
      for (int j = 0; j < edgeArgs.size(); j++) {
        args[argStart[e] + j] = edgeArgs.get(j);
      }
    }
    VReg[] params = new VReg[paramStart[n]];
    for (int b = 0; b < n; b++) {
      List<VReg> blockParams = f.blockParams(b);
      for (int j = 0; j < blockParams.size(); j++) {
        params[paramStart[b] + j] = blockParams.get(j);
      }
    }
    return new BlockEdges(succStart, succ, predStart, pred, inEdge, argStart, args, paramStart, params);
  }

  /**
   * For block {@code block}'s {@code predIndex}-th predecessor entry, the edge's index among that
   * predecessor's successors ({@link RegAllocFunction#predEdgeIndex}).
   */
  public int predEdgeIndex(int block, int predIndex) {
    if (predIndex < 0 || predIndex >= predecessorCount(block)) {
      throw new IndexOutOfBoundsException("block " + block + " has no predecessor " + predIndex);
    }
    int entry = predStart[block] + predIndex;
    return inEdge[entry] - succStart[pred[entry]];
  }

  /** Block {@code b}'s {@code k}-th successor edge. */
  int edge(int b, int k) {
    return succStart[b] + k;
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
