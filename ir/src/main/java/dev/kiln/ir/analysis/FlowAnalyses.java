package dev.kiln.ir.analysis;

import dev.kiln.ir.Function;

/**
 * A function's {@link ControlFlowGraph}, {@link DominatorTree} and {@link NaturalLoops}, each
 * computed on its first ask and kept for the passes after it until one changes the block graph (its
 * blocks, their edges or their layout order) and calls {@link #invalidate}. The pipeline's hoisting,
 * value numbering, dead code and layout passes all start from the first two, and only the last two
 * can change them, so one computation serves the first three and dead code elimination's (when it
 * removed no block) the fourth: computing both per pass was 1.6% of a yosys compile's samples (JFR,
 * 2026-11-25). The loops likewise serve hoisting and layout, which computed them once each (2.6% of
 * a yosys compile's translation and inlining samples).
 */
public final class FlowAnalyses {
  private final Function function;
  private ControlFlowGraph cfg;
  private DominatorTree domTree;
  private NaturalLoops loops;

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

  /** Drops what is kept: the caller changed the function's blocks, their edges or their order. */
  public void invalidate() {
    cfg = null;
    domTree = null;
    loops = null;
  }
}
