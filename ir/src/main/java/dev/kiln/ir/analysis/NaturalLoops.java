package dev.kiln.ir.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The natural loops of a function: for each back edge {@code latch -> header} (the header dominates
 * the latch), the header and every block that reaches the latch without passing the header; loops
 * sharing a header are one loop. Wasm's control flow is structured, so every cycle of a translated
 * function is such a loop. Each loop knows the smallest loop around it.
 */
public final class NaturalLoops {
  private final List<Integer> headers = new ArrayList<>();
  private final BitSet[] bodyOf;
  /** By header: the header of the smallest loop strictly containing it, or -1. */
  private final int[] parent;
  /** By block: the header of the smallest loop containing it, or -1. */
  private final int[] innermost;

  private NaturalLoops(int blockCount) {
    bodyOf = new BitSet[blockCount];
    parent = new int[blockCount];
    innermost = new int[blockCount];
  }

  /** The loops of a function with block ids below {@code blockCount}. */
  public static NaturalLoops compute(int blockCount, ControlFlowGraph cfg, DominatorTree domTree) {
    NaturalLoops loops = new NaturalLoops(blockCount);
    ArrayDeque<Integer> work = new ArrayDeque<>();
    for (int latch : domTree.reversePostorder()) {
      for (int header : cfg.successors(latch)) {
        if (!domTree.dominates(header, latch)) {
          continue;
        }
        BitSet body = loops.bodyOf[header];
        if (body == null) {
          body = loops.bodyOf[header] = new BitSet(blockCount);
          body.set(header);
          loops.headers.add(header);
        }
        if (!body.get(latch)) {
          body.set(latch);
          work.push(latch);
        }
        while (!work.isEmpty()) {
          for (int p : cfg.predecessors(work.pop())) {
            if (!body.get(p) && domTree.isReachable(p)) {
              body.set(p);
              work.push(p);
            }
          }
        }
      }
    }
    // By header: how many blocks its loop has; the smallest loop containing something is its innermost.
    int[] blocksIn = new int[blockCount];
    for (int h : loops.headers) {
      blocksIn[h] = loops.bodyOf[h].cardinality();
    }
    for (int h : loops.headers) {
      int best = -1;
      for (int outer : loops.headers) {
        if (outer != h && loops.bodyOf[outer].get(h) && (best < 0 || blocksIn[outer] < blocksIn[best])) {
          best = outer;
        }
      }
      loops.parent[h] = best;
    }
    // The smallest loop around each block.
    Arrays.fill(loops.innermost, -1);
    for (int h : loops.headers) {
      BitSet body = loops.bodyOf[h];
      for (int b = body.nextSetBit(0); b >= 0; b = body.nextSetBit(b + 1)) {
        int current = loops.innermost[b];
        if (current < 0 || blocksIn[h] < blocksIn[current]) {
          loops.innermost[b] = h;
        }
      }
    }
    return loops;
  }

  /** Whether the function has a loop at all. */
  public boolean isEmpty() {
    return headers.isEmpty();
  }

  /** Whether {@code block} lies in some loop. */
  public boolean inLoop(int block) {
    return innermost[block] >= 0;
  }

  /** The blocks of the loop with header {@code header}. */
  public BitSet body(int header) {
    return bodyOf[header];
  }

  /**
   * The header of the loop directly inside loop {@code header} (-1: the whole function) that
   * contains {@code block}, or -1 when {@code block} lies in no such loop.
   */
  public int childContaining(int header, int block) {
    for (int h = innermost[block]; h >= 0; h = parent[h]) {
      if (parent[h] == header) {
        return h;
      }
    }
    return -1;
  }
}
