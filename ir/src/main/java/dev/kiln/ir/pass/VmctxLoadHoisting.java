package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.analysis.DominatorTree;
import dev.kiln.ir.analysis.FlowAnalyses;
import dev.kiln.ir.analysis.NaturalLoops;

/**
 * Loop-invariant code motion for VMContext loads: an {@link VmctxInvariance#isInvariantLoad
 * invariant} load inside a loop whose address is the vmctx parameter, or another such load's
 * result, moves to the end of the entry block (before its exit, {@link
 * Function#exitInsertionPoint}: before the call when the block ends in a call and its unwind
 * edge), so a loop reads a memory's base (and, in a function without calls or VMContext stores,
 * its length) once per call instead of once per access. The entry block dominates every block, so
 * the moved load still dominates its uses; a VMContext field is always mapped, so running the load
 * on paths that did not run it before cannot fault; an invariant load gives the same value before
 * a call as after it.
 * {@link GlobalValueNumbering} afterwards merges the copies that now sit side by side.
 *
 * <p>Only loads in loops move (a block is in a loop when it lies on a cycle through a back edge,
 * an edge to a block that dominates its source): loads on straight paths are left where they are,
 * so a cold path does not lengthen the live ranges of the whole function for nothing.
 */
public final class VmctxLoadHoisting implements FunctionPass {
  /** The pass has no configuration. */
  public VmctxLoadHoisting() {}

  @Override
  public String name() {
    return "hoist";
  }

  @Override
  public void run(Function f, FlowAnalyses analyses) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    int entry = layout.entryBlock();
    if (entry < 0 || dfg.blockParamCount(entry) == 0) {
      return;
    }
    NaturalLoops loops = analyses.loops();
    if (loops.isEmpty()) {
      return; // only loads in loops move
    }
    DominatorTree domTree = analyses.domTree();
    VmctxInvariance invariance = VmctxInvariance.of(f);
    // Values computable at the end of the entry block from vmctx alone.
    boolean[] vmctxDerived = new boolean[dfg.valueCount()];
    vmctxDerived[dfg.blockParam(entry, 0)] = true;
    int entryExit = f.exitInsertionPoint(entry);
    for (int block : domTree.reversePostorder()) {
      if (block != entry && !loops.inLoop(block)) {
        // Its loads stay where they are, so their results are not derived at the entry's end
        // either: nothing in it can change what moves.
        continue;
      }
      for (int inst = layout.firstInst(block), next; inst >= 0; inst = next) {
        next = layout.nextInst(inst); // read before inst moves to the entry block
        if (!invariance.isInvariantLoad(inst) || !argsDerived(dfg, inst, vmctxDerived)) {
          continue;
        }
        if (block != entry) {
          layout.removeInst(inst);
          layout.insertInstBefore(inst, entryExit);
        }
        for (int r : dfg.results(inst)) {
          vmctxDerived[r] = true;
        }
      }
    }
  }

  private static boolean argsDerived(DataFlowGraph dfg, int inst, boolean[] derived) {
    for (int a = 0; a < dfg.argCount(inst); a++) {
      int v = dfg.resolveAliases(dfg.arg(inst, a));
      if (!derived[v]) {
        return false;
      }
    }
    return true;
  }
}
