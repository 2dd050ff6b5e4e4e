package dev.kiln.ir.pass;

import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.analysis.FlowAnalyses;
import dev.kiln.ir.analysis.NaturalLoops;

/**
 * Lays every natural loop out as one run of blocks, its header first: blocks that the translation
 * placed among a loop's blocks but that are not on its cycle (the code after a {@code br_if} out of
 * the loop, an error path ending in a return or a trap) move to just after the loop. Nested loops
 * likewise, inside their parent's run; everything else keeps its order.
 *
 * <p>Why: the layout is both the order code is emitted in and the linear order the register
 * allocator scans. A loop whose exit path sat between its header and its body (wasm's {@code loop
 * ... if ... return ... end ... br} puts it there) was scanned header, exit path, body: the exit
 * path's calls moved the loop's values to other registers before the scan reached the body, and
 * every trip round the loop paid copies back and forth on its edges
 * (docs/history/performance-journal.md, "Loops laid out in one piece"). Laid out in one piece, the
 * body follows the header in the scan, and the loop's code is contiguous.
 *
 * <p>Loops are {@link NaturalLoops}.
 */
public final class LoopLayout implements FunctionPass {
  @Override
  public String name() {
    return "layout";
  }

  @Override
  public void run(Function f, FlowAnalyses analyses) {
    Layout layout = f.layout();
    int[] original = layout.blocks();
    if (original.length < 3) {
      return;
    }
    int blockCount = 0;
    for (int b : original) {
      blockCount = Math.max(blockCount, b + 1);
    }
    NaturalLoops loops = analyses.loops();
    if (loops.isEmpty()) {
      return;
    }
    for (int b : order(original, blockCount, loops)) {
      layout.moveBlockToEnd(b);
    }
    // The predecessor lists follow the layout order; the loops are the same blocks and edges.
    analyses.reordered();
  }

  /**
   * The new order: the blocks outside every loop in their original order, each outermost loop as one
   * run at the point its first block comes up; inside a loop's run its header first, then its own
   * blocks in their original order, each loop directly inside it again as one run at its first block.
   *
   * <p>Built from each loop's items (its own blocks and the loops directly inside it, each placed at
   * its first block's original position), so each block is handled once: a pass over every block
   * per loop, as this did before, cost loops x blocks, and recursing per nesting level overflowed
   * the stack at a few thousand nested loops. The emission walks the loop tree with a stack of its own.
   */
  private static int[] order(int[] original, int blockCount, NaturalLoops loops) {
    int[] position = new int[blockCount];
    for (int i = 0; i < original.length; i++) {
      position[original[i]] = i;
    }
    // A loop's first position: the least over its blocks and the loops inside it (inner headers
    // come after their parents in headers(), so a reverse pass sees each loop before its parent).
    int[] first = new int[blockCount];
    java.util.Arrays.fill(first, Integer.MAX_VALUE);
    for (int b : original) {
      int h = loops.innermost(b);
      if (h >= 0) {
        first[h] = Math.min(first[h], position[b]);
      }
    }
    int[] headers = loops.headers();
    for (int k = headers.length - 1; k >= 0; k--) {
      int p = loops.parent(headers[k]);
      if (p >= 0) {
        first[p] = Math.min(first[p], first[headers[k]]);
      }
    }
    // Each level's items in placing order, in one array a window per level; level -1 (outside every
    // loop) is slot blockCount. An item is a block (>= 0) or a loop, encoded as -1 - header, kept
    // with the position it is placed at as one long (position << 32, then the item's 32 bits), so a
    // window sorted as numbers is in placing order (no two items of a level share a position: a
    // loop's is that of one of its blocks, each block's its own, and every header is placed). A
    // list of boxed items per level, sorted through a comparator, was 0.3% of yosys's sampled
    // allocation.
    int[] levelStart = new int[blockCount + 2];
    for (int b : original) {
      int h = loops.innermost(b);
      if (b != h) {
        levelStart[slot(h, blockCount) + 1]++;
      }
    }
    for (int h : headers) {
      levelStart[slot(loops.parent(h), blockCount) + 1]++;
    }
    for (int s = 0; s <= blockCount; s++) {
      levelStart[s + 1] += levelStart[s];
    }
    long[] items = new long[levelStart[blockCount + 1]];
    int[] filled = java.util.Arrays.copyOf(levelStart, blockCount + 1);
    for (int b : original) {
      int h = loops.innermost(b);
      if (b != h) {
        items[filled[slot(h, blockCount)]++] = placed(position[b], b);
      }
    }
    for (int h : headers) {
      items[filled[slot(loops.parent(h), blockCount)]++] = placed(first[h], -1 - h);
    }
    for (int s = 0; s <= blockCount; s++) {
      java.util.Arrays.sort(items, levelStart[s], levelStart[s + 1]);
    }
    int[] order = new int[original.length];
    int count = 0;
    // The walk: per open level, its slot and the index of its next item.
    int[] levelStack = new int[headers.length + 1];
    int[] nextStack = new int[headers.length + 1];
    int sp = 0;
    levelStack[sp] = blockCount;
    nextStack[sp++] = levelStart[blockCount];
    while (sp > 0) {
      if (nextStack[sp - 1] == levelStart[levelStack[sp - 1] + 1]) {
        sp--;
        continue;
      }
      int item = (int) items[nextStack[sp - 1]++];
      if (item >= 0) {
        order[count++] = item;
      } else {
        int h = -1 - item;
        order[count++] = h;
        levelStack[sp] = h;
        nextStack[sp++] = levelStart[h];
      }
    }
    return java.util.Arrays.copyOf(order, count);
  }

  /** The slot of the level inside loop {@code header}, or outside every loop for -1. */
  private static int slot(int header, int blockCount) {
    return header < 0 ? blockCount : header;
  }

  /** An item at {@code position}, as a long that sorts by position. */
  private static long placed(int position, int item) {
    return (long) position << 32 | (item & 0xFFFF_FFFFL);
  }
}
