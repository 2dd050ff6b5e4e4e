package dev.kiln.codegen.regalloc;

import java.util.Arrays;
import java.util.List;

/**
 * Which vregs are live into and out of each block: backward dataflow to a fixed point, so values live
 * around loops are found without loop detection. A block's parameters are defined at its top; the
 * values its terminator passes to successors are read at its bottom (so they are live out).
 *
 * <pre>
 *   liveOut(b) = U over successors s: liveIn(s) + args(b -> s)
 *   liveIn(b)  = (liveOut(b) - defs(b) - params(b)) + upward-exposed uses(b)
 * </pre>
 *
 * <p>The sets hold only the vregs that can be live at a block boundary (read in a block other than
 * their definition's, or before it, or passed to a block parameter), numbered in increasing vreg
 * order ({@link #vregOf}). Most vregs of a function live inside one block; sets over every vreg made
 * this analysis and each walk over a block's live-out set cost blocks x vregs / 64 words.
 */
final class Liveness {
  /** Per block, the numbers of the vregs live into it. */
  final long[][] liveIn;
  /** Per block, the numbers of the vregs live out of it. */
  final long[][] liveOut;
  /** The vreg of each number; increasing, so walking a set visits its vregs in increasing order. */
  final int[] vregOf;

  private Liveness(long[][] liveIn, long[][] liveOut, int[] vregOf) {
    this.liveIn = liveIn;
    this.liveOut = liveOut;
    this.vregOf = vregOf;
  }

  /**
   * Marks {@code blocks} for recomputation in a round-robin fixed point that revisits only blocks
   * whose inputs changed (this analysis and {@link SlotHolding}'s).
   */
  static void markStale(boolean[] stale, List<Integer> blocks) {
    for (int k = 0; k < blocks.size(); k++) {
      stale[blocks.get(k)] = true;
    }
  }

  static boolean get(long[] set, int v) {
    return (set[v >>> 6] & (1L << v)) != 0;
  }

  static void set(long[] set, int v) {
    set[v >>> 6] |= 1L << v;
  }

  static void clear(long[] set, int v) {
    set[v >>> 6] &= ~(1L << v);
  }

  /** The first vreg at or after {@code from} in {@code set}, or -1 (as {@link java.util.BitSet#nextSetBit}). */
  static int next(long[] set, int from) {
    int w = from >>> 6;
    if (w >= set.length) {
      return -1;
    }
    long bits = set[w] & (-1L << from);
    while (bits == 0) {
      if (++w == set.length) {
        return -1;
      }
      bits = set[w];
    }
    return w * 64 + Long.numberOfTrailingZeros(bits);
  }

  static Liveness compute(RegAllocFunction f) {
    int n = f.numBlocks();
    int nv = f.numVRegs();
    // Where each vreg is defined: its block, and its instruction (a parameter: before the first).
    int[] defBlock = new int[nv];
    int[] defInst = new int[nv];
    Arrays.fill(defBlock, -1);
    for (int b = 0; b < n; b++) {
      InstRange r = f.blockInsts(b);
      for (VReg p : f.blockParams(b)) {
        defBlock[p.index()] = b;
        defInst[p.index()] = r.first() - 1;
      }
      for (int i = r.first(); i < r.end(); i++) {
        List<Operand> ops = f.instOperands(i);
        for (int k = 0; k < ops.size(); k++) {
          Operand o = ops.get(k);
          if (o.kind() == OperandKind.DEF) {
            defBlock[o.vreg().index()] = b;
            defInst[o.vreg().index()] = i;
          }
        }
      }
    }
    // Which vregs can be live at a block boundary: read upward-exposed (in another block than the
    // definition's, or at or before the defining instruction), or passed along an edge. Each block's
    // such reads are listed as they are found (exposedStart[b] to exposedStart[b + 1]).
    int[] number = new int[nv];
    Arrays.fill(number, -1);
    int[] exposed = new int[Math.max(16, nv)];
    int exposedCount = 0;
    int[] exposedStart = new int[n + 1];
    for (int b = 0; b < n; b++) {
      exposedStart[b] = exposedCount;
      InstRange r = f.blockInsts(b);
      for (int i = r.first(); i < r.end(); i++) {
        List<Operand> ops = f.instOperands(i);
        for (int k = 0; k < ops.size(); k++) {
          Operand o = ops.get(k);
          int v = o.vreg().index();
          if (o.kind() == OperandKind.USE && (defBlock[v] != b || i <= defInst[v])) {
            number[v] = 0;
            if (exposedCount == exposed.length) {
              exposed = Arrays.copyOf(exposed, 2 * exposedCount);
            }
            exposed[exposedCount++] = v;
          }
        }
      }
      List<Integer> succs = f.blockSuccs(b);
      for (int k = 0; k < succs.size(); k++) {
        for (VReg a : f.branchArgs(b, k)) {
          number[a.index()] = 0;
        }
      }
    }
    exposedStart[n] = exposedCount;
    int count = 0;
    for (int v = 0; v < nv; v++) {
      number[v] = number[v] == 0 ? count++ : -1;
    }
    int[] vregOf = new int[count];
    for (int v = 0; v < nv; v++) {
      if (number[v] >= 0) {
        vregOf[number[v]] = v;
      }
    }
    int words = (count + 63) >>> 6;
    long[][] gen = new long[n][words];
    long[][] kill = new long[n][words];
    long[][] args = new long[n][words];
    for (int v : vregOf) {
      if (defBlock[v] >= 0) {
        set(kill[defBlock[v]], number[v]);
      }
    }
    for (int b = 0; b < n; b++) {
      for (int e = exposedStart[b]; e < exposedStart[b + 1]; e++) {
        set(gen[b], number[exposed[e]]);
      }
      List<Integer> succs = f.blockSuccs(b);
      for (int k = 0; k < succs.size(); k++) {
        for (VReg a : f.branchArgs(b, k)) {
          set(args[b], number[a.index()]);
        }
      }
    }
    long[][] liveIn = new long[n][words];
    long[][] liveOut = new long[n][words];
    // Round-robin over the blocks whose successors' live-in sets changed since they were last
    // computed (all of them at first): the same fixed point as recomputing every block each round.
    boolean[] stale = new boolean[n];
    Arrays.fill(stale, true);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int b = n - 1; b >= 0; b--) {
        if (!stale[b]) {
          continue;
        }
        stale[b] = false;
        // Both sets only grow from one round to the next, so they are updated in place.
        long[] out = liveOut[b];
        long[] in = liveIn[b];
        List<Integer> succs = f.blockSuccs(b);
        boolean inChanged = false;
        for (int w = 0; w < words; w++) {
          long o = args[b][w];
          for (int k = 0; k < succs.size(); k++) {
            o |= liveIn[succs.get(k)][w];
          }
          out[w] = o;
          long i = gen[b][w] | (o & ~kill[b][w]);
          if (i != in[w]) {
            in[w] = i;
            inChanged = true;
          }
        }
        if (inChanged) {
          changed = true;
          markStale(stale, f.blockPreds(b));
        }
      }
    }
    for (int w = 0; w < words; w++) {
      if (liveIn[0][w] != 0) {
        int v = vregOf[w * 64 + Long.numberOfTrailingZeros(liveIn[0][w])];
        throw new RegAllocException(-1, "v" + v + " is used where no definition reaches it");
      }
    }
    return new Liveness(liveIn, liveOut, vregOf);
  }
}
