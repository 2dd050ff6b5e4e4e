package dev.kiln.compiler.inline;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Layout;
import java.util.Arrays;

/**
 * Which blocks of a freshly translated function lie inside a loop, read from its layout alone.
 * Translation lays blocks out in the order the wasm body opens them ({@code FunctionBuilder}
 * appends a block when it switches to it), and the only branches back to an earlier block are a
 * {@code loop}'s (a {@code br} to a loop label targets its start: spec 2.4.8, "Control
 * Instructions"). So a block lies in a loop when it sits between some block and a later block that
 * branches back to it. Two passes over the blocks, against dominators and natural loops for the
 * whole function: the inliner asks this of every caller before it has inlined anything.
 */
final class LayoutLoops {
  private LayoutLoops() {}

  /** Per entry of {@code blocks} (the layout's blocks, in order): whether that block is in a loop. */
  static boolean[] blocksInLoops(DataFlowGraph dfg, Layout layout, int[] blocks) {
    int[] position = new int[dfg.blockCount()];
    Arrays.fill(position, Integer.MAX_VALUE); // not reached yet: a branch to it goes forward
    // spans[i]: how many loop spans open at position i, less how many closed just before it.
    int[] spans = new int[blocks.length + 1];
    for (int i = 0; i < blocks.length; i++) {
      position[blocks[i]] = i;
      int last = layout.lastInst(blocks[i]);
      if (last < 0 || !dfg.opcode(last).isBranch()) {
        continue;
      }
      for (int d = 0; d < dfg.destCount(last); d++) {
        int target = dfg.blockCallBlock(dfg.dest(last, d));
        if (position[target] <= i) {
          spans[position[target]]++;
          spans[i + 1]--;
        }
      }
    }
    boolean[] inLoop = new boolean[blocks.length];
    int open = 0;
    for (int i = 0; i < blocks.length; i++) {
      open += spans[i];
      inLoop[i] = open > 0;
    }
    return inLoop;
  }
}
