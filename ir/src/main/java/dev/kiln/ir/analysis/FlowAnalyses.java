package dev.kiln.ir.analysis;

import dev.kiln.ir.Function;

/**
 * A function's {@link ControlFlowGraph}, {@link DominatorTree} and {@link NaturalLoops}, each
 * computed on its first ask and kept for the passes after it until one changes the block graph (its
 * blocks, their edges or their layout order) and calls {@link #invalidate} ({@link #reordered} for
 * an order alone). The pipeline's hoisting,
 * value numbering, dead code and layout passes all start from the first two, and only the last two
 * can change them, so one computation serves the first three and dead code elimination's (when it
 * removed no block) the fourth: computing both per pass was 1.6% of a yosys compile's samples (JFR,
 * 2026-11-25). The loops likewise serve hoisting and layout, which computed them once each (2.6% of
 * a yosys compile's translation and inlining samples); a new order of the blocks (the layout
 * pass's) keeps them, and the pipeline leaves them with the function for the backend's register
 * allocator ({@link Function#loopsFromPasses}).
 *
 * <p>It also hands use counts ({@link ValueUses}) from a pass to the one right after it: value
 * numbering reads every placed instruction's operands and counts them as it goes, and dead code
 * elimination, which starts from the counts, then takes them instead of walking every instruction
 * once more (0.8% of a yosys compile's samples, JFR 2026-11-26). The counts describe the function
 * only until an instruction changes, so they live for one pass: {@link #passEnded}, which the
 * {@link dev.kiln.ir.pass.PassPipeline pipeline} calls after each pass, drops those the pass before
 * the one that just ended kept.
 */
public final class FlowAnalyses {
  private final Function function;
  private ControlFlowGraph cfg;
  private DominatorTree domTree;
  private NaturalLoops loops;
  /** Use counts kept by a pass for the next one ({@link #keepUseCounts}), or null. */
  private int[] keptUseCounts;
  /** The {@link #passEnded} calls since {@link #keptUseCounts} was kept. */
  private int passesSinceUseCountsKept;
  /** How many times {@link #takeUseCounts} counted the uses itself (the work tests count). */
  private int useCountWalks;

  public FlowAnalyses(Function function) {
    this.function = function;
  }

  /** The function's control-flow graph as it is now (computed when none is kept). */
  public ControlFlowGraph cfg() {
    if (cfg == null) {
      cfg = ControlFlowGraph.compute(function);
    }
    return cfg;
  }

  /** The function's dominator tree as it is now (computed when none is kept). */
  public DominatorTree domTree() {
    if (domTree == null) {
      domTree = DominatorTree.compute(function, cfg());
    }
    return domTree;
  }

  /** The function's natural loops as they are now (computed when none are kept). */
  public NaturalLoops loops() {
    if (loops == null) {
      loops = NaturalLoops.compute(function.dfg().blockCount(), cfg(), domTree());
    }
    return loops;
  }

  /**
   * Keeps {@code counts}, the uses of each value by the placed instructions of the function as it
   * now is (what {@link ValueUses#compute} counts), for the pass after the one running.
   */
  public void keepUseCounts(int[] counts) {
    keptUseCounts = counts;
    passesSinceUseCountsKept = 0;
  }

  /**
   * The uses of each value by the placed instructions, indexed by value id, for the caller to
   * update as it changes them: those the pass before it kept, or counted now ({@link ValueUses}).
   * Either way, not kept any more.
   */
  public int[] takeUseCounts() {
    int[] counts = keptUseCounts;
    keptUseCounts = null;
    if (counts != null && passesSinceUseCountsKept == 1) {
      return counts;
    }
    useCountWalks++;
    return ValueUses.compute(function).toArray();
  }

  /**
   * Says that a pass ended: the use counts an earlier pass than it kept may no longer describe the
   * function, and are dropped. A caller that hands one set of analyses to several passes calls it
   * after each ({@link dev.kiln.ir.pass.PassPipeline} does).
   */
  public void passEnded() {
    if (keptUseCounts != null && ++passesSinceUseCountsKept > 1) {
      keptUseCounts = null;
    }
  }

  /** How many times {@link #takeUseCounts} walked the instructions to count the uses itself. */
  public int useCountWalks() {
    return useCountWalks;
  }

  /**
   * The loops if computed and kept (nothing since changed the block graph), else null: without
   * computing them, for a caller that only passes on what the passes found ({@link
   * dev.kiln.ir.pass.PassPipeline}).
   */
  public NaturalLoops keptLoops() {
    return loops;
  }

  /** Drops what is kept: the caller changed the function's blocks, their edges or their order. */
  public void invalidate() {
    cfg = null;
    domTree = null;
    loops = null;
  }

  /**
   * Drops what the layout order shapes: the caller moved blocks and changed nothing else. The graph's
   * lists and the tree's numbering follow the layout; the loops are sets of blocks and their nesting,
   * the same for every order of the same blocks and edges, so they are kept.
   */
  public void reordered() {
    cfg = null;
    domTree = null;
  }
}
