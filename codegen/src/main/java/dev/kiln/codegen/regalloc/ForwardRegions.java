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
 * range may also branch out of it, return, or throw; and a block may also have predecessors after
 * it inside the range, a loop's latch, as long as one is before it. Every block but {@code s} still
 * has all its predecessors inside the range, so the range is entered only through {@code s}, and
 * following each block's predecessor before it leads from {@code j} back to {@code s}: a value live
 * into {@code j} and not defined in the range is live into {@code s}, and the walk still goes on
 * only from {@code s}'s predecessors. But the value may be dead in blocks that do not lead to {@code
 * j} (an early return's), which the region marks live too: a superset, which {@link Liveness} takes
 * only past its walk's budget. Such a region may also start at the value's definition, which the
 * value is live out of and not into, and the walk ends there. A loop's header ends no region of its
 * own there (its latch comes after it), but its region serves as a link of the chain for a region
 * that reaches past the latch ({@link #needs}): n values across n loops in a row cost a logarithm of
 * them, as across diamonds; and {@code j} must not branch back, as a region marks its end live in
 * but not out.
 *
 * <p>Finding {@code up[j]} looks at the blocks between {@code j} and its predecessors, skipping each
 * block's own region, for at most {@link #SCAN_LIMIT} steps: a block that would need more (a br_table
 * whose targets interleave with its other targets' code) gets no region, which costs the liveness walk
 * its steps over those blocks but never makes it wrong. With side exits, a step goes down a whole
 * chain of regions in doubling jumps ({@code ChainsBuilt}), so that a chain longer than the limit
 * (a group of 66 {@code if}s between a block and its exit) still ends a region.
 *
 * <p>With side exits, a block may also have <em>detours</em>: blocks laid out after it that lead to it
 * and are entered only from blocks before it or from one another (a call's landing pad, out of line,
 * which jumps back to the code after the call; the join of a try's pads; a pad that dispatches on
 * the exception's tag). They count as the blocks before it that enter them, so the range still ends
 * a region; a value live through the region is live through them too, which {@link Liveness} marks
 * as one run from the lowest to the highest ({@link #detourHull}; the blocks between them a
 * superset's), cut around the value's definition. A value defined in a detour is live into the
 * blocks it is a detour of from there, not from before them: no region holds such a block but as
 * its start. Without detours, n calls each in a {@code try_table} of its own cut every region, and
 * n values live across them cost n x n visits.
 */
final class ForwardRegions {
  /** Most blocks (or skipped regions) looked at to find one block's region. */
  static final int SCAN_LIMIT = 64;
  /** {@link #smallestRegionStart}'s answer where it stopped at {@link #SCAN_LIMIT}: no region. */
  private static final int PAST_LIMIT = -2;

  /**
   * Predecessors past which a block is a fan-in ({@link #fanInStart}): the joins that landing pads,
   * early exits or a br_table's targets enter.
   */
  static final int FAN_IN = 8;

  /** {@code jumps[k][b]}: the start of the chain's 2^k-th region above block b, or -1. */
  private final int[][] jumps;
  /**
   * With side exits only (else null): {@code needs[k][b]}, the highest later predecessor (a loop's
   * latch) of the blocks whose own region {@code jumps[k][b]} climbs through, which the region being
   * built must reach; -1 for none.
   */
  private final int[][] needs;
  /** With side exits only (else null): per block, its first predecessor entry, lowest and highest. */
  private final int[] predStart;
  private final int[] minPred;
  private final int[] maxPred;
  /** With side exits only (else null): per block, its lowest successor, or -1. */
  private final int[] minSucc;
  /** Exact regions only (else null): the extremes they were found from, for {@link #withSideExits}. */
  private final Extremes extremes;
  /** With side exits and detours only (else null): the blocks' detours, for {@link #detourHull}. */
  private final Detours detours;
  /** Jumps taken by {@link #farthestStart}: part of the liveness work count. */
  long steps;
  /** Jump-table entries {@link #farthestStart} read (its work, for tests). */
  long lookups;
  /** Predecessor edges the search for detours read past a block's own (its work, for tests). */
  long detourReads;
  /**
   * With side exits (else null): per block, its last climb ({@link #farthestStart}), as the lowest
   * start it allowed ({@link Integer#MAX_VALUE} before the first) and the start it found, which is
   * the answer for any lowest start between the two; and that region's {@link #detourHull} once
   * asked ({@link #HULL_NOT_ASKED} before). Values defined in the same block and live through the
   * same blocks ask the same: a climb and two searches of the detours' trees each, per value and
   * block, were most of the time of n locals walked through the n pads of a function-wide catch's
   * join one by one.
   */
  private final int[] climbedFrom;
  private final int[] climbedTo;
  private final long[] climbedHull;
  private static final long HULL_NOT_ASKED = Long.MIN_VALUE;

  private ForwardRegions(int[][] jumps, int[][] needs, int[] predStart, Extremes extremes,
      Detours detours, boolean sideExits) {
    this.jumps = jumps;
    this.needs = needs;
    this.predStart = predStart;
    this.minPred = sideExits ? extremes.minPred : null;
    this.maxPred = sideExits ? extremes.maxPred : null;
    this.minSucc = sideExits ? extremes.minSucc : null;
    this.extremes = sideExits ? null : extremes;
    this.detours = detours;
    this.climbedFrom = sideExits ? new int[predStart.length - 1] : null;
    this.climbedTo = sideExits ? new int[predStart.length - 1] : null;
    this.climbedHull = sideExits ? new long[predStart.length - 1] : null;
    if (sideExits) {
      java.util.Arrays.fill(climbedFrom, Integer.MAX_VALUE);
    }
  }

  /**
   * Per block: its predecessors' and successors' lowest and highest index, or -1 where it has none
   * (forward edges only need the extremes).
   */
  private record Extremes(int[] minPred, int[] maxPred, int[] minSucc, int[] maxSucc) {
    static Extremes of(BlockEdges edges) {
      int n = edges.nodeCount();
      Extremes e = new Extremes(new int[n], new int[n], new int[n], new int[n]);
      for (int b = 0; b < n; b++) {
        e.minPred[b] = extreme(edges.pred, edges.predStart[b], edges.predStart[b + 1], true);
        e.maxPred[b] = extreme(edges.pred, edges.predStart[b], edges.predStart[b + 1], false);
        e.minSucc[b] = extreme(edges.succ, edges.succStart[b], edges.succStart[b + 1], true);
        e.maxSucc[b] = extreme(edges.succ, edges.succStart[b], edges.succStart[b + 1], false);
      }
      return e;
    }
  }

  /**
   * Per block: its detours, as the lowest and highest, and its predecessors' extremes with the
   * detours counted as the blocks before it that enter them; per detour, the blocks it is a detour of,
   * in order ({@code of[ofStart[q]..ofStart[q + 1])}). Null where no block has a detour.
   *
   * <p>A detour of x is a block after x from which x is reached, all of whose predecessors are
   * before x or detours of x themselves, so that a region holding x is still entered through its
   * start alone. Two kinds are found: a predecessor of x with one predecessor, before x, and one
   * successor, x (a call's landing pad that jumps back; any number of them); and, looking back from
   * x's other predecessors after it for at most {@link #SEARCH_EDGES} edges, or more while the
   * function's {@link #EXTRA_SEARCH_EDGES_PER_EDGE} last, the blocks of longer ways back (the join of
   * a try's landing pads, a pad that dispatches on the exception's tag to several handlers, a catch
   * that unpacks its payload in a block of its own, and the join of every pad of a function-wide
   * catch). A search that reaches x (a loop through x), passes its limit or finds no block before x
   * finds none of the second kind.
   */
  private record Detours(Extremes counted, RangeExtremes lowest, RangeExtremes highest, int[] ofStart,
      int[] of) {
    /**
     * Predecessor edges one block's search for detours other than one-block pads reads, at most,
     * but for the function's extra edges ({@link #EXTRA_SEARCH_EDGES_PER_EDGE}).
     */
    static final int SEARCH_EDGES = 64;
    /**
     * Per predecessor edge of the function, the edges its searches may read past {@link
     * #SEARCH_EDGES} each, all searches together: the join of every landing pad of a catch around a
     * whole function is the detour of the block after it, a way back of about five edges per pad
     * (n locals across n try_tables inside one such catch cost n x n walk visits without it). The
     * searches' work stays linear however they share it out: a dispatch laid out after the n blocks
     * it enters, each searching back through it, would read n x n / 2 edges. Where earlier searches
     * spend it (a loop nest whose one br_table goes back to every header), later ones read {@link
     * #SEARCH_EDGES} only, and the walk goes through such a join's pads one by one: n x n visits,
     * each a cached climb and no mark ({@link #climbedTo}, {@code Liveness.MarkedFrom}).
     */
    static final int EXTRA_SEARCH_EDGES_PER_EDGE = 4;

    static Detours of(BlockEdges edges, Extremes real, Search search) {
      int n = edges.nodeCount();
      int[] minPred = null;
      int[] maxPred = null;
      int[] lo = null;
      int[] hi = null;
      // Every (detour, block it is one of) pair, in the order of the blocks searched.
      int[] pairs = new int[0];
      int pairCount = 0;
      for (int x = 0; x < n; x++) {
        if (real.maxPred[x] <= x || !search.from(x)) {
          continue; // no predecessor after x, or no detour among them
        }
        if (minPred == null) {
          minPred = real.minPred.clone();
          maxPred = real.maxPred.clone();
          lo = new int[n];
          hi = new int[n];
          java.util.Arrays.fill(lo, Integer.MAX_VALUE);
          java.util.Arrays.fill(hi, -1);
        }
        minPred[x] = search.minWay;
        maxPred[x] = search.maxWay;
        if (2 * (pairCount + search.count) > pairs.length) {
          pairs = java.util.Arrays.copyOf(pairs, Math.max(2 * pairs.length, 2 * (pairCount + search.count)));
        }
        for (int d = 0; d < search.count; d++) {
          int q = search.found[d];
          lo[x] = Math.min(lo[x], q);
          hi[x] = Math.max(hi[x], q);
          pairs[2 * pairCount] = q;
          pairs[2 * pairCount++ + 1] = x;
        }
      }
      if (minPred == null) {
        return null;
      }
      // Grouped by detour (a counting sort, stable: each group in the order of its blocks).
      int[] ofStart = new int[n + 1];
      for (int k = 0; k < pairCount; k++) {
        ofStart[pairs[2 * k] + 1]++;
      }
      for (int q = 0; q < n; q++) {
        ofStart[q + 1] += ofStart[q];
      }
      int[] fill = java.util.Arrays.copyOf(ofStart, n);
      int[] of = new int[pairCount];
      for (int k = 0; k < pairCount; k++) {
        of[fill[pairs[2 * k]]++] = pairs[2 * k + 1];
      }
      return new Detours(new Extremes(minPred, maxPred, real.minSucc, real.maxSucc),
          new RangeExtremes(lo, true), new RangeExtremes(hi, false), ofStart, of);
    }

    /**
     * The lowest start a region ending at {@code j} may have for a value defined in block {@code def}
     * after {@code j}: the value is not live through a block {@code def} is a detour of, so no region
     * holds the last such block by {@code j} but as its start; 0 where there is none.
     */
    int floorFor(int def, int j) {
      // The last of def's blocks at or before j: a binary search of its group.
      int lo = ofStart[def];
      int hi = ofStart[def + 1] - 1;
      int last = 0;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (of[mid] <= j) {
          last = of[mid];
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return last;
    }
  }

  /**
   * The search for one block's detours ({@link Detours}), with its buffers kept from block to block:
   * the detours found, and the extremes of the block's ways in with them counted.
   */
  private static final class Search {
    private final BlockEdges edges;
    /** The detours found: the one-block pads, then the longer ways' blocks. */
    int[] found = new int[16];
    int count;
    int minWay;
    int maxWay;
    /** The block's predecessors after it that are no one-block pad, where a longer way starts. */
    private int[] pending = new int[16];
    private int pendingCount;
    /** Per block, the block whose search last took it in, plus one (a longer way's block once). */
    private int[] takenFor;
    /** Predecessor edges read past the searched blocks' own. */
    long reads;
    /** The edges searches may still read past {@link Detours#SEARCH_EDGES} each. */
    private long extra;

    Search(BlockEdges edges) {
      this.edges = edges;
      this.extra = (long) Detours.EXTRA_SEARCH_EDGES_PER_EDGE * edges.pred.length;
    }

    /** Finds the detours of block {@code x}; whether there are any. */
    boolean from(int x) {
      count = 0;
      pendingCount = 0;
      minWay = Integer.MAX_VALUE;
      maxWay = -1;
      for (int k = edges.predStart[x]; k < edges.predStart[x + 1]; k++) {
        int q = edges.pred[k];
        int p = padPred(q, x);
        if (p >= 0) {
          way(p);
          add(q);
        } else if (q <= x) {
          way(q);
        } else {
          if (pendingCount == pending.length) {
            pending = java.util.Arrays.copyOf(pending, 2 * pendingCount);
          }
          pending[pendingCount++] = q;
        }
      }
      if (pendingCount > 0 && !longerWays(x)) {
        for (int k = 0; k < pendingCount; k++) {
          way(pending[k]); // no detour: it counts as itself
        }
      }
      return count > 0;
    }

    /**
     * Takes in the blocks of the ways back from {@link #pending}, breadth first, while every
     * predecessor met is before x (a way in, counted) or after it (taken in); false, with nothing
     * taken in or counted, where one is x itself, the search passes its limit, or it finds no way
     * in. What it reads past {@link Detours#SEARCH_EDGES} comes out of {@link #extra}.
     */
    private boolean longerWays(int x) {
      if (takenFor == null) {
        takenFor = new int[edges.nodeCount()];
      }
      int pads = count;
      for (int k = 0; k < pendingCount; k++) {
        int q = pending[k];
        if (takenFor[q] != x + 1) {
          takenFor[q] = x + 1;
          add(q);
        }
      }
      long limit = Detours.SEARCH_EDGES + extra;
      long read = 0;
      int lowest = Integer.MAX_VALUE;
      int highest = -1;
      boolean complete = true;
      search:
      for (int d = pads; d < count; d++) {
        int q = found[d];
        for (int k = edges.predStart[q]; k < edges.predStart[q + 1]; k++) {
          int r = edges.pred[k];
          if (++read > limit || r == x) {
            complete = false;
            break search;
          }
          if (r < x) {
            lowest = Math.min(lowest, r);
            highest = Math.max(highest, r);
          } else if (takenFor[r] != x + 1) {
            takenFor[r] = x + 1;
            add(r);
          }
        }
      }
      reads += read;
      extra = Math.max(0, extra - Math.max(0, read - Detours.SEARCH_EDGES));
      if (!complete || highest < 0) {
        count = pads;
        return false;
      }
      way(lowest);
      way(highest);
      return true;
    }

    private void way(int p) {
      minWay = Math.min(minWay, p);
      maxWay = Math.max(maxWay, p);
    }

    private void add(int q) {
      if (count == found.length) {
        found = java.util.Arrays.copyOf(found, 2 * count);
      }
      found[count++] = q;
    }

    /**
     * The one predecessor of {@code q}, a predecessor of {@code x}, where q is a one-block pad of x:
     * after x, with one predecessor, before x, and one successor (x); else -1.
     */
    private int padPred(int q, int x) {
      if (q <= x || edges.predStart[q + 1] - edges.predStart[q] != 1
          || edges.succStart[q + 1] - edges.succStart[q] != 1) {
        return -1;
      }
      int p = edges.pred[edges.predStart[q]];
      return p < x ? p : -1;
    }
  }

  /** The least (or greatest) of an array's values over a range of indices: a tree of pairs. */
  private static final class RangeExtremes {
    private final int[] tree;
    private final int size;
    private final boolean least;

    RangeExtremes(int[] values, boolean least) {
      this.size = values.length;
      this.least = least;
      tree = new int[2 * size];
      System.arraycopy(values, 0, tree, size, size);
      for (int i = size - 1; i >= 1; i--) {
        tree[i] = least ? Math.min(tree[2 * i], tree[2 * i + 1]) : Math.max(tree[2 * i], tree[2 * i + 1]);
      }
    }

    /** Over {@code [from, to]}. */
    int over(int from, int to) {
      int best = least ? Integer.MAX_VALUE : Integer.MIN_VALUE;
      for (int l = from + size, r = to + size + 1; l < r; l >>>= 1, r >>>= 1) {
        if ((l & 1) != 0) {
          best = least ? Math.min(best, tree[l++]) : Math.max(best, tree[l++]);
        }
        if ((r & 1) != 0) {
          best = least ? Math.min(best, tree[--r]) : Math.max(best, tree[--r]);
        }
      }
      return best;
    }
  }

  static ForwardRegions of(BlockEdges edges) {
    Extremes extremes = Extremes.of(edges);
    return of(edges, extremes, extremes, null, false);
  }

  /**
   * The regions of the same {@code edges} whose blocks may also leave the range ({@link
   * ForwardRegions}); of exact regions only.
   */
  ForwardRegions withSideExits(BlockEdges edges) {
    Search search = new Search(edges);
    Detours found = Detours.of(edges, extremes, search);
    ForwardRegions regions = of(edges, found == null ? extremes : found.counted, extremes, found, true);
    regions.detourReads = search.reads;
    return regions;
  }

  /**
   * With {@code searched}, the extremes the regions are found from (with side exits, detours counted
   * as their predecessors), and {@code real}, the blocks' own, which fan-ins ask.
   */
  private static ForwardRegions of(BlockEdges edges, Extremes searched, Extremes real, Detours detours,
      boolean sideExits) {
    int n = edges.nodeCount();
    int[] minPred = searched.minPred;
    int[] maxPred = searched.maxPred;
    int[] minSucc = searched.minSucc;
    int[] maxSucc = searched.maxSucc;
    int[] up = new int[n];
    boolean any = false;
    // With side exits, the chains' jumps are made once a search passes SCAN_LIMIT one region a
    // step (made then for the blocks before, whose searches they give the same starts), not before:
    // most functions past the walk's budget never need them.
    ChainsBuilt chains = null;
    for (int j = 0; j < n; j++) {
      up[j] = smallestRegionStart(j, up, minPred, maxPred, minSucc, maxSucc, sideExits, chains);
      if (up[j] == PAST_LIMIT) {
        up[j] = -1;
        if (sideExits && chains == null) {
          chains = new ChainsBuilt(up);
          for (int b = 0; b < j; b++) {
            chains.add(b, minPred, maxPred);
          }
          up[j] = smallestRegionStart(j, up, minPred, maxPred, minSucc, maxSucc, true, chains);
          if (up[j] == PAST_LIMIT) {
            up[j] = -1;
          }
        }
      }
      any |= up[j] >= 0;
      if (chains != null) {
        chains.add(j, minPred, maxPred);
      }
    }
    int[] predStart = sideExits ? edges.predStart : null;
    if (!any) {
      return new ForwardRegions(new int[0][], null, predStart, real, detours, sideExits);
    }
    int levels = 1;
    int[][] jumps = new int[32][];
    // The chains' jumps, where they were made, are these rows: the same doubling of up.
    int[][] made = chains == null ? null : chains.rows();
    int[][] needs = sideExits ? new int[32][] : null;
    jumps[0] = up;
    if (sideExits) {
      needs[0] = new int[n];
      for (int b = 0; b < n; b++) {
        needs[0][b] = maxPred[b] > b ? maxPred[b] : -1;
      }
    }
    while (levels < 31) {
      int[] prev = jumps[levels - 1];
      int[] next;
      if (made != null) {
        if (levels == made.length) {
          break;
        }
        next = made[levels];
      } else {
        next = new int[n];
        boolean reaches = false;
        for (int b = 0; b < n; b++) {
          next[b] = prev[b] < 0 ? -1 : prev[prev[b]];
          reaches |= next[b] >= 0;
        }
        if (!reaches) {
          break;
        }
      }
      if (sideExits) {
        int[] prevNeeds = needs[levels - 1];
        int[] nextNeeds = new int[n];
        for (int b = 0; b < n; b++) {
          nextNeeds[b] = prev[b] < 0 ? -1 : Math.max(prevNeeds[b], prevNeeds[prev[b]]);
        }
        needs[levels] = nextNeeds;
      }
      jumps[levels++] = next;
    }
    return new ForwardRegions(java.util.Arrays.copyOf(jumps, levels),
        sideExits ? java.util.Arrays.copyOf(needs, levels) : null, predStart, real, detours, sideExits);
  }

  /**
   * The start of the largest region ending at {@code j} that holds no block {@code def} (the value's
   * defining block; -1 for none) but, with side exits, as its start; or {@code j} itself when no
   * region qualifies. (A region from the definition ends the walk there: n values defined in the
   * entry and read after n try_tables, whose first landing pad follows the entry, had no region
   * that left the entry out.)
   */
  int farthestStart(int j, int def) {
    return farthestStart(j, def, needs != null);
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

  /**
   * The lowest and highest detour of the blocks {@code (entry, j]} of a region {@link #farthestStart}
   * gave, as {@code lowest << 32 | highest}, or -1 where they have none.
   */
  long detourHull(int entry, int j) {
    if (detours == null) {
      return -1;
    }
    if (climbedTo != null && climbedFrom[j] != Integer.MAX_VALUE && climbedTo[j] == entry) {
      if (climbedHull[j] == HULL_NOT_ASKED) {
        climbedHull[j] = hullOver(entry, j);
      }
      return climbedHull[j];
    }
    return hullOver(entry, j);
  }

  private long hullOver(int entry, int j) {
    int highest = detours.highest.over(entry + 1, j);
    return highest < 0 ? -1 : (long) detours.lowest.over(entry + 1, j) << 32 | highest;
  }

  /** The highest predecessor of block {@code j}, for {@link #fanInStart}. */
  int lastPred(int j) {
    return maxPred[j];
  }

  /** {@link #farthestStart(int, int)}, and with {@code fromDef} a region may also start at def. */
  private int farthestStart(int j, int def, boolean fromDef) {
    // The lowest start that leaves def out (or starts at it): any, where def comes after j, but for
    // a def that is a detour of blocks by j: the value enters them from it, not from before them, so
    // no region holds the last of them but as its start. A value without a definition (-1) has
    // none to start at: the entry is the lowest, where the walk finds it used undefined.
    int lowest = def > j ? (detours != null ? detours.floorFor(def, j) : 0)
        : fromDef ? Math.max(def, 0) : def + 1;
    // Starts fall along the chain, so the ranges [s, j] grow: once one holds def, larger ones do. So
    // a block that ends no region, or whose smallest region holds def, has none that qualifies, which
    // its first jump shows: one read, where a descent from the top read every level's table for it.
    if (jumps.length == 0) {
      return j;
    }
    if (needs != null && minSucc[j] >= 0 && minSucc[j] <= j) {
      return j; // j branches back: a region marks its end live in, not out
    }
    if (climbedFrom == null) {
      return climb(j, lowest);
    }
    // Starts fall along the chain, so a climb stops where the last one did for any lowest start from
    // that one's up to where it stopped: the starts above are no lower, the next one was too low or
    // needed a loop closed past j.
    if (climbedFrom[j] > lowest || lowest > climbedTo[j]) {
      climbedFrom[j] = lowest;
      climbedTo[j] = climb(j, lowest);
      climbedHull[j] = HULL_NOT_ASKED;
    }
    return climbedTo[j];
  }

  /** The start of the largest region ending at {@code j} that starts at or after {@code lowest}. */
  private int climb(int j, int lowest) {
    lookups++;
    if (!climbs(0, j, j, lowest)) {
      return j;
    }
    int cur = j;
    int k = jumps.length - 1;
    if (needs != null) {
      // With side exits, regions start at most blocks and the walk asks at every block it reaches,
      // mostly for a short climb: up with doubling jumps while they qualify, then down from the level
      // that did not, a logarithm of the regions climbed rather than of the longest chain (a descent
      // from the top took 57 s of n try_tables' at 16,000, which take 18.6 s so).
      cur = jumps[0][j];
      steps++;
      for (k = 1; k < jumps.length; k++) {
        lookups++;
        if (!climbs(k, cur, j, lowest)) {
          break;
        }
        cur = jumps[k][cur];
        steps++;
      }
      k--;
    }
    for (; k >= 0; k--) {
      lookups++;
      if (climbs(k, cur, j, lowest)) {
        cur = jumps[k][cur];
        steps++;
      }
    }
    return cur;
  }

  /**
   * Whether the region being built, ending at {@code j}, takes in the 2^k regions above {@code cur}:
   * they start at or after {@code lowest} and, with side exits, every loop they climb through ends
   * by {@code j}. Both only tighten along the chain, so the regions that qualify are a prefix of it.
   */
  private boolean climbs(int k, int cur, int j, int lowest) {
    return jumps[k][cur] >= lowest && (needs == null || needs[k][cur] <= j);
  }

  /**
   * The largest {@code s < j} with {@code [s, j]} a forward region, or -1 ({@link #PAST_LIMIT} where
   * the search stopped at its limit). Starts at the lowest
   * predecessor of {@code j} and lowers {@code s} whenever a block in between has a predecessor
   * below it (or its own region starts below it); blocks inside an earlier-found region need no
   * second look, as that region's conditions hold for them already. With {@code sideExits},
   * {@code j}'s own predecessors after it are left to {@link #needs}: the region is then a link of
   * a chain that must reach past them, not a region of its own.
   */
  private static int smallestRegionStart(int j, int[] up, int[] minPred, int[] maxPred, int[] minSucc,
      int[] maxSucc, boolean sideExits, ChainsBuilt chains) {
    if (j == 0 || minPred[j] < 0 || (sideExits ? minPred[j] >= j : maxPred[j] >= j)) {
      return -1;
    }
    int s = minPred[j];
    int x = j - 1;
    for (int steps = 0; x > s; steps++) {
      if (steps == SCAN_LIMIT) {
        return PAST_LIMIT;
      }
      if (!inside(x, j, minPred, maxPred, minSucc, maxSucc, sideExits)) {
        return -1;
      }
      if (minPred[x] >= 0) {
        s = Math.min(s, minPred[x]);
      }
      if (up[x] >= 0 && chains != null) {
        // Down x's chain of regions in one step, past the starts above s (each a block inside), where
        // one region a step went: a chain of more regions than SCAN_LIMIT ended no region (the second
        // review's groups of 66 ifs, 23x the walk's visits for 4x the module).
        int last = chains.lastAbove(x, s, j);
        if (last != x) {
          s = Math.min(s, minPred[last]); // the others' predecessors are at or above the next start
        }
        int next = up[last];
        if (next < 0) {
          x = last - 1;
        } else if (next > s) {
          return -1; // the next start is no block inside
        } else {
          s = next;
          x = next;
        }
      } else if (up[x] >= 0) {
        s = Math.min(s, up[x]);
        x = up[x];
      } else {
        x--;
      }
    }
    return sideExits || forwardInside(s, j, minSucc, maxSucc) ? s : -1;
  }

  /**
   * The chains of smallest regions ({@code up}) as they are found, block by block, with doubling
   * jumps, for the region search with side exits: per block b and level k, the start 2^k links down
   * b's chain, and the most that the starts passed on the way ask of a region's end to be inside it
   * (their highest predecessor, or {@link Integer#MAX_VALUE} for a start without a predecessor before
   * it).
   */
  private static final class ChainsBuilt {
    /** Rows made so far: row k only once some chain is 2^k links long (most chains are short). */
    private final int[][] start;
    private final int[][] asks;
    private int rows = 1;

    ChainsBuilt(int[] up) {
      int levels = 32 - Integer.numberOfLeadingZeros(Math.max(1, up.length));
      start = new int[levels][];
      asks = new int[levels][];
      start[0] = up;
      asks[0] = new int[up.length];
    }

    /** Block {@code j}'s jumps, once {@code up[j]} is known (every block below j has its own). */
    void add(int j, int[] minPred, int[] maxPred) {
      int y = start[0][j];
      asks[0][j] = y < 0 ? -1 : minPred[y] >= 0 && minPred[y] < y ? maxPred[y] : Integer.MAX_VALUE;
      for (int k = 1; k < start.length; k++) {
        int mid = start[k - 1][j];
        int t = mid < 0 ? -1 : start[k - 1][mid];
        if (t < 0) {
          return; // a row made later starts filled with -1
        }
        if (k == rows) {
          start[k] = new int[start[0].length];
          asks[k] = new int[start[0].length];
          java.util.Arrays.fill(start[k], -1);
          rows++;
        }
        start[k][j] = t;
        asks[k][j] = Math.max(asks[k - 1][j], asks[k - 1][mid]);
      }
    }

    /** The rows made: row k holds every block's start 2^k links down its chain, or -1. */
    int[][] rows() {
      return java.util.Arrays.copyOf(start, rows);
    }

    /**
     * The lowest start down {@code x}'s chain above {@code s} that a region ending at {@code j} may
     * hold, as with every start before it; {@code x} itself when there is none.
     */
    int lastAbove(int x, int s, int j) {
      int cur = x;
      for (int k = rows - 1; k >= 0; k--) {
        int t = start[k][cur];
        if (t > s && asks[k][cur] <= j) {
          cur = t;
        }
      }
      return cur;
    }
  }

  /**
   * Whether block {@code x}, after a region's start, may be inside the region ending at {@code j}
   * (its predecessors below the start lower the start): its predecessors all before it and its
   * successors after it, by {@code j}; with side exits, any successors, a predecessor before it and
   * the others by {@code j} (a loop's latch inside the region).
   */
  private static boolean inside(int x, int j, int[] minPred, int[] maxPred, int[] minSucc, int[] maxSucc,
      boolean sideExits) {
    return sideExits ? minPred[x] >= 0 && minPred[x] < x && maxPred[x] <= j
        : maxPred[x] < x && forwardInside(x, j, minSucc, maxSucc);
  }

  /** Whether block {@code x} has successors, all after it and at or before {@code j}. */
  private static boolean forwardInside(int x, int j, int[] minSucc, int[] maxSucc) {
    return minSucc[x] > x && maxSucc[x] <= j;
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
