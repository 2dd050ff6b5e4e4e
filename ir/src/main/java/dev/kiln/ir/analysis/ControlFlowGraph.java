package dev.kiln.ir.analysis;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import java.util.Arrays;

/**
 * Successor and predecessor lists of the blocks in a function's layout, read from each block's
 * last instruction (the verifier rejects branches anywhere else). A block that branches to the
 * same successor twice ({@code brif} or {@code br_table} with equal targets) lists it once, and
 * its successor lists it once as a predecessor. Orders follow the branch operands and the layout.
 */
public final class ControlFlowGraph {
  private static final int[] EMPTY = new int[0];

  private final int[][] successors;
  private final int[][] predecessors;

  private ControlFlowGraph(int[][] successors, int[][] predecessors) {
    this.successors = successors;
    this.predecessors = predecessors;
  }

  public static ControlFlowGraph compute(Function f) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    int n = dfg.blockCount();
    int[][] succ = new int[n][];
    int[] predCount = new int[n];
    Arrays.fill(succ, EMPTY);
    // listedBy[t] == b: block b already lists t. A search of the list per target instead cost a
    // br_table's size squared.
    int[] listedBy = new int[n];
    Arrays.fill(listedBy, -1);
    for (int b = layout.firstBlock(); b >= 0; b = layout.nextBlock(b)) {
      int last = layout.lastInst(b);
      if (last < 0 || !dfg.opcode(last).isBranch()) {
        continue;
      }
      int[] list = new int[dfg.destCount(last)];
      int size = 0;
      for (int d = 0; d < dfg.destCount(last); d++) {
        int target = dfg.blockCallBlock(dfg.dest(last, d));
        if (target >= 0 && target < n && listedBy[target] != b) {
          listedBy[target] = b;
          list[size++] = target;
          predCount[target]++;
        }
      }
      succ[b] = size == list.length ? list : Arrays.copyOf(list, size); // a copy only without repeats
    }
    int[][] pred = new int[n][];
    for (int b = 0; b < n; b++) {
      pred[b] = predCount[b] == 0 ? EMPTY : new int[predCount[b]];
    }
    int[] fill = new int[n];
    for (int b = layout.firstBlock(); b >= 0; b = layout.nextBlock(b)) {
      for (int s : succ[b]) {
        pred[s][fill[s]++] = b;
      }
    }
    return new ControlFlowGraph(succ, pred);
  }

  public int[] successors(int block) {
    return successors[block].clone();
  }

  public int[] predecessors(int block) {
    return predecessors[block].clone();
  }

  public int successorCount(int block) {
    return successors[block].length;
  }

  public int predecessorCount(int block) {
    return predecessors[block].length;
  }

  public int successor(int block, int index) {
    return successors[block][index];
  }

  public int predecessor(int block, int index) {
    return predecessors[block][index];
  }

  /**
   * This graph over its first {@code nodeCount} blocks, as the dominator and loop-tree algorithms
   * read a graph.
   */
  ImmediateDominators.Graph asGraph(int nodeCount) {
    ControlFlowGraph cfg = this;
    return new ImmediateDominators.Graph() {
      @Override
      public int nodeCount() {
        return nodeCount;
      }

      @Override
      public int successorCount(int node) {
        return cfg.successorCount(node);
      }

      @Override
      public int successor(int node, int index) {
        return cfg.successor(node, index);
      }

      @Override
      public int predecessorCount(int node) {
        return cfg.predecessorCount(node);
      }

      @Override
      public int predecessor(int node, int index) {
        return cfg.predecessor(node, index);
      }
    };
  }
}
