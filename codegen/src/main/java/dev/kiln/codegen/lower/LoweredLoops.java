package dev.kiln.codegen.lower;

import dev.kiln.codegen.regalloc.BlockLoops;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Layout;
import dev.kiln.ir.analysis.NaturalLoops;
import java.util.Arrays;

/**
 * The IR's natural loops ({@link dev.kiln.ir.Function#loopsFromPasses}) on the VCode's blocks, for
 * the register allocator ({@link BlockLoops}), which otherwise found them again with a dominator tree
 * and a loop forest of the VCode's own (1.6% of yosys's compile workers' samples, JFR 2026-11-27).
 *
 * <p>Why they are the same loops: the VCode's block graph is the IR's with two changes. Some edges
 * {@code u -> v} are split, {@code u -> s -> v} through a new block {@code s} whose only
 * predecessor is {@code u} and only successor {@code v}; and a {@code br_table}'s destinations into
 * one block without arguments are one edge, not several. Neither changes which old blocks reach
 * which, nor which dominate which (every path through {@code s} passes {@code u} and {@code v}), so
 * the back edges and the loops of the old blocks are the same. A split block lies in exactly the
 * loops that hold both {@code u} and {@code v}: when {@code v} is not the loop's header, {@code s}
 * reaches the loop's latch through {@code v}; when it is, {@code s} is the back edge's latch in
 * {@code u}'s place; and a loop holding {@code s} holds its only neighbours. The loops around a
 * block are one chain, so {@code s}'s innermost loop is the innermost of those around both.
 */
final class LoweredLoops {
  private LoweredLoops() {}

  /**
   * {@code loops}, the IR's, on {@code vcodeBlocks} VCode blocks: IR block {@code b} of the layout
   * order {@code order} is VCode block {@code machineBlock[b]}, and destination {@code d} of its
   * terminator, where split, goes through VCode block {@code splitBlocks[b][d]} (a null row: none).
   */
  static BlockLoops of(NaturalLoops loops, int vcodeBlocks, int[] order, int[] machineBlock, int[][] splitBlocks,
      DataFlowGraph dfg, Layout layout) {
    int[] irHeaders = loops.headers();
    // Per IR header, how many loops hold it: the headers around it come first.
    int[] depth = new int[machineBlock.length];
    int[] headers = new int[irHeaders.length];
    int[] innermost = new int[vcodeBlocks];
    int[] parent = new int[vcodeBlocks];
    Arrays.fill(innermost, -1);
    Arrays.fill(parent, -1);
    for (int k = 0; k < irHeaders.length; k++) {
      int h = irHeaders[k];
      int p = loops.parent(h);
      depth[h] = p < 0 ? 1 : depth[p] + 1;
      headers[k] = machineBlock[h];
      parent[machineBlock[h]] = p < 0 ? -1 : machineBlock[p];
    }
    for (int b : order) {
      int h = loops.innermost(b);
      innermost[machineBlock[b]] = h < 0 ? -1 : machineBlock[h];
      int[] splits = splitBlocks[b];
      if (splits == null) {
        continue;
      }
      int term = layout.lastInst(b);
      for (int d = 0; d < splits.length; d++) {
        if (splits[d] >= 0) {
          int common = innermostAround(loops, depth, h, loops.innermost(dfg.blockCallBlock(dfg.dest(term, d))));
          innermost[splits[d]] = common < 0 ? -1 : machineBlock[common];
        }
      }
    }
    return new BlockLoops(innermost, parent, headers);
  }

  /** The innermost loop around both loop {@code a} and loop {@code b} (headers; -1 for none). */
  private static int innermostAround(NaturalLoops loops, int[] depth, int a, int b) {
    while (a != b) {
      if (a < 0 || b < 0) {
        return -1;
      }
      if (depth[a] >= depth[b]) {
        a = loops.parent(a);
      } else {
        b = loops.parent(b);
      }
    }
    return a;
  }
}
