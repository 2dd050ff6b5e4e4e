package dev.kiln.ir.analysis;

/**
 * The natural loops of a function: for each back edge {@code latch -> header} (the header dominates
 * the latch), the header and every block that reaches the latch without passing the header; loops
 * sharing a header are one loop. Wasm's control flow is structured, so every cycle of a translated
 * function is such a loop. Each loop knows the smallest loop around it, each block the smallest loop
 * containing it ({@link LoopForest}, in about linear time: a bit set of blocks per loop, as this
 * kept before, cost loops x blocks, and 100,000 nested loops made that gigabytes).
 */
public final class NaturalLoops {
  private final LoopForest forest;
  /** Whether the loop forest was searched for: false when no edge retreats ({@link #searched}). */
  private final boolean searched;

  private NaturalLoops(LoopForest forest, boolean searched) {
    this.forest = forest;
    this.searched = searched;
  }

  /** The loops of a function with block ids below {@code blockCount}. */
  public static NaturalLoops compute(int blockCount, ControlFlowGraph cfg, DominatorTree domTree) {
    int[] rpo = domTree.reversePostorder();
    if (!hasRetreatingEdge(rpo, cfg, domTree)) {
      return new NaturalLoops(LoopForest.none(blockCount), false);
    }
    int entry = rpo[0];
    int[] idom = new int[blockCount];
    for (int b = 0; b < blockCount; b++) {
      idom[b] = !domTree.isReachable(b) ? -1 : b == entry ? entry : domTree.idom(b);
    }
    return new NaturalLoops(LoopForest.compute(cfg.asGraph(blockCount), idom, entry), true);
  }

  /**
   * Whether an edge of a reachable block leads to a block at or before it in reverse postorder. A
   * back edge does (its target dominates its source, so comes first), so without one the function
   * has no loop, and the loop forest's dominator numbering and per-edge dominance tests are
   * skipped.
   */
  private static boolean hasRetreatingEdge(int[] rpo, ControlFlowGraph cfg, DominatorTree domTree) {
    for (int b : rpo) {
      int position = domTree.rpoNumber(b);
      for (int k = 0, count = cfg.successorCount(b); k < count; k++) {
        if (domTree.rpoNumber(cfg.successor(b, k)) <= position) {
          return true;
        }
      }
    }
    return false;
  }


  /**
   * Whether finding these loops took the loop forest's search, not only the test for a retreating
   * edge that a loop-free function fails: the work tests count.
   */
  public boolean searched() {
    return searched;
  }

  /** Whether the function has a loop at all. */
  public boolean isEmpty() {
    return forest.headers().length == 0;
  }

  /** Whether {@code block} lies in some loop. */
  public boolean inLoop(int block) {
    return forest.innermost(block) >= 0;
  }

  /** The header of the smallest loop containing {@code block}, or -1. */
  public int innermost(int block) {
    return forest.innermost(block);
  }

  /** The header of the smallest loop strictly around the loop of {@code header}, or -1. */
  public int parent(int header) {
    return forest.parent(header);
  }

  /** The loop headers, every one after the headers of the loops around it. */
  public int[] headers() {
    return forest.headers();
  }
}
