package dev.kiln.codegen.regalloc;

import dev.kiln.deadline.CompileDeadline;
import java.util.Arrays;

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
 * "Computing Liveness Sets for SSA-Form Programs", INRIA RR-7503, 2011, section 4).
 *
 * <p>The sets are kept per vreg, as runs of consecutive blocks (in layout order), not per block: a
 * vreg live across M blocks in a row is one run, where sets per block held it M times (L values live
 * across M blocks cost L x M entries, 16,000 x 16,000 being gigabytes). The walk marks whole runs too:
 * where the block it reached ends a {@link ForwardRegions forward region} that does not hold the
 * vreg's definition, the vreg is live through the whole region, which is marked as one run in a
 * logarithmic number of steps, and the walk goes on from the region's entry. So the work is the
 * runs, the predecessors of the blocks the walk stops at one by one (definitions, loop headers,
 * joins of unstructured edges) and a logarithm per region jump, not the blocks the vreg is live in.
 * (Before: bit sets per block iterated to a fixed point, blocks x vregs / 64 words; then path
 * exploration into a set per block, blocks x vregs entries for values live everywhere.)
 *
 * <p>Consumers ask membership ({@link #isLiveIn}, {@link #isLiveOut}, a binary search over the runs)
 * for the vregs they meet in a block, and take a vreg's runs ({@link #liveInRuns}, {@link
 * #liveOutRuns}) for the blocks it crosses untouched. The sets are exact but past three budgets,
 * where they may be a superset ({@link #isApproximate}): a function's runs per block and vreg and one
 * vreg's runs, past which a vreg keeps its hull ({@link #RUN_INTS_PER_ITEM}, {@link
 * #RUN_INTS_PER_VREG}), and the walk's visits per block and vreg, past which regions with side exits
 * are marked whole, and so are those that hold a block's many predecessors ({@link
 * #WALK_VISITS_PER_ITEM}).
 */
final class Liveness {
  /** Per vreg, the blocks it is live into: inclusive runs {@code from, to, from, to...}, sorted, apart. */
  private final int[][] liveIn;
  /** Per vreg, the blocks it is live out of, as {@link #liveIn}. */
  private final int[][] liveOut;
  /**
   * A bit per vreg whose runs were replaced by their hull ({@link #RUN_INTS_PER_ITEM}); null when
   * none was.
   */
  private final long[] approximate;
  /**
   * Blocks and edges visited by the walks, runs marked, region jumps taken and the edges the search
   * for detours read: the analysis's work, for tests that check it grows linearly.
   */
  final long visits;
  /** Blocks the walks marked, counting each run marked at its length (for tests). */
  final long blocksMarked;

  /**
   * The ints of runs (both sets) a function's liveness keeps per block and vreg it has: past them,
   * each further vreg of more than one run keeps its hull, one run from its first block to its last,
   * live-in cut around the block that defines it where the hull holds that ({@link #isApproximate}).
   *
   * <p>Why: exact runs are cut by every block where the vreg is dead laid out among those where it
   * is live, so n values live across n early returns (each {@code then} block returns) are n runs
   * each, n^2 in all, and so are their live ranges (3.7 GB of peak RSS for 8,000 of each, a 280 KB
   * module). A hull over-approximates, which each user of liveness takes safely: the live range
   * covers the blocks where the value is dead, which only keeps its location there; an edge into
   * such a block may move it, where both ends have a location ({@link EdgeCrossings} leaves it out
   * where one has none); a landing pad's call there keeps it in its slot ({@link LandingPadValues}).
   * That costs code only in a function past the budget. Real programs stay far below it: over
   * yosys's 864 functions of more than 1,000 blocks and vregs, at most 6.5 ints per block and vreg
   * (2026-11-28). The walk's time has a budget of its own ({@link #WALK_VISITS_PER_ITEM}).
   */
  static final int RUN_INTS_PER_ITEM = 32;
  /**
   * The ints of runs (both sets) one vreg keeps whatever the budget: past them, its hull. A live range
   * of many runs is a piece of as many ranges, and where the scan puts it on a register every later
   * piece that asks about that register meets it range by range (an exception dispatch's n locals
   * after n early returns: n^2 steps). Yosys's vregs keep at most 1,268 (2026-11-28), so real
   * programs keep their exact runs.
   */
  static final int RUN_INTS_PER_VREG = 2048;
  /** Kept whatever the function's size, so that small functions never approximate. */
  static final int RUN_INTS_FLOOR = 1 << 16;

  /**
   * The walks' visits (blocks, edges and region jumps) a function's liveness takes per block and vreg
   * it has before it marks {@link ForwardRegions#withSideExits regions with side exits}: from there on
   * a vreg live across a region whose blocks also return, throw or branch out of it is marked live in
   * all of it, a superset ({@link #isApproximate}), in one step instead of block by block; and a vreg
   * live into a block of many predecessors that one such region holds is marked live through that
   * region ({@link ForwardRegions#fanInStart}) instead of walked from each predecessor.
   *
   * <p>Why: n values live across n early returns (or n {@code br_if}s to an exit that does not read
   * them) were walked block by block, n^2 visits, 461 per block and vreg at n = 1,000; n locals live
   * into a handler that n calls' landing pads enter visited every pad, 122 million visits at 4,000.
   * Yosys's functions of more than 1,000 blocks and vregs take at most 29 (2026-11-28).
   */
  static final int WALK_VISITS_PER_ITEM = 128;
  /** Kept whatever the function's size, so that small functions are walked exactly. */
  static final int WALK_VISITS_FLOOR = 1 << 18;

  private Liveness(int[][] liveIn, int[][] liveOut, long[] approximate, long visits, long blocksMarked) {
    this.liveIn = liveIn;
    this.liveOut = liveOut;
    this.approximate = approximate;
    this.visits = visits;
    this.blocksMarked = blocksMarked;
  }

  /**
   * Whether {@code vreg}'s sets may hold blocks where it is dead: they are its runs' hull ({@link
   * #RUN_INTS_PER_ITEM}, {@link #RUN_INTS_PER_VREG}), or its walk marked regions with side exits
   * ({@link #WALK_VISITS_PER_ITEM}). Never the block that defines it, nor the entry.
   */
  boolean isApproximate(int vreg) {
    return approximate != null && get(approximate, vreg);
  }

  /** Whether some vreg is {@link #isApproximate}. */
  boolean anyApproximate() {
    return approximate != null;
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

  boolean isLiveIn(int vreg, int block) {
    return inRuns(liveIn[vreg], block);
  }

  boolean isLiveOut(int vreg, int block) {
    return inRuns(liveOut[vreg], block);
  }

  /** The blocks {@code vreg} is live into, as inclusive runs {@code from, to, ...} (do not modify). */
  int[] liveInRuns(int vreg) {
    return liveIn[vreg];
  }

  /** The blocks {@code vreg} is live out of, as {@link #liveInRuns} (do not modify). */
  int[] liveOutRuns(int vreg) {
    return liveOut[vreg];
  }

  /** Binary search of inclusive runs {@code from, to, ...} for {@code block}. */
  private static boolean inRuns(int[] runs, int block) {
    int lo = 0;
    int hi = runs.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (runs[2 * mid + 1] < block) {
        lo = mid + 1;
      } else if (runs[2 * mid] > block) {
        hi = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /**
   * The sets of {@code f}, from the definitions and upward-exposed reads {@code sites} that the
   * validator's walk found ({@link FunctionValidator#validate}).
   */
  static Liveness compute(RegAllocFunction f, BlockEdges edges, VRegSites sites) {
    return compute(f, edges, sites, false);
  }

  /**
   * {@link #compute(RegAllocFunction, BlockEdges, VRegSites)}, and with {@code hullsEverywhere} with
   * every budget spent from the start: every vreg of several runs keeps its hull, and every walk
   * marks regions with side exits whole (for tests of what uses an approximation).
   */
  static Liveness compute(RegAllocFunction f, BlockEdges edges, VRegSites sites, boolean hullsEverywhere) {
    int n = f.numBlocks();
    int nv = f.numVRegs();
    int[] defBlock = sites.defBlock();
    // Where the walks start, grouped by vreg (a counting sort of (vreg, block) pairs): the blocks
    // that read a vreg upward-exposed (in another block than the definition's, or at or before the
    // defining instruction), and the blocks that pass it along an edge.
    Starts reads = new Starts(nv);
    Starts passes = new Starts(nv);
    int[] readPairs = sites.reads();
    for (int pass = 0; pass < 2; pass++) {
      for (int k = 0; k < sites.readCount(); k++) {
        reads.add(pass, readPairs[2 * k], readPairs[2 * k + 1]);
      }
      for (int b = 0; b < n; b++) {
        // b's edges' arguments, all of them: its edges are numbered consecutively.
        for (int ai = edges.argStart[edges.succStart[b]]; ai < edges.argStart[edges.succStart[b + 1]]; ai++) {
          passes.add(pass, edges.args[ai].index(), b);
        }
      }
      if (pass == 0) {
        reads.sealCounts();
        passes.sealCounts();
      }
    }
    reads.sealPlaced();
    passes.sealPlaced();
    ForwardRegions exactRegions = ForwardRegions.of(edges);
    ForwardRegions regions = exactRegions;
    // Every block's predecessors in one array, read by the walks of every vreg.
    int[] predStart = edges.predStart;
    int[] predBlock = edges.pred;
    int[][] liveIn = new int[nv][];
    int[][] liveOut = new int[nv][];
    Runs in = new Runs(n);
    Runs out = new Runs(n);
    // reached[b] == v + 1: block b is known live-in for v (and queued, or its region marked).
    int[] reached = new int[n];
    MarkedFrom marked = new MarkedFrom(n);
    int[] work = new int[Math.max(16, n)];
    long visits = 0;
    long budget = hullsEverywhere ? 0 : RUN_INTS_PER_ITEM * ((long) n + nv) + RUN_INTS_FLOOR;
    long walkBudget = hullsEverywhere ? 0 : WALK_VISITS_PER_ITEM * ((long) n + nv) + WALK_VISITS_FLOOR;
    long kept = 0;
    long[] approximate = null;
    for (int v = 0; v < nv; v++) {
      if ((v & 0xFF) == 0) {
        CompileDeadline.poll();
      }
      if (regions == exactRegions && visits + regions.steps > walkBudget) {
        regions = exactRegions.withSideExits(edges);
      }
      boolean superset = false;
      int mark = v + 1;
      int def = defBlock[v];
      int top = 0;
      for (int e = reads.start[v]; e < reads.start[v + 1]; e++) {
        int b = reads.block[e];
        if (reached[b] != mark) {
          reached[b] = mark;
          in.add(b, b);
          work[top++] = b;
        }
      }
      for (int e = passes.start[v]; e < passes.start[v + 1]; e++) {
        int b = passes.block[e];
        out.add(b, b);
        if (def != b && reached[b] != mark) {
          reached[b] = mark;
          in.add(b, b);
          work[top++] = b;
        }
      }
      // A block enters the work list once per vreg (when it is first reached), so the list never
      // holds more than the function's blocks.
      while (top > 0) {
        int j = work[--top];
        int entry = regions.farthestStart(j, def);
        if (entry != j) {
          // Live through the region [entry, j]: into all of it, out of all but j (whose successors
          // are not all inside). Only the entry has predecessors outside. A region with side exits
          // may start at the definition, which the value is live out of, not into: the walk ends.
          if (marked.widens(mark, entry, j - 1, j)) {
            long hull = regions != exactRegions ? regions.detourHull(entry, j) : -1;
            markThrough(entry, j - 1, def, hull, in, out);
          }
          visits++;
          superset |= regions != exactRegions;
          if (entry == def || reached[entry] == mark) {
            continue; // defined there, or its predecessors are walked from there
          }
          reached[entry] = mark;
        }
        // Exact regions have no fan-ins: no call on the walk's path in every real program.
        int fanIn = regions == exactRegions ? -1 : regions.fanInStart(entry, def);
        if (fanIn >= 0) {
          // Live out of the region holding entry's predecessors, into all of it but def, and on
          // from its start alone (ForwardRegions#fanInStart): a superset, as a region's.
          int last = regions.lastPred(entry);
          if (marked.widens(mark, fanIn, last, last)) {
            markThrough(fanIn, last, def, regions.detourHull(fanIn, last), in, out);
          }
          visits++;
          superset = true;
          if (fanIn != def && reached[fanIn] != mark) {
            reached[fanIn] = mark;
            work[top++] = fanIn;
          }
          continue;
        }
        for (int k = predStart[entry]; k < predStart[entry + 1]; k++) {
          int p = predBlock[k];
          visits++;
          out.add(p, p);
          if (def != p && reached[p] != mark) {
            reached[p] = mark;
            in.add(p, p);
            work[top++] = p;
          }
        }
      }
      int inLength = in.merge();
      int outLength = out.merge();
      if (inLength > 0 && in.merged()[0] == 0) {
        throw new RegAllocException(-1, "v" + v + " is used where no definition reaches it");
      }
      // Hulled before the runs are copied out: n runs each for n vregs, copied and dropped, were
      // the n^2 bytes allocated still.
      boolean hull = (kept + inLength + outLength > budget || inLength + outLength > RUN_INTS_PER_VREG)
          && inLength + outLength > 4;
      liveIn[v] = hull ? in.hullAround(def) : in.take(false);
      liveOut[v] = out.take(hull);
      if (hull || superset) {
        if (approximate == null) {
          approximate = new long[(nv + 63) >>> 6];
        }
        set(approximate, v);
      }
      kept += liveIn[v].length + liveOut[v].length;
    }
    visits += exactRegions.steps + (regions != exactRegions ? regions.steps + regions.detourReads : 0);
    return new Liveness(liveIn, liveOut, approximate, visits, in.blocksMarked + out.blocksMarked);
  }

  /**
   * Marks a value live through blocks {@code [start, to]}: out of all of them, into all but its
   * definition's block {@code def} (a region may start there), and through the detours {@code hull}
   * spans ({@link #markDetours}).
   */
  private static void markThrough(int start, int to, int def, long hull, Runs in, Runs out) {
    int liveInFrom = start == def ? def + 1 : start;
    if (liveInFrom <= to) {
      in.add(liveInFrom, to);
    }
    out.add(start, to);
    markDetours(hull, def, in, out);
  }

  /**
   * Marks a value live out of the detours {@code hull} spans ({@link ForwardRegions#detourHull}; -1
   * for none) and into them but its definition's block {@code def}: a region's blocks are live into,
   * so each detour's one successor is, and the blocks between the detours are a superset's.
   */
  private static void markDetours(long hull, int def, Runs in, Runs out) {
    if (hull < 0) {
      return;
    }
    int lowest = (int) (hull >>> 32);
    int highest = (int) hull;
    out.add(lowest, highest);
    if (def < lowest || def > highest) {
      in.add(lowest, highest);
      return;
    }
    if (lowest < def) {
      in.add(lowest, def - 1);
    }
    if (def < highest) {
      in.add(def + 1, highest);
    }
  }

  /**
   * Per block, the widest region from it that one vreg's walk has marked: the last block marked live
   * in and out, and the last whose detours were (a region's end has its detours marked but is not
   * marked itself; a fan-in's has both). A region from the same start that ends no later is already
   * marked, as its detours are among the wider one's. Why: where the walk goes through the n pads
   * of a function-wide catch's join one by one (the search for detours out of allowance), each pad
   * ended a region from the entry: n marks of thousands of blocks per vreg, 36% of the time at
   * 4,000.
   */
  private static final class MarkedFrom {
    private final int[] stamp;
    private final int[] liveTo;
    private final int[] detoursTo;

    MarkedFrom(int blocks) {
      stamp = new int[blocks];
      liveTo = new int[blocks];
      detoursTo = new int[blocks];
    }

    /**
     * Whether a region from {@code start} marked live to {@code live} with its detours to {@code
     * detours} goes further than the walk stamped {@code mark} has marked from there; if so, it is
     * taken as marked.
     */
    boolean widens(int mark, int start, int live, int detours) {
      if (stamp[start] == mark && liveTo[start] >= live && detoursTo[start] >= detours) {
        return false;
      }
      if (stamp[start] != mark) {
        stamp[start] = mark;
        liveTo[start] = live;
        detoursTo[start] = detours;
      } else {
        liveTo[start] = Math.max(liveTo[start], live);
        detoursTo[start] = Math.max(detoursTo[start], detours);
      }
      return true;
    }
  }

  /**
   * (vreg, block) pairs grouped by vreg: counted in a first pass, placed in a second. The placing
   * pass moves each vreg's start up to its end as it places the vreg's pairs, and {@link
   * #sealPlaced} moves the starts back, where a second array of places per vreg was half the
   * allocation of these tables (1.3% of yosys's sampled allocation).
   */
  private static final class Starts {
    final int[] start;
    int[] block = new int[0];

    Starts(int nv) {
      start = new int[nv + 1];
    }

    /** Pass 0 counts the pair, pass 1 places it. */
    void add(int pass, int v, int b) {
      if (pass == 0) {
        start[v + 1]++;
      } else {
        block[start[v]++] = b;
      }
    }

    /** After the counting pass: each vreg's first index, and room for every pair. */
    void sealCounts() {
      for (int v = 0; v + 1 < start.length; v++) {
        start[v + 1] += start[v];
      }
      block = new int[start[start.length - 1]];
    }

    /**
     * After the placing pass, which left each vreg's start at its end, that is at the next vreg's
     * start: each vreg's first index again.
     */
    void sealPlaced() {
      System.arraycopy(start, 0, start, 1, start.length - 1);
      start[0] = 0;
    }
  }

  /**
   * One vreg's block runs as the walk marks them (in any order, overlapping), packed {@code from << 32
   * | to}; {@link #merge} sorts and joins them and empties the buffer for the next vreg, and {@link
   * #take} copies them out.
   *
   * <p>Many runs (a value live across most of a large function's thousands of blocks, such as the
   * instance pointer) are joined through a bit per block instead of sorted: each run sets its blocks'
   * bits and the set bits are read back as runs, one pass over the words between the lowest and the
   * highest block marked, which are cleared on the way. The union of the runs is the same either way.
   * Under the launcher's C1-only JIT, {@code Arrays.sort} of those runs (through {@link SmallSorts})
   * was 2% of the samples of yosys's compile.
   *
   * <p>The joined runs are written to a buffer kept for every vreg and copied out at their own length:
   * a fresh array of the runs marked, copied again to the joined length, was 2.2% of yosys's sampled
   * allocation (a value marked in thousands of blocks mostly joins into one run or a few).
   */
  static final class Runs {
    /** From this many runs on, the bit per block (below: {@link SmallSorts}' insertion sort). */
    static final int BITS_FROM = SmallSorts.INSERTION_LIMIT;

    private long[] packed = new long[16];
    private int count;
    /** Runs {@link #add} joined to the last one marked instead of keeping (work saved, for tests). */
    long joinedAtAdd;
    /** The blocks of every run {@link #add}ed, each counted at every add (work, for tests). */
    long blocksMarked;
    /** One bit per block, all clear between two {@link #merge} calls. */
    private final long[] blockBits;
    /** The joined runs as they are made, grown to twice the most runs one vreg marked. */
    private int[] joined = new int[32];
    /** Ints of {@link #joined} the last {@link #merge} wrote. */
    private int mergedLength;

    Runs(int blocks) {
      blockBits = new long[(blocks + 63) >>> 6];
    }

    void add(int from, int to) {
      blocksMarked += to - from + 1;
      if (count > 0) {
        // A run that overlaps or touches the last one marked joins it: the union, all merge
        // keeps, is the same. The walk mostly marks blocks next to the last one (a predecessor laid
        // out just before its successor), and each run kept was one more for the sort or the bits.
        long last = packed[count - 1];
        int lastFrom = (int) (last >>> 32);
        int lastTo = (int) last;
        if (from <= lastTo + 1 && to >= lastFrom - 1) {
          packed[count - 1] = (long) Math.min(from, lastFrom) << 32 | Math.max(to, lastTo);
          joinedAtAdd++;
          return;
        }
      }
      if (count == packed.length) {
        packed = Arrays.copyOf(packed, 2 * count);
      }
      packed[count++] = (long) from << 32 | to;
    }

    /**
     * Sorts the runs marked and joins those that overlap or touch into {@link #merged} ({@code from,
     * to, ...}), empties the marks, and returns the ints written.
     */
    int merge() {
      mergedLength = count == 0 ? 0 : count >= BITS_FROM ? mergedByBits() : mergedBySort();
      count = 0;
      return mergedLength;
    }

    /** The buffer {@link #merge} wrote its runs into (do not keep it). */
    int[] merged() {
      return joined;
    }

    /**
     * The runs {@link #merge} made, in an array of their own, or with {@code hull} their hull: one run
     * from the first's start to the last's end.
     */
    int[] take(boolean hull) {
      if (mergedLength == 0) {
        return EMPTY;
      }
      if (hull && mergedLength > 2) {
        return new int[] {joined[0], joined[mergedLength - 1]};
      }
      return Arrays.copyOf(joined, mergedLength);
    }

    /**
     * The hull of the runs {@link #merge} made, as {@link #take}, but without block {@code def} where
     * the hull would hold it: two runs, one each side. A vreg is live into no block it is defined in
     * (its definition comes first on every path through it), and the live-in sets are where the
     * allocator starts a live range at a block's top. An exception dispatch laid out after the
     * handlers it feeds defines the locals it passes them, live into blocks both before and after it.
     */
    int[] hullAround(int def) {
      if (mergedLength <= 2 || def < joined[0] || def > joined[mergedLength - 1]) {
        return take(true);
      }
      // def is in no run, so strictly inside the hull, and neither side is empty.
      return new int[] {joined[0], def - 1, def + 1, joined[mergedLength - 1]};
    }

    /** {@link #joined}, with room for {@link #count} runs: joined runs are no more than those marked. */
    private int[] joinedBuffer() {
      if (joined.length < 2 * count) {
        joined = new int[Math.max(2 * count, 2 * joined.length)];
      }
      return joined;
    }

    private int mergedBySort() {
      SmallSorts.sort(packed, 0, count);
      int[] runs = joinedBuffer();
      int n = 0;
      for (int k = 0; k < count; k++) {
        int from = (int) (packed[k] >>> 32);
        int to = (int) packed[k];
        if (n > 0 && from <= runs[n - 1] + 1) {
          runs[n - 1] = Math.max(runs[n - 1], to);
        } else {
          runs[n++] = from;
          runs[n++] = to;
        }
      }
      return n;
    }

    private int mergedByBits() {
      long[] bits = blockBits;
      int lowWord = Integer.MAX_VALUE;
      int highWord = -1;
      for (int k = 0; k < count; k++) {
        int from = (int) (packed[k] >>> 32);
        int to = (int) packed[k];
        int fromWord = from >>> 6;
        int toWord = to >>> 6;
        lowWord = Math.min(lowWord, fromWord);
        highWord = Math.max(highWord, toWord);
        long fromMask = -1L << from; // the shift takes its count mod 64
        long toMask = -1L >>> (63 - (to & 63));
        if (fromWord == toWord) {
          bits[fromWord] |= fromMask & toMask;
        } else {
          bits[fromWord] |= fromMask;
          for (int w = fromWord + 1; w < toWord; w++) {
            bits[w] = -1L;
          }
          bits[toWord] |= toMask;
        }
      }
      int[] runs = joinedBuffer();
      int n = 0;
      int runFrom = -1;
      for (int w = lowWord; w <= highWord; w++) {
        long word = bits[w];
        bits[w] = 0;
        int base = w << 6;
        // From bit `at` on: the open run's end in this word, or the next run's start.
        int at = 0;
        while (at < 64) {
          if (runFrom < 0) {
            long set = word & (-1L << at);
            if (set == 0) {
              break;
            }
            at = Long.numberOfTrailingZeros(set);
            runFrom = base + at;
          }
          long clear = ~word & (-1L << at);
          if (clear == 0) {
            break; // the run goes on into the next word
          }
          at = Long.numberOfTrailingZeros(clear);
          runs[n++] = runFrom;
          runs[n++] = base + at - 1;
          runFrom = -1;
        }
      }
      if (runFrom >= 0) {
        runs[n++] = runFrom;
        runs[n++] = ((highWord + 1) << 6) - 1;
      }
      return n;
    }
  }

  private static final int[] EMPTY = new int[0];
}
