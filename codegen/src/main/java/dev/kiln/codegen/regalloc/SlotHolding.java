package dev.kiln.codegen.regalloc;

import dev.kiln.deadline.CompileDeadline;
import java.util.Arrays;

/**
 * Where a spilled vreg's slot is known to hold the vreg's value, so that {@link Resolution} leaves
 * out a store of the value into it there (at a split, or on an edge into a block that wants the value
 * in its slot).
 *
 * <p><b>Facts.</b> The slot holds the vreg right after a point where the allocation puts it there or
 * reads it from there: a store or a reload between two of its pieces, a definition straight into the
 * slot, an instruction's STACK operand, and a store or reload on an edge. A store that is left out
 * because of an earlier fact is still a fact (the value was there).
 *
 * <p><b>Why a fact lasts.</b> The vreg is SSA, so only its definition gives the slot another value of
 * it; the analysis forgets the vreg there. Between a fact and a later point where the vreg is live,
 * on a path that does not pass its definition, the vreg is live all along (the path continues to
 * that point and on to a use), and a slot is shared only by vregs whose lifetimes never meet
 * (AllocState.shareSlots): nothing else writes the slot meanwhile.
 *
 * <p><b>Dataflow.</b> A forward must-analysis over blocks: the vregs whose slot holds them at the end
 * of a block (in front of its last instruction, where edge moves go) are those held at its start
 * and not defined in it, plus those with a fact in it before its last instruction after their
 * definition; at a block's start, those held at the end of every predecessor or put into or read
 * from their slot on that edge. Blocks start optimistic (all held) except the entry, and the
 * iteration shrinks them to the greatest fixed point. Only vregs with a spilled piece take part.
 *
 * <p><b>Bounded.</b> The sets are blocks x spilled vregs bits, four of them: quadratic in a function
 * the module's author shapes (tens of thousands of blocks and of values live across them would take
 * gigabytes). Past {@link #MAX_SET_WORDS} words per set the analysis keeps only what one block
 * shows (a fact earlier in the same block, after the definition), which is still true, and answers
 * "not held" across blocks: the allocator then stores a value into its slot where it might have
 * left the store out, correct code at a little cost, in memory linear in the facts.
 */
final class SlotHolding {
  private final RegAllocFunction f;
  private final AllocState state;
  private final EdgeCrossings crossings;
  private final BlockEdges edges;
  /**
   * A vreg's bit in the sets below, or -1 for a vreg never in a slot; null without a spilled vreg,
   * where no vreg has one ({@link #bitOf}). This table, filled, and two more per vreg for the facts
   * (per bit now) were made for every function, with a spilled vreg or without.
   */
  private final int[] bit;
  /** How many vregs have a bit: the {@link AllocState#spilledVReg}s, bit k the k-th. */
  private final int spilled;
  private final int words;
  /** Per bit, the instructions with a fact of its vreg, {@link #factCount} of them. */
  private final int[][] facts;
  private final int[] factCount;
  /** Words per set (blocks x spilled vregs / 64) past which only facts within a block count. */
  static final long MAX_SET_WORDS = 1L << 20;

  /**
   * Per block, the vregs held at its start and at its end (in front of the last instruction), block
   * {@code b}'s set the {@link #words} words from {@code b * words}; null when the function is past
   * {@link #MAX_SET_WORDS}. One array per set for all blocks: an array per block and set was four
   * allocations per block of every function with a spilled value.
   */
  private long[] in;
  private long[] out;
  /** Words the per-block sets took (gen, kill, in, out), for {@code RegAllocOutput.Stats}. */
  private long setWords;
  /** Blocks the dataflow's rounds computed: for tests. */
  long blockVisits;
  /** Words of the stale-block bits the rounds read to find the blocks to compute: for tests. */
  long staleWordsRead;
  /** Vregs whose definition and facts made the blocks' sets: for tests. */
  long vregsVisited;
  /** Facts {@link #holdsBefore} read: for tests. */
  long factsRead;

  SlotHolding(RegAllocFunction f, AllocState state, EdgeCrossings crossings, BlockEdges edges) {
    this.f = f;
    this.state = state;
    this.crossings = crossings;
    this.edges = edges;
    // The scans named the vregs with a spilled piece as they spilled them: no walk over every piece.
    int n = state.spilledVRegCount();
    if (n == 0) {
      this.bit = null;
    } else {
      this.bit = new int[f.numVRegs()];
      Arrays.fill(bit, -1);
      for (int k = 0; k < n; k++) {
        bit[state.spilledVReg(k)] = k;
      }
    }
    this.spilled = n;
    this.words = (n + 63) >>> 6;
    this.facts = new int[n][];
    this.factCount = new int[n];
  }

  /** A fact: {@code vreg}'s slot holds its value from the moves before instruction {@code inst} on. */
  void note(int vreg, int inst) {
    int k = bitOf(vreg);
    if (k < 0) {
      return;
    }
    int[] at = facts[k];
    int n = factCount[k];
    if (at == null) {
      at = facts[k] = new int[2];
    } else if (n == at.length) {
      at = facts[k] = Arrays.copyOf(at, n * 2);
    }
    at[n] = inst;
    factCount[k] = n + 1;
  }

  /** {@code vreg}'s bit in the sets, or -1 for a vreg never in a slot. */
  private int bitOf(int vreg) {
    return bit == null ? -1 : bit[vreg];
  }

  /** Solves the dataflow; call once every fact is noted, before asking. */
  void solve() {
    // Each vreg's facts in instruction order, for holdsBefore's binary search: noted at STACK
    // operands, at the definition and at splits, each in order but not one after the other.
    for (int k = 0; k < spilled; k++) {
      if (factCount[k] > 1) {
        Arrays.sort(facts[k], 0, factCount[k]);
      }
    }
    int blocks = f.numBlocks();
    // Without a spilled vreg there is nothing to hold (most functions): no sets, no rounds over the
    // blocks, no pass over the edges' crossings.
    if (words == 0 || (long) blocks * words > MAX_SET_WORDS) {
      return;
    }
    long[] gen = new long[blocks * words];
    long[] kill = new long[blocks * words];
    // The spilled vregs by their bits, not every vreg's bit looked up: the sets come out the same
    // in any order.
    for (int i = 0; i < spilled; i++) {
      int v = state.spilledVReg(i);
      vregsVisited++;
      int defInst = Positions.inst(state.defPosition(v));
      int defBlock = state.blockOf(defInst);
      setBit(kill, defBlock, i);
      for (int k = 0; k < factCount[i]; k++) {
        int fact = facts[i][k];
        int b = state.blockOf(fact);
        if (fact < f.blockInsts(b).last() && (b != defBlock || fact >= defInst)) {
          setBit(gen, b, i);
        }
      }
    }
    long[][][] edgeGen = edgeFacts();
    setWords = 4L * blocks * words;
    in = new long[blocks * words];
    out = new long[blocks * words];
    Arrays.fill(out, words, blocks * words, -1L);
    long[] meet = new long[words];
    // Round-robin over the blocks whose predecessors' facts changed since they were last computed
    // (all of them at first): the same fixed point as recomputing every block each round. A bit per
    // block, walked by its set bits: a round after the first finds few stale (the last none), and
    // looking at every block in each round was 29 of this method's 345 samples in yosys's compile.
    long[] stale = new long[(blocks + 63) >>> 6];
    Arrays.fill(stale, -1L);
    if ((blocks & 63) != 0) {
      stale[stale.length - 1] = -1L >>> -blocks; // no bits past the last block
    }
    boolean changed = true;
    while (changed) {
      CompileDeadline.poll();
      changed = false;
      // A successor marked stale later in the round is visited in this round if it comes after b,
      // in the next one otherwise: the walk reads the bits as it goes, as the scan of every block did.
      for (int b = nextStale(stale, 0); b >= 0; b = nextStale(stale, b + 1)) {
        Liveness.clear(stale, b);
        blockVisits++;
        int firstPred = edges.predStart[b];
        int preds = edges.predStart[b + 1] - firstPred;
        if (b == 0 || preds == 0) {
          Arrays.fill(meet, 0);
        } else {
          Arrays.fill(meet, -1L);
          for (int k = 0; k < preds; k++) {
            int from = edges.pred[firstPred + k] * words;
            long[] onEdge = edgeGen[b] == null ? null : edgeGen[b][k];
            for (int w = 0; w < words; w++) {
              meet[w] &= out[from + w] | (onEdge == null ? 0 : onEdge[w]);
            }
          }
        }
        int at = b * words;
        System.arraycopy(meet, 0, in, at, words);
        boolean outChanged = false;
        for (int w = 0; w < words; w++) {
          long next = meet[w] & ~kill[at + w] | gen[at + w];
          if (next != out[at + w]) {
            out[at + w] = next;
            outChanged = true;
          }
        }
        if (outChanged) {
          changed = true;
          // The successors' inputs changed: they are computed again.
          for (int e = edges.succStart[b]; e < edges.succStart[b + 1]; e++) {
            Liveness.set(stale, edges.succ[e]);
          }
        }
      }
    }
  }

  /** The first block at or after {@code b} whose bit is set, or -1. */
  private int nextStale(long[] stale, int b) {
    for (int w = b >>> 6; w < stale.length; w++) {
      staleWordsRead++;
      // Bits below b in its word are masked off (JLS 15.19: a long's shift count is taken mod 64).
      long bits = w == b >>> 6 ? stale[w] & -1L << b : stale[w];
      if (bits != 0) {
        return w << 6 | Long.numberOfTrailingZeros(bits);
      }
    }
    return -1;
  }

  /**
   * Per block and predecessor (in {@code blockPreds} order), the vregs stored into or reloaded from
   * their slot on that edge: live into the block, in a slot on one side of the edge and not the other.
   */
  private long[][][] edgeFacts() {
    long[][][] edgeGen = new long[f.numBlocks()][][];
    for (int s = 0; s < f.numBlocks(); s++) {
      int firstPred = edges.predStart[s];
      int preds = edges.predStart[s + 1] - firstPred;
      for (int k = 0; k < preds; k++) {
        // A vreg in one piece at both ends is in a slot at both or at neither: no fact.
        EdgeCrossings.Crossings crossing = crossings.of(s, k);
        int[] vregs = crossing.vregs();
        for (int j = 0; j < vregs.length; j++) {
          int v = vregs[j];
          if (bitOf(v) >= 0 && crossing.atPredEnd()[j] instanceof SpillSlot
              != crossing.atSuccTop()[j] instanceof SpillSlot) {
            if (edgeGen[s] == null) {
              edgeGen[s] = new long[preds][];
            }
            if (edgeGen[s][k] == null) {
              edgeGen[s][k] = new long[words];
            }
            Liveness.set(edgeGen[s][k], bit[v]);
          }
        }
      }
    }
    return edgeGen;
  }

  /** Words the analysis's per-block sets took: 0 past {@link #MAX_SET_WORDS}. */
  long setWords() {
    return setWords;
  }

  /** Whether {@code vreg}'s slot holds its value before instruction {@code inst}'s moves. */
  boolean holdsBefore(int vreg, int inst) {
    int k = bitOf(vreg);
    if (k < 0) {
      return false;
    }
    int block = state.blockOf(inst);
    int defInst = Positions.inst(state.defPosition(vreg));
    boolean definedHere = state.blockOf(defInst) == block;
    if (!definedHere && in != null && getBit(in, block, k)) {
      return true;
    }
    // The last fact before inst is in inst's block, and after the definition there, if any is: a
    // block's instructions are consecutive. (A walk over every fact was n^2 for a value stored at
    // each of n calls and split at each: 74% of the CPU of 32,000 try_tables of two calls.)
    int lo = 0;
    int hi = factCount[k] - 1;
    int last = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      factsRead++;
      if (facts[k][mid] < inst) {
        last = facts[k][mid];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return last >= 0 && state.blockOf(last) == block && (!definedHere || last >= defInst);
  }

  /** Whether {@code vreg}'s slot holds its value at the end of {@code block}, where its edges' moves go. */
  boolean holdsAtEnd(int vreg, int block) {
    int k = bitOf(vreg);
    return k >= 0 && out != null && getBit(out, block, k);
  }

  /** Sets bit {@code k} of block {@code block}'s set in {@code sets} (a set per block, {@link #words} each). */
  private void setBit(long[] sets, int block, int k) {
    sets[block * words + (k >>> 6)] |= 1L << k;
  }

  /** Bit {@code k} of block {@code block}'s set in {@code sets}. */
  private boolean getBit(long[] sets, int block, int k) {
    return (sets[block * words + (k >>> 6)] & (1L << k)) != 0;
  }
}
