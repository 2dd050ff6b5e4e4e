package dev.kiln.ir.analysis;

import dev.kiln.ir.Function;
import java.util.Arrays;

/**
 * Immediate dominators of the blocks reachable from the entry block ({@link ImmediateDominators}:
 * Lengauer and Tarjan's algorithm, whose cost does not grow with the tree's depth), with the blocks'
 * reverse postorder. Unreachable blocks have no dominator and dominate nothing.
 */
public final class DominatorTree {
  private static final int UNDEFINED = -1;
  private static final int[] NO_CHILDREN = new int[0];

  private final int[] idom;
  /** Position of each block in reverse postorder; -1 when unreachable. */
  private final int[] rpoNumber;
  private final int[] rpo;
  /** The tree's walk numbers, for a dominance test that does not climb the tree. */
  private final ImmediateDominators.TreeNumbers numbers;
  /** Per block, the blocks it immediately dominates; built on the first {@link #children} call. */
  private int[][] children;

  private DominatorTree(int[] idom, int[] rpoNumber, int[] rpo, int entry) {
    this.idom = idom;
    this.rpoNumber = rpoNumber;
    this.rpo = rpo;
    this.numbers = ImmediateDominators.numbering(idom, rpo.length == 0 ? -1 : entry);
  }

  public static DominatorTree compute(Function f, ControlFlowGraph cfg) {
    int n = f.dfg().blockCount();
    int entry = f.layout().entryBlock();
    int[] rpo = reversePostorder(entry, cfg, n);
    int[] rpoNumber = new int[n];
    Arrays.fill(rpoNumber, UNDEFINED);
    for (int i = 0; i < rpo.length; i++) {
      rpoNumber[rpo[i]] = i;
    }
    if (rpo.length == 0) {
      int[] none = new int[n];
      Arrays.fill(none, UNDEFINED);
      return new DominatorTree(none, rpoNumber, rpo, entry);
    }
    int[] idom = ImmediateDominators.compute(cfg.asGraph(n), entry);
    return new DominatorTree(idom, rpoNumber, rpo, entry);
  }

  /** Depth-first postorder from the entry (iterative: deep CFGs must not overflow the stack). */
  private static int[] reversePostorder(int entry, ControlFlowGraph cfg, int n) {
    if (entry < 0) {
      return new int[0];
    }
    int[] order = new int[n];
    int count = 0;
    boolean[] visited = new boolean[n];
    int[] stackBlock = new int[n];
    int[] stackNext = new int[n];
    int sp = 0;
    stackBlock[0] = entry;
    stackNext[0] = 0;
    visited[entry] = true;
    sp = 1;
    while (sp > 0) {
      int b = stackBlock[sp - 1];
      int i = stackNext[sp - 1];
      if (i < cfg.successorCount(b)) {
        stackNext[sp - 1]++;
        int s = cfg.successor(b, i);
        if (!visited[s]) {
          visited[s] = true;
          stackBlock[sp] = s;
          stackNext[sp] = 0;
          sp++;
        }
      } else {
        order[count++] = b;
        sp--;
      }
    }
    int[] rpo = new int[count];
    for (int i = 0; i < count; i++) {
      rpo[i] = order[count - 1 - i];
    }
    return rpo;
  }

  public boolean isReachable(int block) {
    return block >= 0 && block < rpoNumber.length && rpoNumber[block] != UNDEFINED;
  }

  /** The immediate dominator of {@code block}, or -1 for the entry and unreachable blocks. */
  public int idom(int block) {
    if (!isReachable(block) || idom[block] == block) {
      return UNDEFINED;
    }
    return idom[block];
  }

  /** Whether {@code a} dominates {@code b} (every block dominates itself). */
  public boolean dominates(int a, int b) {
    return isReachable(a) && isReachable(b) && numbers.dominates(a, b);
  }

  /** Reachable blocks in reverse postorder: every block after its dominators. */
  public int[] reversePostorder() {
    return rpo.clone();
  }

  public int rpoNumber(int block) {
    return rpoNumber[block];
  }

  /**
   * The blocks {@code block} immediately dominates, in reverse postorder: walking them from the
   * entry visits the dominator tree in preorder, the order GVN scopes its value table by.
   */
  public int[] children(int block) {
    return childList(block).clone();
  }

  /**
   * How many blocks {@code block} immediately dominates: the length of {@link #children}, with no
   * copy made (value numbering's tree walk asks per block).
   */
  public int childCount(int block) {
    return childList(block).length;
  }

  /** The {@code k}th block of {@link #children children(block)}, with no copy made. */
  public int child(int block, int k) {
    return childList(block)[k];
  }

  /** The kept list of {@code block}'s children, built for every block on the first ask. */
  private int[] childList(int block) {
    if (children == null) {
      children = childLists();
    }
    return block >= 0 && block < children.length ? children[block] : NO_CHILDREN;
  }

  /** Every block's children in one pass over the reverse postorder, so a tree walk stays linear. */
  private int[][] childLists() {
    int blockCount = idom.length;
    int[] count = new int[blockCount];
    for (int b : rpo) {
      int parent = idom(b);
      if (parent >= 0) {
        count[parent]++;
      }
    }
    int[][] lists = new int[blockCount][];
    for (int b = 0; b < blockCount; b++) {
      lists[b] = new int[count[b]];
    }
    int[] fill = new int[blockCount];
    for (int b : rpo) {
      int parent = idom(b);
      if (parent >= 0) {
        lists[parent][fill[parent]++] = b;
      }
    }
    return lists;
  }
}
