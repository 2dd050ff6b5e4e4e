package dev.kiln.codegen.regalloc;

import dev.kiln.ir.analysis.ImmediateDominators;
import dev.kiln.ir.analysis.LoopForest;
import java.util.Arrays;

/**
 * The natural loops of a function: an edge {@code p -> h} whose target dominates its source is a back
 * edge, and the loop of {@code h} is every block that reaches {@code p} without passing {@code h}
 * (loops sharing a header are one loop). Per block its nesting depth and its innermost loop; per loop
 * (named by its header) the enclosing loop and its hull, the positions from the first of its blocks'
 * tops to the last of their ends. Natural loops are nested or disjoint, so the loops around a block
 * form one chain from {@link #innermost} through {@link #parent}.
 *
 * <p>The allocator uses depths to move reloads out of loops and the chain and hulls to keep values
 * that a loop uses in registers while it runs (Wimmer and Moessenboeck, section 5.2). A hull may also
 * cover blocks laid out between the loop's blocks that are not in the loop, so "no use inside the
 * hull" is the safe direction of "no use inside the loop". Unreachable blocks are in no loop.
 */
final class LoopNest {
  /** Per block: how many loops contain it. */
  final int[] depth;
  /** Per block: the header of the innermost loop containing it, or -1. */
  final int[] innermost;
  /** Per loop header: the header of the loop around it, or -1 (undefined for other blocks). */
  final int[] parent;
  /** Per loop header: the first position of its hull (undefined for other blocks). */
  final int[] hullStart;
  /** Per loop header: the position after its hull (undefined for other blocks). */
  final int[] hullEnd;
  /**
   * Per block, whether some loop's hull covers it: where a use can make {@link AllocState}'s "does
   * a loop use this value" true, and so the only blocks whose uses the interval walk gathers for it.
   */
  final boolean[] inHull;
  /**
   * Whether some block is {@link #inHull}: whether the function has a loop (a loop's header lies in
   * its own hull).
   */
  final boolean anyHull;
  /**
   * Whether the dominator and loop analyses ran (the work, for tests): not without a backward edge,
   * nor for a function that knows its loops.
   */
  final boolean analysed;

  private LoopNest(int n, boolean analysed, boolean anyHull) {
    this.analysed = analysed;
    this.anyHull = anyHull;
    depth = new int[n];
    innermost = new int[n];
    parent = new int[n];
    hullStart = new int[n];
    hullEnd = new int[n];
    inHull = new boolean[n];
    Arrays.fill(innermost, -1);
    Arrays.fill(parent, -1);
  }

  static LoopNest compute(RegAllocFunction f) {
    return compute(f, BlockEdges.of(f));
  }

  /**
   * The loops of {@code f}, whose block graph is {@code edges}, from block 0: those {@code f} knows
   * ({@link RegAllocFunction#knownLoops}), else found here.
   */
  static LoopNest compute(RegAllocFunction f, BlockEdges edges) {
    int n = f.numBlocks();
    BlockLoops known = f.knownLoops();
    if (known != null) {
      return known.headers().length == 0 ? new LoopNest(n, false, false)
          : of(f, known.innermost(), known.parent(), known.headers(), false);
    }
    // A cycle goes back to a block laid out at or before the one it leaves somewhere, so without such
    // an edge there is no loop, and no dominator tree is needed to find none.
    return hasBackwardEdge(edges, n) ? analyse(f, edges) : new LoopNest(n, false, false);
  }

  /** {@link #compute}, through the dominator tree and the loop forest whatever the edges. */
  static LoopNest analyse(RegAllocFunction f, BlockEdges edges) {
    int n = f.numBlocks();
    // The loop tree in about linear time (LoopForest): a walk per header over its blocks, as this
    // did before, costs the sum of the loops' sizes, which nested loops make quadratic. It numbers
    // the dominator tree itself; the immediate dominators are all it needs from here.
    LoopForest forest = LoopForest.compute(edges, ImmediateDominators.compute(edges, 0), 0);
    int[] headers = forest.headers();
    int[] innermost = new int[n];
    int[] parent = new int[n];
    for (int b = 0; b < n; b++) {
      innermost[b] = forest.innermost(b);
      parent[b] = forest.parent(b);
    }
    return of(f, innermost, parent, headers, true);
  }

  /**
   * The nest of the loops {@code innermost}, {@code parent} and {@code headers} (as {@link
   * BlockLoops} holds them): the depths from the nesting, the hulls from the blocks' positions.
   */
  private static LoopNest of(RegAllocFunction f, int[] innermost, int[] parent, int[] headers, boolean analysed) {
    int n = f.numBlocks();
    LoopNest nest = new LoopNest(n, analysed, headers.length > 0);
    // Per header, the first and last block of its hull, as hullStart and hullEnd hold its positions.
    int[] firstBlock = new int[n];
    int[] lastBlock = new int[n];
    // Per header, how many loops contain its loop's blocks: the headers around it come first.
    int[] headerDepth = new int[n];
    for (int h : headers) {
      int p = parent[h];
      nest.parent[h] = p;
      headerDepth[h] = p < 0 ? 1 : headerDepth[p] + 1;
      nest.hullStart[h] = Integer.MAX_VALUE;
      firstBlock[h] = Integer.MAX_VALUE;
    }
    for (int b = 0; b < n; b++) {
      int h = innermost[b];
      nest.innermost[b] = h;
      if (h >= 0) {
        nest.depth[b] = headerDepth[h];
        InstRange r = f.blockInsts(b);
        nest.hullStart[h] = Math.min(nest.hullStart[h], Positions.early(r.first()));
        nest.hullEnd[h] = Math.max(nest.hullEnd[h], Positions.early(r.end()));
        firstBlock[h] = Math.min(firstBlock[h], b);
        lastBlock[h] = Math.max(lastBlock[h], b);
      }
    }
    // A loop's hull covers its inner loops' blocks too: inner headers come later in the list.
    for (int k = headers.length - 1; k >= 0; k--) {
      int h = headers[k];
      int p = nest.parent[h];
      if (p >= 0) {
        nest.hullStart[p] = Math.min(nest.hullStart[p], nest.hullStart[h]);
        nest.hullEnd[p] = Math.max(nest.hullEnd[p], nest.hullEnd[h]);
        firstBlock[p] = Math.min(firstBlock[p], firstBlock[h]);
        lastBlock[p] = Math.max(lastBlock[p], lastBlock[h]);
      }
    }
    // The outermost loops' hulls hold the others'; those of two loops may overlap (their blocks
    // interleaved), so they are counted per block, not filled one by one.
    int[] hullsFromHere = new int[n + 1];
    for (int h : headers) {
      if (nest.parent[h] < 0) {
        hullsFromHere[firstBlock[h]]++;
        hullsFromHere[lastBlock[h] + 1]--;
      }
    }
    for (int b = 0, hulls = 0; b < n; b++) {
      hulls += hullsFromHere[b];
      nest.inHull[b] = hulls > 0;
    }
    return nest;
  }

  private static boolean hasBackwardEdge(BlockEdges edges, int n) {
    for (int b = 0; b < n; b++) {
      for (int e = edges.succStart[b]; e < edges.succStart[b + 1]; e++) {
        if (edges.succ[e] <= b) {
          return true;
        }
      }
    }
    return false;
  }

  /** The loop headers: the targets of the back edges, each of which dominates its edge's source. */
  java.util.BitSet headers() {
    java.util.BitSet headers = new java.util.BitSet(innermost.length);
    for (int b = 0; b < innermost.length; b++) {
      if (innermost[b] == b) {
        headers.set(b);
      }
    }
    return headers;
  }
}
