package dev.kiln.codegen.regalloc;

/**
 * Runs of consecutive blocks that a value live into the run's last block is live through as a whole,
 * so that {@link Liveness} marks such a run in one step instead of walking it block by block.
 *
 * <p>A <em>forward region</em> is a range of blocks {@code [s, j]} (in layout order, {@code s < j})
 * in which every block other than {@code s} has all its predecessors inside the range and before it,
 * and every block other than {@code j} has at least one successor and all of them inside the range and
 * after it: a single-entry, single-exit acyclic piece of the graph such as a diamond or a chain of
 * them. Every block of it reaches {@code j} without leaving it, so when a value is live into {@code j}
 * and not defined inside the range, it is live into every block of the range and out of every block
 * but {@code j}; and the walk goes on only from {@code s}'s predecessors, as no other block of the
 * range has a predecessor outside it.
 *
 * <p>Two regions {@code [s1, j]} and {@code [s2, s1]} make one, {@code [s2, j]}, and of two regions
 * ending at the same block the smaller is the tail of the larger. So each block {@code j} records the
 * start {@link #up} of its smallest region, and those starts chain through every region ending at
 * {@code j}; {@link #farthestStart} climbs the chain with doubling jumps (binary lifting) to the
 * largest region that leaves out the value's definition: a value live across thousands of diamonds
 * costs a logarithm of them, not one step each.
 *
 * <p>With side exits ({@link #withSideExits}), the successors' condition is dropped: a block of the
 * range may also branch out of it, return, or throw. Every block but {@code s} still has all its
 * predecessors inside and before it, so the range is entered only through {@code s}, and {@code
 * j}'s predecessors lead back to {@code s} inside it: a value live into {@code j} and not defined in
 * the range is live into {@code s}, and the walk still goes on only from {@code s}'s predecessors.
 * But the value may be dead in the blocks that do not lead to {@code j} (an early return's), which
 * the region marks live too: a superset, which {@link Liveness} takes only past its walk's budget.
 *
 * <p>Finding {@code up[j]} looks at the blocks between {@code j} and its predecessors, skipping each
 * block's own region, for at most {@link #SCAN_LIMIT} steps: a block that would need more (a br_table
 * whose targets interleave with its other targets' code) gets no region, which costs the liveness walk
 * its steps over those blocks but never makes it wrong.
 */
final class ForwardRegions {
  /** Most blocks (or skipped regions) looked at to find one block's region. */
  static final int SCAN_LIMIT = 64;

  /**
   * Predecessors past which a block is a fan-in ({@link #fanInStart}): the joins that landing pads,
   * early exits or a br_table's targets enter.
   */
  static final int FAN_IN = 8;

  /** {@code jumps[k][b]}: the start of the chain's 2^k-th region above block b, or -1. */
  private final int[][] jumps;
  /** With side exits only (else null): per block, its first predecessor entry, lowest and highest. */
  private final int[] predStart;
  private final int[] minPred;
  private final int[] maxPred;
  /** Jumps taken by {@link #farthestStart}: part of the liveness work count. */
  long steps;
  /** Jump-table entries {@link #farthestStart} read (its work, for tests). */
  long lookups;

  private ForwardRegions(int[][] jumps, int[] predStart, int[] minPred, int[] maxPred) {
    this.jumps = jumps;
    this.predStart = predStart;
    this.minPred = minPred;
    this.maxPred = maxPred;
  }

  static ForwardRegions of(BlockEdges edges) {
    return of(edges, false);
  }

  /** The regions of {@code edges} whose blocks may also leave the range ({@link ForwardRegions}). */
  static ForwardRegions withSideExits(BlockEdges edges) {
    return of(edges, true);
  }

  private static ForwardRegions of(BlockEdges edges, boolean sideExits) {
    int n = edges.nodeCount();
    // Per block: its predecessors' and successors' lowest and highest index (forward edges only
    // need the extremes), and whether it has any successor.
    int[] minPred = new int[n];
    int[] maxPred = new int[n];
    int[] minSucc = new int[n];
    int[] maxSucc = new int[n];
    for (int b = 0; b < n; b++) {
      minPred[b] = extreme(edges.pred, edges.predStart[b], edges.predStart[b + 1], true);
      maxPred[b] = extreme(edges.pred, edges.predStart[b], edges.predStart[b + 1], false);
      minSucc[b] = extreme(edges.succ, edges.succStart[b], edges.succStart[b + 1], true);
      maxSucc[b] = extreme(edges.succ, edges.succStart[b], edges.succStart[b + 1], false);
    }
    int[] up = new int[n];
    boolean any = false;
    for (int j = 0; j < n; j++) {
      up[j] = smallestRegionStart(j, up, minPred, maxPred, sideExits ? null : minSucc, maxSucc);
      any |= up[j] >= 0;
    }
    int[] predStart = sideExits ? edges.predStart : null;
    if (!sideExits) {
      minPred = maxPred = null;
    }
    if (!any) {
      return new ForwardRegions(new int[0][], predStart, minPred, maxPred);
    }
    int levels = 1;
    int[][] jumps = new int[32][];
    jumps[0] = up;
    while (levels < 31) {
      int[] prev = jumps[levels - 1];
      int[] next = new int[n];
      boolean reaches = false;
      for (int b = 0; b < n; b++) {
        next[b] = prev[b] < 0 ? -1 : prev[prev[b]];
        reaches |= next[b] >= 0;
      }
      if (!reaches) {
        break;
      }
      jumps[levels++] = next;
    }
    return new ForwardRegions(java.util.Arrays.copyOf(jumps, levels), predStart, minPred, maxPred);
  }

  /**
   * The start of the largest region ending at {@code j} that holds no block {@code def} (the value's
   * defining block; -1 for none), or {@code j} itself when no region qualifies.
   */
  int farthestStart(int j, int def) {
    return farthestStart(j, def, false);
  }

  /**
   * For a block {@code j} of more than {@link #FAN_IN} predecessors, with side exits: the start of the
   * largest region ending at its last predecessor ({@link #lastPred}) that holds them all and leaves
   * out {@code def} or starts there; else -1. A value live into {@code j} is live out of every
   * predecessor, so into that start (which is a predecessor's way in, or the definition), and marked
   * live through the region the walk goes on from there alone, not from each predecessor: n values
   * live into a handler that n calls' landing pads enter cost n x n visits.
   */
  int fanInStart(int j, int def) {
    if (minPred == null || predStart[j + 1] - predStart[j] <= FAN_IN) {
      return -1;
    }
    int s = farthestStart(maxPred[j], def, true);
    return s <= minPred[j] ? s : -1;
  }

  /** The highest predecessor of block {@code j}, for {@link #fanInStart}. */
  int lastPred(int j) {
    return maxPred[j];
  }

  /** {@link #farthestStart(int, int)}, and with {@code fromDef} a region may also start at def. */
  private int farthestStart(int j, int def, boolean fromDef) {
    // The lowest start that leaves def out (or starts at it): any, where def comes after j.
    int lowest = def > j ? 0 : fromDef ? def : def + 1;
    // Starts fall along the chain, so the ranges [s, j] grow: once one holds def, larger ones do. So
    // a block that ends no region, or whose smallest region holds def, has none that qualifies, which
    // its first jump shows: one read, where the descent below read every level's table for it.
    if (jumps.length == 0) {
      return j;
    }
    lookups++;
    if (jumps[0][j] < lowest) {
      return j;
    }
    int cur = j;
    for (int k = jumps.length - 1; k >= 0; k--) {
      int s = jumps[k][cur];
      lookups++;
      if (s >= lowest) {
        cur = s;
        steps++;
      }
    }
    return cur;
  }

  /**
   * The largest {@code s < j} with {@code [s, j]} a forward region, or -1. Starts at the lowest
   * predecessor of {@code j} and lowers {@code s} whenever a block in between has a predecessor
   * below it (or its own region starts below it); blocks inside an earlier-found region need no
   * second look, as that region's conditions hold for them already. Without {@code minSucc}, the
   * successors go unchecked (side exits), and each block after {@code s} needs a predecessor.
   */
  private static int smallestRegionStart(int j, int[] up, int[] minPred, int[] maxPred, int[] minSucc,
      int[] maxSucc) {
    if (j == 0 || minPred[j] < 0 || maxPred[j] >= j) {
      return -1;
    }
    int s = minPred[j];
    int x = j - 1;
    for (int steps = 0; x > s; steps++) {
      if (steps == SCAN_LIMIT || !forwardInside(x, j, minSucc, maxSucc) || maxPred[x] >= x
          || (minSucc == null && minPred[x] < 0)) {
        return -1;
      }
      if (minPred[x] >= 0) {
        s = Math.min(s, minPred[x]);
      }
      if (up[x] >= 0) {
        s = Math.min(s, up[x]);
        x = up[x];
      } else {
        x--;
      }
    }
    return forwardInside(s, j, minSucc, maxSucc) ? s : -1;
  }

  /**
   * Whether block {@code x} has successors, all after it and at or before {@code j}; always, for
   * regions with side exits ({@code minSucc} null).
   */
  private static boolean forwardInside(int x, int j, int[] minSucc, int[] maxSucc) {
    return minSucc == null || (minSucc[x] > x && maxSucc[x] <= j);
  }

  /** The lowest (or highest) of {@code blocks[from, to)}, or -1 when there is none. */
  private static int extreme(int[] blocks, int from, int to, boolean lowest) {
    int e = -1;
    for (int k = from; k < to; k++) {
      int b = blocks[k];
      if (e < 0 || (lowest ? b < e : b > e)) {
        e = b;
      }
    }
    return e;
  }
}
