package dev.kiln.ir.pass;

import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.analysis.ControlFlowGraph;
import dev.kiln.ir.analysis.DominatorTree;
import dev.kiln.ir.analysis.NaturalLoops;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

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
  public void run(Function f) {
    Layout layout = f.layout();
    int[] original = layout.blocks();
    if (original.length < 3) {
      return;
    }
    int blockCount = 0;
    for (int b : original) {
      blockCount = Math.max(blockCount, b + 1);
    }
    ControlFlowGraph cfg = ControlFlowGraph.compute(f);
    DominatorTree domTree = DominatorTree.compute(f, cfg);
    NaturalLoops loops = NaturalLoops.compute(blockCount, cfg, domTree);
    if (loops.isEmpty()) {
      return;
    }
    List<Integer> order = new ArrayList<>(original.length);
    BitSet placed = new BitSet(blockCount);
    place(original, -1, loops, placed, order);
    for (int b : order) {
      layout.moveBlockToEnd(b);
    }
  }

  /**
   * Appends, in their original order, the unplaced blocks of the loop with header {@code header}
   * (every block for -1), each nested loop as one run at the point its first block comes up.
   */
  private static void place(int[] original, int header, NaturalLoops loops, BitSet placed, List<Integer> order) {
    for (int b : original) {
      if (placed.get(b) || header >= 0 && !loops.body(header).get(b)) {
        continue;
      }
      int child = loops.childContaining(header, b);
      if (child < 0) {
        placed.set(b);
        order.add(b);
      } else {
        placed.set(child);
        order.add(child);
        place(original, child, loops, placed, order);
      }
    }
  }
}
