package dev.kiln.codegen.regalloc;

/**
 * The vregs live out of each block in turn, as one bit set that a walk of the blocks in layout order
 * updates at each block ({@link #enter}): a vreg's bit turns on at the first block of each of its
 * live-out runs ({@link Liveness#liveOutRuns}) and off after the last. Those changes are grouped by
 * block once (a counting sort of every run's two ends), so the walk's question for a vreg it meets
 * is a bit test, where {@link Liveness#isLiveOut} loads the vreg's runs, wherever they lie, and
 * searches them.
 */
final class LiveOutSweep {
  /** Where each block's changes begin in {@link #flips}; {@code flipStart[numBlocks]} is their count. */
  private final int[] flipStart;
  /**
   * The vregs whose bit changes on entering each block, block by block. A vreg's runs are apart
   * ({@link Liveness}: neither overlapping nor adjacent), so no block turns one vreg's bit both on
   * and off, and each change is a flip.
   */
  private final int[] flips;
  private final long[] liveOut;
  private int next;

  LiveOutSweep(Liveness live, int numVRegs, int numBlocks) {
    flipStart = new int[numBlocks + 1];
    // Counted at index block + 1, so that the prefix sums leave each block's first index at its own.
    for (int v = 0; v < numVRegs; v++) {
      int[] runs = live.liveOutRuns(v);
      for (int k = 0; k < runs.length; k += 2) {
        flipStart[runs[k] + 1]++;
        if (runs[k + 1] + 1 < numBlocks) {
          flipStart[runs[k + 1] + 2]++;
        }
      }
    }
    for (int b = 0; b < numBlocks; b++) {
      flipStart[b + 1] += flipStart[b];
    }
    flips = new int[flipStart[numBlocks]];
    int[] fill = java.util.Arrays.copyOf(flipStart, numBlocks);
    for (int v = 0; v < numVRegs; v++) {
      int[] runs = live.liveOutRuns(v);
      for (int k = 0; k < runs.length; k += 2) {
        flips[fill[runs[k]]++] = v;
        if (runs[k + 1] + 1 < numBlocks) {
          flips[fill[runs[k + 1] + 1]++] = v;
        }
      }
    }
    liveOut = new long[(numVRegs + 63) >>> 6];
  }

  /** Moves to {@code block}, which must be the block after the last one entered (the first: 0). */
  void enter(int block) {
    if (block != next) {
      throw new IllegalStateException("blocks are entered in order: expected " + next + ", got " + block);
    }
    for (int k = flipStart[block]; k < flipStart[block + 1]; k++) {
      int v = flips[k];
      liveOut[v >>> 6] ^= 1L << v;
    }
    next++;
  }

  /** Whether {@code vreg} is live out of the block entered last. */
  boolean isLiveOut(int vreg) {
    return Liveness.get(liveOut, vreg);
  }
}
