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
 */
final class Liveness {
  final long[][] liveIn;
  final long[][] liveOut;

  private Liveness(long[][] liveIn, long[][] liveOut) {
    this.liveIn = liveIn;
    this.liveOut = liveOut;
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
    int words = (f.numVRegs() + 63) >>> 6;
    long[][] gen = new long[n][words];
    long[][] kill = new long[n][words];
    long[][] args = new long[n][words];
    for (int b = 0; b < n; b++) {
      InstRange r = f.blockInsts(b);
      for (int i = r.last(); i >= r.first(); i--) {
        List<Operand> ops = f.instOperands(i);
        for (int k = 0; k < ops.size(); k++) {
          Operand o = ops.get(k);
          if (o.kind() == OperandKind.DEF) {
            set(kill[b], o.vreg().index());
            clear(gen[b], o.vreg().index());
          }
        }
        for (int k = 0; k < ops.size(); k++) {
          Operand o = ops.get(k);
          if (o.kind() == OperandKind.USE) {
            set(gen[b], o.vreg().index());
          }
        }
      }
      for (VReg p : f.blockParams(b)) {
        set(kill[b], p.index());
        clear(gen[b], p.index());
      }
      List<Integer> succs = f.blockSuccs(b);
      for (int k = 0; k < succs.size(); k++) {
        for (VReg a : f.branchArgs(b, k)) {
          set(args[b], a.index());
        }
      }
    }
    long[][] liveIn = new long[n][words];
    long[][] liveOut = new long[n][words];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int b = n - 1; b >= 0; b--) {
        // Both sets only grow from one round to the next, so they are updated in place.
        long[] out = liveOut[b];
        long[] in = liveIn[b];
        List<Integer> succs = f.blockSuccs(b);
        for (int w = 0; w < words; w++) {
          long o = args[b][w];
          for (int k = 0; k < succs.size(); k++) {
            o |= liveIn[succs.get(k)][w];
          }
          out[w] = o;
          long i = gen[b][w] | (o & ~kill[b][w]);
          if (i != in[w]) {
            in[w] = i;
            changed = true;
          }
        }
      }
    }
    for (int w = 0; w < words; w++) {
      if (liveIn[0][w] != 0) {
        int v = w * 64 + Long.numberOfTrailingZeros(liveIn[0][w]);
        throw new RegAllocException(-1, "v" + v + " is used where no definition reaches it");
      }
    }
    return new Liveness(liveIn, liveOut);
  }
}
