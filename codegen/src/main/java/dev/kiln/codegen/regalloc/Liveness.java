package dev.kiln.codegen.regalloc;

import dev.kiln.deadline.CompileDeadline;
import java.util.Arrays;
import java.util.List;

/**
 * Which vregs are live into and out of each block. A block's parameters are defined at its top; the
 * values its terminator passes to successors are read at its bottom (so they are live out). The
 * result is the least fixed point of
 *
 * <pre>
 *   liveOut(b) = U over successors s: liveIn(s) + args(b -> s)
 *   liveIn(b)  = (liveOut(b) - defs(b) - params(b)) + upward-exposed uses(b)
 * </pre>
 *
 * <p>found without iterating the equations: each vreg that can be live at a block boundary (read in a
 * block other than its definition's, or before it, or passed to a block parameter) is walked
 * backwards from the blocks that read it, through predecessors, until its defining block stops the
 * walk ("path exploration", Brandner, Boissinot, Darte, Dupont de Dinechin and Rastello,
 * "Computing Liveness Sets for SSA-Form Programs", INRIA RR-7503, 2011, section 4). Each visit adds
 * the vreg to a set, so the work is the size of the sets plus the edges into the blocks where a vreg
 * is live in: a function's nesting depth, a {@code br_table}'s size or a loop's iteration count do
 * not multiply it. (Bit sets per block over every such vreg, iterated round-robin to the fixed
 * point, cost blocks x vregs / 64 words before the first iteration, and 100,000 nested blocks made
 * that minutes.)
 *
 * <p>Each set is an array of vregs in increasing order: the vregs are walked in that order and each
 * appends itself, so whoever walks a set visits its vregs in increasing order, as the allocator's
 * output depends on.
 */
final class Liveness {
  /** Per block, the vregs live into it, in increasing order. */
  final int[][] liveIn;
  /** Per block, the vregs live out of it, in increasing order. */
  final int[][] liveOut;
  /** Blocks visited by the walks: the analysis's work, for tests that check it grows linearly. */
  final long visits;

  private Liveness(int[][] liveIn, int[][] liveOut, long visits) {
    this.liveIn = liveIn;
    this.liveOut = liveOut;
    this.visits = visits;
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
    // Where the walks start, grouped by vreg (a counting sort of (vreg, block) pairs): the blocks
    // that read a vreg upward-exposed (in another block than the definition's, or at or before the
    // defining instruction), and the blocks that pass it along an edge.
    Starts reads = new Starts(nv);
    Starts passes = new Starts(nv);
    for (int pass = 0; pass < 2; pass++) {
      for (int b = 0; b < n; b++) {
        InstRange r = f.blockInsts(b);
        for (int i = r.first(); i < r.end(); i++) {
          List<Operand> ops = f.instOperands(i);
          for (int k = 0; k < ops.size(); k++) {
            Operand o = ops.get(k);
            int v = o.vreg().index();
            if (o.kind() == OperandKind.USE && (defBlock[v] != b || i <= defInst[v])) {
              reads.add(pass, v, b);
            }
          }
        }
        List<Integer> succs = f.blockSuccs(b);
        for (int k = 0; k < succs.size(); k++) {
          for (VReg a : f.branchArgs(b, k)) {
            passes.add(pass, a.index(), b);
          }
        }
      }
      if (pass == 0) {
        reads.sealCounts();
        passes.sealCounts();
      }
    }
    Sets in = new Sets(n);
    Sets out = new Sets(n);
    int[] work = new int[Math.max(16, n)];
    long visits = 0;
    for (int v = 0; v < nv; v++) {
      if ((v & 0xFF) == 0) {
        CompileDeadline.poll();
      }
      int top = 0;
      for (int e = reads.start[v]; e < reads.start[v + 1]; e++) {
        int b = reads.block[e];
        if (in.addOnce(b, v)) {
          work[top++] = b;
        }
      }
      for (int e = passes.start[v]; e < passes.start[v + 1]; e++) {
        int b = passes.block[e];
        out.addOnce(b, v);
        if (defBlock[v] != b && in.addOnce(b, v)) {
          work[top++] = b;
        }
      }
      // A block enters the work list once per vreg (when v joins its live-in set), so the list
      // never holds more than the function's blocks.
      while (top > 0) {
        int b = work[--top];
        List<Integer> preds = f.blockPreds(b);
        for (int k = 0; k < preds.size(); k++) {
          int p = preds.get(k);
          visits++;
          out.addOnce(p, v);
          if (defBlock[v] != p && in.addOnce(p, v)) {
            work[top++] = p;
          }
        }
      }
    }
    int[][] liveIn = in.trimmed();
    if (liveIn[0].length > 0) {
      throw new RegAllocException(-1, "v" + liveIn[0][0] + " is used where no definition reaches it");
    }
    return new Liveness(liveIn, out.trimmed(), visits);
  }

  /** (vreg, block) pairs grouped by vreg: counted in a first pass, placed in a second. */
  private static final class Starts {
    final int[] start;
    int[] block = new int[0];
    private final int[] fill;

    Starts(int nv) {
      start = new int[nv + 1];
      fill = new int[nv];
    }

    /** Pass 0 counts the pair, pass 1 places it. */
    void add(int pass, int v, int b) {
      if (pass == 0) {
        start[v + 1]++;
      } else {
        block[fill[v]++] = b;
      }
    }

    /** After the counting pass: each vreg's first index, and room for every pair. */
    void sealCounts() {
      for (int v = 0; v + 1 < start.length; v++) {
        start[v + 1] += start[v];
      }
      System.arraycopy(start, 0, fill, 0, fill.length);
      block = new int[start[start.length - 1]];
    }
  }

  /**
   * One growable vreg set per block. Vregs are added in increasing order, so "already in the set"
   * is a look at its last element.
   */
  private static final class Sets {
    private final int[][] members;
    private final int[] size;

    Sets(int blocks) {
      members = new int[blocks][];
      size = new int[blocks];
    }

    /** Adds {@code v} to block {@code b}'s set; false if it was there (the last one added). */
    boolean addOnce(int b, int v) {
      int n = size[b];
      int[] m = members[b];
      if (n > 0 && m[n - 1] == v) {
        return false;
      }
      if (m == null) {
        m = members[b] = new int[4];
      } else if (n == m.length) {
        m = members[b] = Arrays.copyOf(m, n * 2);
      }
      m[n] = v;
      size[b] = n + 1;
      return true;
    }

    int[][] trimmed() {
      int[][] sets = new int[members.length][];
      for (int b = 0; b < members.length; b++) {
        sets[b] = size[b] == 0 ? EMPTY : size[b] == members[b].length ? members[b]
            : Arrays.copyOf(members[b], size[b]);
      }
      return sets;
    }
  }

  private static final int[] EMPTY = new int[0];
}
