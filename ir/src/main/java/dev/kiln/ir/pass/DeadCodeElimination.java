package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.analysis.DominatorTree;
import dev.kiln.ir.analysis.FlowAnalyses;

/**
 * Removes blocks unreachable from the entry block, then instructions without side effects
 * ({@link dev.kiln.ir.Opcode#hasSideEffects()}) whose results are all unused. Loads count as
 * removable unless their {@link dev.kiln.ir.MemFlags#traps()} flag says the access is its own
 * bounds check; otherwise bounds are checked by separate {@code bounds_check} instructions, which
 * stay. Instructions are visited in postorder of the blocks and backwards
 * inside each block, so uses are seen before their definitions and whole dead chains go in one
 * sweep. Unused block parameters are kept (removing them means rewriting every incoming edge; a
 * later pass can do that). The use counts it starts from are the ones value numbering kept when it
 * ran just before ({@link FlowAnalyses#takeUseCounts}).
 */
public final class DeadCodeElimination implements FunctionPass {
  /** The pass has no configuration. */
  public DeadCodeElimination() {}

  @Override
  public String name() {
    return "dce";
  }

  @Override
  public void run(Function f, FlowAnalyses analyses) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    DominatorTree domTree = analyses.domTree();
    for (int b : layout.blocks()) {
      if (!domTree.isReachable(b)) {
        for (int i : layout.blockInsts(b)) {
          layout.removeInst(i);
        }
        layout.removeBlock(b);
        // Its edges leave the graph: the reachable blocks' tree stays as computed, so this sweep
        // may go on reading it, but the passes after this one get the graph as it is now.
        analyses.invalidate();
      }
    }
    // value numbering's, when it ran just before; the unreachable blocks just removed are in
    // neither count (it walks the reachable blocks only)
    int[] uses = analyses.takeUseCounts();
    int[] rpo = domTree.reversePostorder();
    for (int k = rpo.length - 1; k >= 0; k--) {
      int inst = layout.lastInst(rpo[k]);
      while (inst >= 0) {
        int prev = layout.prevInst(inst);
        if (!dfg.hasSideEffects(inst) && dfg.resultsUncounted(inst, uses)) {
          dfg.discountOperandUses(inst, uses);
          layout.removeInst(inst);
        }
        inst = prev;
      }
    }
  }
}
