package dev.kiln.codegen.regalloc;

import java.util.Arrays;
import java.util.List;

/**
 * Per control-flow edge, the vregs live into its target whose location may differ at the two ends
 * (the end of the predecessor, the top of the successor): the only ones that can need an edge move
 * ({@link Resolution}) or make an edge fact ({@link SlotHolding}). A vreg that sits in one piece at
 * both ends needs nothing, and values live across thousands of edges are mostly such; asking every
 * live vreg at every edge cost values x edges.
 *
 * <p>Why a piece's end finds them: a vreg's pieces are cut from its interval one after another
 * ({@link LiveInterval#splitAt}), so each ends at or before the next one starts. If different pieces
 * hold it at the two ends {@code x} and {@code y}, the one at {@code lo = min(x, y)} ends after
 * {@code lo} (it covers it) and at or before {@code hi = max(x, y)} (where a later piece covers the
 * vreg): the end of a piece that is not the vreg's last lies in {@code (lo, hi]}. So the candidates are
 * the vregs with such an end in that window (only vregs with more than one piece count), kept if live
 * into the successor; some are in the same location at both ends, which the callers see. (Every
 * range's two ends, as this took before, found the same vregs and more that one piece holds at
 * both ends: over yosys's compile, 4.4 M ends, 6.3 M candidates and 8.4 M locations searched,
 * against 0.77 M, 2.6 M and 3.4 M.)
 *
 * <p>A long edge (a loop's back edge, a branch far ahead, an unwind edge into a landing pad laid out
 * at the function's end) can have more piece ends in its window than the registers can hold values.
 * Its crossings are then found among the vregs in a register at either end ({@link RegisterHolders}):
 * two locations of a vreg that are not registers are its one slot, so a vreg that moves is in a
 * register at one end or the other. Each edge so costs the smaller of its window and a search per
 * register. (Listing every vreg of two or more pieces live into such an edge's target instead, as
 * this did before, cost values x edges where n values live across n calls in {@code try_table}s met
 * n landing pads: 128 million location searches at n = 4,000.)
 */
final class EdgeCrossings {
  private final RegAllocFunction f;
  private final Liveness live;
  private final BlockEdges edges;
  /**
   * The end of every piece of a vreg with two or more pieces but its last, by position, then vreg: the
   * vreg of each. Sorted by counting, the positions being few (two per instruction): the vregs come
   * in increasing order, so a stable placement by position is the order a sort of {@code pos << 32 |
   * vreg} gave, which was a fifth of this class's samples in a profile of yosys's compile.
   */
  private final int[] pieceEndVRegs;
  /**
   * Per position {@code p} (up to one past the last piece end), the index of the first piece end at
   * or after p: where a window's piece ends start, without a search.
   */
  private final int[] firstAtOrAfter;
  /**
   * Per edge (its index in {@code edges.pred}), the index of the first piece end in its window {@code
   * (min(x, y), max(x, y)]} and the index after the last: two searches per edge, made once for the
   * choice between window and live list and for the window's walk.
   */
  private final int[] windowStart;
  private final int[] windowEnd;
  private final AllocState state;
  /**
   * The register ranges of the vregs of two or more pieces, made for the first edge whose window
   * costs more than a search per register; null until then.
   */
  private RegisterHolders holders;
  /** The vregs of two or more pieces, {@link #multiPieceCount} of them, in increasing order. */
  private final int[] multiPiece;
  private final int multiPieceCount;
  /**
   * Per block, the vregs holding a register at its top and live into it, in increasing order, once
   * an edge into it has been searched by register; null until then. Every edge into a block has the
   * same top.
   */
  private final int[][] heldAtTop;
  /** Per edge (its index in {@code edges.pred}), what {@link #of} found for it; null until asked. */
  private final Crossings[] byEdge;
  /** Candidates looked at: the work, for tests. */
  long work;
  /** Edges whose crossings were searched for (once each, however often asked): for tests. */
  long searches;
  /** Locations of vregs at an edge's ends searched for: the work, for tests. */
  long locations;
  /** Vregs whose piece lists were read to find those of two or more pieces: for tests. */
  long vregsRead;
  /** Edges whose crossings were found by register, not by window: for tests. */
  long byRegister;

  /**
   * An edge's crossing vregs, in increasing order, and each one's location at the edge's two ends
   * (null where no piece covers it). Both {@link SlotHolding} and {@link Resolution}'s edge moves
   * walk every edge's crossings: found once, the window searches, the liveness checks and the
   * location searches are not paid twice.
   */
  record Crossings(int[] vregs, Allocation[] atPredEnd, Allocation[] atSuccTop) {}

  private static final int[] NO_VREGS = new int[0];
  /**
   * Windows longer than this are searched by register instead: a search per register of both
   * classes (at most 31 + 32 on either ISA) at each end costs less. The first such edge makes the
   * function's {@link RegisterHolders}.
   */
  private static final int REGISTER_SEARCH_FROM = 128;
  /**
   * The crossings of an edge with none, shared: most edges' windows hold no piece end, and each made
   * three empty arrays and a record here.
   */
  static final Crossings NONE = new Crossings(NO_VREGS, new Allocation[0], new Allocation[0]);

  EdgeCrossings(RegAllocFunction f, Liveness live, AllocState state, BlockEdges edges) {
    this.f = f;
    this.live = live;
    this.edges = edges;
    this.state = state;
    this.byEdge = new Crossings[edges.pred.length];
    long[] points = new long[16];
    int count = 0;
    int lastPosition = 0;
    // The vregs of two or more pieces, in increasing order, for the register search.
    int[] multiPiece = new int[16];
    int multiPieceCount = 0;
    // Index loops, not iterators: C1 (kiln compile's JIT for all but the largest modules) allocates
    // an iterator per list and inlines none of its calls. Only a vreg split or spilled can have two
    // pieces: the others' piece lists are not read.
    for (int v = state.nextSplitOrSpilled(0); v >= 0; v = state.nextSplitOrSpilled(v + 1)) {
      vregsRead++;
      List<LiveInterval> ps = state.pieces(v);
      if (ps.size() < 2) {
        continue;
      }
      if (multiPieceCount == multiPiece.length) {
        multiPiece = Arrays.copyOf(multiPiece, 2 * multiPieceCount);
      }
      multiPiece[multiPieceCount++] = v;
      for (int i = 0; i + 1 < ps.size(); i++) {
        int end = ps.get(i).end();
        if (count == points.length) {
          points = Arrays.copyOf(points, 2 * count);
        }
        points[count++] = (long) end << 32 | v;
        lastPosition = Math.max(lastPosition, end);
      }
    }
    firstAtOrAfter = new int[lastPosition + 2];
    for (int k = 0; k < count; k++) {
      firstAtOrAfter[(int) (points[k] >>> 32) + 1]++;
    }
    for (int p = 1; p < firstAtOrAfter.length; p++) {
      firstAtOrAfter[p] += firstAtOrAfter[p - 1];
    }
    pieceEndVRegs = new int[count];
    int[] next = Arrays.copyOf(firstAtOrAfter, lastPosition + 1);
    for (int k = 0; k < count; k++) {
      pieceEndVRegs[next[(int) (points[k] >>> 32)]++] = (int) points[k];
    }
    windowStart = new int[edges.pred.length];
    windowEnd = new int[edges.pred.length];
    if (count > 0) {
      for (int s = 0; s < f.numBlocks(); s++) {
        int succTop = succTop(s);
        for (int e = edges.predStart[s]; e < edges.predStart[s + 1]; e++) {
          int predEnd = predEnd(s, e - edges.predStart[s]);
          windowStart[e] = firstAfter(Math.min(predEnd, succTop));
          windowEnd[e] = firstAfter(Math.max(predEnd, succTop));
        }
      }
    }
    this.multiPiece = multiPiece;
    this.multiPieceCount = multiPieceCount;
    heldAtTop = new int[f.numBlocks()][];
  }

  /**
   * The vregs live into block {@code s} whose location may change on the edge from its predecessor
   * number {@code predIndex}, with their locations at both ends.
   */
  Crossings of(int s, int predIndex) {
    int edge = edges.predStart[s] + predIndex;
    Crossings found = byEdge[edge];
    if (found == null) {
      int[] vregs = vregs(s, predIndex);
      if (vregs.length == 0) {
        return byEdge[edge] = NONE;
      }
      // The predecessor's end first: on most edges it is the lower position (the edges are asked in
      // layout order of their targets), so each vreg's cursors (its piece, the piece's range) move up
      // to the top from there. Asked the other way round, a vreg whose piece changes on the edge
      // stepped back from the top's piece to the end's with a search of its pieces.
      Allocation[] atPredEnd = locate(vregs, predEnd(s, predIndex));
      Allocation[] atSuccTop = locate(vregs, succTop(s));
      found = byEdge[edge] = live.anyApproximate() ? locatedOnly(vregs, atPredEnd, atSuccTop)
          : new Crossings(vregs, atPredEnd, atSuccTop);
    }
    return found;
  }

  /**
   * The crossings without the vregs whose liveness is a hull ({@link Liveness#isApproximate}) that no
   * piece covers at one of the edge's ends: such a vreg is said live into a block it is dead in, so
   * it does not cross the edge. (A vreg with exact liveness is covered at both ends, or Resolution
   * reports the allocation broken.)
   */
  private Crossings locatedOnly(int[] vregs, Allocation[] atPredEnd, Allocation[] atSuccTop) {
    int n = 0;
    for (int k = 0; k < vregs.length; k++) {
      if ((atPredEnd[k] != null && atSuccTop[k] != null) || !live.isApproximate(vregs[k])) {
        vregs[n] = vregs[k];
        atPredEnd[n] = atPredEnd[k];
        atSuccTop[n] = atSuccTop[k];
        n++;
      }
    }
    if (n == vregs.length) {
      return new Crossings(vregs, atPredEnd, atSuccTop);
    }
    return n == 0 ? NONE : new Crossings(Arrays.copyOf(vregs, n), Arrays.copyOf(atPredEnd, n),
        Arrays.copyOf(atSuccTop, n));
  }

  /** The location of each of {@code vregs} at {@code pos}, null where no piece covers it. */
  private Allocation[] locate(int[] vregs, int pos) {
    locations += vregs.length;
    Allocation[] found = new Allocation[vregs.length];
    for (int k = 0; k < vregs.length; k++) {
      found[k] = state.locationAt(vregs[k], pos);
    }
    return found;
  }

  /** The vregs of {@link #of}, in increasing order. */
  private int[] vregs(int s, int predIndex) {
    searches++;
    int lo = windowStart[edges.predStart[s] + predIndex];
    int hi = windowEnd[edges.predStart[s] + predIndex];
    if (hi == lo) {
      return NO_VREGS;
    }
    if (hi - lo > REGISTER_SEARCH_FROM) {
      if (holders == null) {
        holders = RegisterHolders.of(state, multiPiece, multiPieceCount);
      }
      return heldAtEither(s, predIndex);
    }
    int[] found = new int[hi - lo];
    int n = 0;
    for (int k = lo; k < hi; k++) {
      int v = pieceEndVRegs[k];
      if (live.isLiveIn(v, s)) {
        found[n++] = v;
      }
    }
    work += hi - lo;
    return sortedDistinct(found, n);
  }

  /**
   * The vregs live into block {@code s} that hold a register at the end of its predecessor number
   * {@code predIndex} or at its top: a superset of those whose location changes on the edge.
   */
  private int[] heldAtEither(int s, int predIndex) {
    byRegister++;
    int[] atTop = heldAtTop[s];
    if (atTop == null) {
      int[] found = new int[holders.registers()];
      atTop = heldAtTop[s] = sortedDistinct(found, holders.at(succTop(s), live, s, found, 0));
      work += holders.registers();
    }
    int[] found = Arrays.copyOf(atTop, atTop.length + holders.registers());
    int n = holders.at(predEnd(s, predIndex), live, s, found, atTop.length);
    work += holders.registers();
    return sortedDistinct(found, n);
  }

  /** {@code a[0, n)} sorted, without repeats, in an array of its own length. */
  private static int[] sortedDistinct(int[] a, int n) {
    SmallSorts.sort(a, 0, n);
    int distinct = 0;
    for (int k = 0; k < n; k++) {
      if (distinct == 0 || a[distinct - 1] != a[k]) {
        a[distinct++] = a[k];
      }
    }
    return distinct == a.length ? a : Arrays.copyOf(a, distinct);
  }

  private int predEnd(int s, int predIndex) {
    return Positions.early(f.blockInsts(edges.pred[edges.predStart[s] + predIndex]).end()) - 1;
  }

  private int succTop(int s) {
    return Positions.early(f.blockInsts(s).first());
  }

  /** Index of the first piece end at a position above {@code pos} (a position in the function). */
  private int firstAfter(int pos) {
    return firstAtOrAfter[Math.min(pos + 1, firstAtOrAfter.length - 1)];
  }
}
