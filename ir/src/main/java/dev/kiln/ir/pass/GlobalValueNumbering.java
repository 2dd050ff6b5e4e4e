package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.analysis.ControlFlowGraph;
import dev.kiln.ir.analysis.DominatorTree;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dominator-scoped global value numbering (Cranelift's {@code simple_gvn}, plus loads and bounds
 * checks): walking the dominator tree in preorder with a scoped table, an instruction equal to one
 * in a dominating position (same opcode, type, immediates and operands) is removed and its result
 * made an alias of the earlier one. Equal means:
 *
 * <ul>
 *   <li>pure instructions ({@link Opcode#isPure()}) other than constants: constants are left to the
 *       backend, which folds them into immediates, so merging them would only stretch live ranges;
 *   <li>{@link VmctxInvariance#isInvariantLoad invariant VMContext loads} of the same address;
 *   <li>other (mutable) VMContext loads of the same address when no call or VMContext store lies
 *       on any path between them: inside a block up to such an instruction, and from a block's
 *       immediate dominator when every block on the paths from it (a backward search from the
 *       block's predecessors that stops at the dominator, at most {@value #PATH_SEARCH_LIMIT}
 *       blocks) is free of them, so a loop without calls reads a memory's length once per
 *       iteration at most;
 *   <li>{@code bounds_check index, bound, end}: redundant after dominating checks of the same
 *       bound value that cover its range ({@link PassedChecks}: the same index with an end at
 *       least as large, or the same root pointer at a smaller constant distance). With the bound
 *       (a memory's length) numbered as an invariant load, the checks of {@code i32.load offset=0}
 *       after {@code i32.load offset=4} of the same address disappear, and those of {@code p + 4}
 *       after one of {@code p} with end 8.
 * </ul>
 */
public final class GlobalValueNumbering implements FunctionPass {
  /** Blocks the backward search for writes between a dominator and a join block may visit. */
  static final int PATH_SEARCH_LIMIT = 256;

  /** The pass has no configuration. */
  public GlobalValueNumbering() {}

  @Override
  public String name() {
    return "gvn";
  }

  /**
   * What makes two instructions compute the same value. The arguments are an {@code int[]} (not a
   * boxed list) and equality is written out: a key is made and hashed for every candidate
   * instruction, and a record's generated {@code equals}/{@code hashCode} go through an
   * invokedynamic bootstrap that showed in compile profiles.
   */
  private record Key(Opcode opcode, Type ctrlType, long imm, int aux, int[] args) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && opcode == k.opcode && ctrlType == k.ctrlType && imm == k.imm
          && aux == k.aux && Arrays.equals(args, k.args);
    }

    @Override
    public int hashCode() {
      int h = opcode.ordinal();
      h = 31 * h + (ctrlType == null ? -1 : ctrlType.ordinal());
      h = 31 * h + Long.hashCode(imm);
      h = 31 * h + aux;
      return 31 * h + Arrays.hashCode(args);
    }
  }

  @Override
  public void run(Function f) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    if (layout.entryBlock() < 0) {
      return;
    }
    ControlFlowGraph cfg = ControlFlowGraph.compute(f);
    DominatorTree domTree = DominatorTree.compute(f, cfg);
    VmctxInvariance invariance = VmctxInvariance.of(f);
    boolean[] writesVmctx = new boolean[dfg.blockCount()];
    for (int block : domTree.reversePostorder()) {
      for (int inst : layout.blockInsts(block)) {
        writesVmctx[block] |= VmctxInvariance.mayWriteVmctx(dfg, inst);
      }
    }
    // The mutable VMContext loads available at the end of each block (kept while its dominator
    // subtree is walked).
    List<Map<Key, Integer>> localAtEnd = new ArrayList<>(
        java.util.Collections.nCopies(dfg.blockCount(), (Map<Key, Integer>) null));

    Map<Key, Integer> values = new HashMap<>();
    PassedChecks checks = new PassedChecks();
    // Undo log: per scope, the keys added (with what they replaced) so leaving a block restores
    // the table its dominator saw.
    List<Runnable> undo = new ArrayList<>();
    ArrayDeque<int[]> stack = new ArrayDeque<>();
    stack.push(new int[] {layout.entryBlock(), -1});
    boolean changed = false;
    while (!stack.isEmpty()) {
      int[] frame = stack.peek();
      if (frame[1] >= 0) {
        // Leaving the block: restore the tables.
        stack.pop();
        while (undo.size() > frame[1]) {
          undo.remove(undo.size() - 1).run();
        }
        continue;
      }
      frame[1] = undo.size();
      int block = frame[0];
      int parent = domTree.idom(block);
      Map<Key, Integer> inherited = parent >= 0 ? localAtEnd.get(parent) : null;
      Map<Key, Integer> local = inherited != null
          && noWritesBetween(cfg, domTree, writesVmctx, parent, block)
          ? new HashMap<>(inherited) : new HashMap<>();
      changed |= numberBlock(dfg, layout, invariance, block, values, local, checks, undo);
      int[] kids = domTree.children(block);
      localAtEnd.set(block, kids.length > 0 && !local.isEmpty() ? local : null);
      for (int k = kids.length - 1; k >= 0; k--) {
        stack.push(new int[] {kids[k], -1});
      }
    }
    if (changed) {
      dfg.resolveAllAliases();
    }
  }

  private static boolean numberBlock(DataFlowGraph dfg, Layout layout, VmctxInvariance invariance,
      int block, Map<Key, Integer> values, Map<Key, Integer> local, PassedChecks checks,
      List<Runnable> undo) {
    boolean changed = false;
    for (int inst : layout.blockInsts(block)) {
      Opcode op = dfg.opcode(inst);
      if (op == Opcode.BOUNDS_CHECK) {
        PassedChecks.Check check = PassedChecks.of(dfg, inst);
        if (checks.covers(check)) {
          layout.removeInst(inst);
          changed = true;
        } else {
          undo.add(checks.add(check));
        }
        continue;
      }
      if (VmctxInvariance.mayWriteVmctx(dfg, inst)) {
        local.clear();
        continue;
      }
      boolean invariant = invariance.isInvariantLoad(inst);
      boolean mutableVmctx = !invariant && invariance.isVmctxLoad(inst);
      boolean pure = op.isPure() && op != Opcode.ICONST && op != Opcode.F32CONST
          && op != Opcode.F64CONST;
      if (!(pure || invariant || mutableVmctx) || dfg.resultCount(inst) != 1
          || dfg.destCount(inst) != 0) {
        continue;
      }
      Key key = key(dfg, inst);
      Map<Key, Integer> table = mutableVmctx ? local : values;
      Integer earlier = table.get(key);
      int result = dfg.result(inst, 0);
      if (earlier != null) {
        layout.removeInst(inst);
        dfg.changeToAlias(result, earlier);
        changed = true;
      } else {
        table.put(key, result);
        if (!mutableVmctx) {
          undo.add(() -> values.remove(key));
        }
      }
    }
    return changed;
  }

  private static Key key(DataFlowGraph dfg, int inst) {
    int n = dfg.argCount(inst);
    int[] args = new int[n];
    for (int a = 0; a < n; a++) {
      args[a] = dfg.resolveAliases(dfg.arg(inst, a));
    }
    Opcode op = dfg.opcode(inst);
    return new Key(op, dfg.ctrlType(inst), dfg.imm(inst), dfg.aux(inst), args);
  }

  /**
   * Whether no block on a path from {@code dominator}'s end to {@code block}'s start may write the
   * VMContext: a backward search from the block's predecessors that stops at the dominator (which
   * every path from the entry passes, so the search stays between the two). A loop header reached
   * again through its back edge is searched too, so a write anywhere in the loop counts.
   */
  private static boolean noWritesBetween(ControlFlowGraph cfg, DominatorTree domTree,
      boolean[] writesVmctx, int dominator, int block) {
    int[] preds = cfg.predecessors(block);
    if (preds.length == 1 && preds[0] == dominator) {
      return true;
    }
    java.util.BitSet seen = new java.util.BitSet();
    ArrayDeque<Integer> work = new ArrayDeque<>();
    for (int p : preds) {
      if (p != dominator && domTree.isReachable(p) && !seen.get(p)) {
        seen.set(p);
        work.push(p);
      }
    }
    int visited = 0;
    while (!work.isEmpty()) {
      int x = work.pop();
      if (writesVmctx[x] || ++visited > PATH_SEARCH_LIMIT) {
        return false;
      }
      for (int p : cfg.predecessors(x)) {
        if (p != dominator && domTree.isReachable(p) && !seen.get(p)) {
          seen.set(p);
          work.push(p);
        }
      }
    }
    return true;
  }
}
