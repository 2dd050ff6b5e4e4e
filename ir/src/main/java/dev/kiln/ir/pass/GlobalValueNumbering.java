package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.analysis.ControlFlowGraph;
import dev.kiln.ir.analysis.DominatorTree;
import dev.kiln.ir.analysis.FlowAnalyses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dominator-scoped global value numbering (Cranelift's {@code simple_gvn}, plus loads and bounds
 * checks): walking the dominator tree in preorder with a scoped table, an instruction equal to one
 * in a dominating position (same opcode, type, immediates and operands) is removed and its result
 * made an alias of the earlier one. Equal means:
 *
 * <ul>
 *   <li>pure instructions ({@link Opcode#isPure()}) other than constants and stack slot addresses:
 *       constants are left to the backend, which folds them into immediates, and a slot's address
 *       is the stack pointer plus its offset, one instruction where it is used, so merging either
 *       would only stretch live ranges. A function that keeps its GC references and caught
 *       exceptions in frame-resident slots stores each slot's initial null at its entry: merged
 *       with that address, every later access kept one value per slot live from the entry to the
 *       slot's last use, across every call between (spilled, reloaded), and a legacy {@code try}
 *       nested n deep, a slot per level, made n^2 of live ranges for the allocator (2,000 levels of
 *       {@code catch} with {@code rethrow}: 3.5 s);
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
 *       after one of {@code p} with end 8;
 *   <li>{@code trapz v} where {@code v} is known non-zero, {@code trapnz v} where it is known zero,
 *       by a dominating {@code trapz} or {@code trapnz} or the {@code brif} edge into a block of one
 *       predecessor ({@link KnownZeroness}): a wasm GC reference's null check after another one of
 *       the same reference, or in the branch where {@code ref.is_null} found it not null.
 * </ul>
 *
 * <p>The walk reads every kept instruction's operands, so it counts their uses on the way and keeps
 * the counts for dead code elimination ({@link FlowAnalyses#keepUseCounts}).
 */
public final class GlobalValueNumbering implements FunctionPass {
  /** Ints per block on the walk's stack: the block and the marks of {@link Scope}'s three undo logs. */
  private static final int FRAME = 4;

  /** Blocks the backward search for writes between a dominator and a join block may visit. */
  static final int PATH_SEARCH_LIMIT = 256;

  /** The pass has no configuration. */
  public GlobalValueNumbering() {}

  @Override
  public String name() {
    return "gvn";
  }

  @Override
  public void run(Function f, FlowAnalyses analyses) {
    number(f, analyses, new ValueTable(f.dfg()));
  }

  /**
   * The pass, with {@code values} as the table of the pure and invariant values that dominate the
   * block being numbered (a test reads what the walk left in it).
   */
  static void number(Function f, FlowAnalyses analyses, ValueTable values) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    if (layout.entryBlock() < 0) {
      return;
    }
    ControlFlowGraph cfg = analyses.cfg();
    DominatorTree domTree = analyses.domTree();
    // Each block up to its first write (one is all its flag needs), the unreachable ones too: the
    // flags also say whether the function is free of writes (VmctxInvariance#of), which a walk of
    // its own asked of each instruction once more.
    boolean[] writesVmctx = new boolean[dfg.blockCount()];
    boolean writes = false;
    for (int block = layout.firstBlock(); block >= 0; block = layout.nextBlock(block)) {
      for (int inst = layout.firstInst(block); inst >= 0 && !writesVmctx[block]; inst = layout.nextInst(inst)) {
        writesVmctx[block] = VmctxInvariance.mayWriteVmctx(dfg, dfg.opcode(inst), inst);
      }
      writes |= writesVmctx[block];
    }
    VmctxInvariance invariance = new VmctxInvariance(dfg, !writes);
    // The mutable VMContext loads available at the end of each block (kept while its dominator
    // subtree is walked).
    ValueTable[] localAtEnd = new ValueTable[dfg.blockCount()];
    WriteSearch writeSearch = new WriteSearch(cfg, domTree, writesVmctx);

    // The uses of each value by the instructions the walk keeps, for dead code elimination.
    int[] uses = new int[dfg.valueCount()];
    Scope scope = new Scope(values, new KnownZeroness(dfg.valueCount()));
    // FRAME ints per block on the stack: the block, -1, -1, -1 before it is numbered, then the block
    // and the sizes of the three undo logs when it was entered, so leaving it restores the tables
    // its dominator saw. In one int array, not an array per block in a deque.
    int[] stack = {layout.entryBlock(), -1, -1, -1};
    int top = stack.length;
    // The walk ends when the last block is numbered: the frames left then are the blocks on the
    // path to it, still to be left, whose entries would only be taken out of tables the pass then
    // drops (the path from the entry to a function's end, often most of its blocks).
    int unnumbered = 1;
    while (unnumbered > 0) {
      int frame = top - FRAME;
      if (stack[frame + 1] >= 0) {
        top = frame;
        scope.leave(stack[frame + 1], stack[frame + 2], stack[frame + 3]);
        continue;
      }
      unnumbered--;
      stack[frame + 1] = scope.addedCount;
      stack[frame + 2] = scope.checksUndo.size();
      stack[frame + 3] = scope.zeroness.mark();
      int block = stack[frame];
      int parent = domTree.idom(block);
      if (parent >= 0 && cfg.predecessorCount(block) == 1 && cfg.predecessor(block, 0) == parent) {
        scope.zeroness.enter(dfg, layout, parent, block);
      }
      ValueTable inherited = parent >= 0 ? localAtEnd[parent] : null;
      ValueTable local = inherited != null && writeSearch.noWritesBetween(parent, block)
          ? inherited.copy() : new ValueTable(dfg);
      numberBlock(dfg, layout, invariance, block, writesVmctx[block], scope, local, uses);
      int kids = domTree.childCount(block);
      localAtEnd[block] = kids > 0 && !local.isEmpty() ? local : null;
      if (top + FRAME * kids > stack.length) {
        stack = Arrays.copyOf(stack, Math.max(2 * stack.length, top + FRAME * kids));
      }
      unnumbered += kids;
      for (int k = kids - 1; k >= 0; k--) {
        stack[top] = domTree.child(block, k);
        stack[top + 1] = -1;
        stack[top + 2] = -1;
        stack[top + 3] = -1;
        top += FRAME;
      }
    }
    // The operands were resolved as the walk met them (numberBlock): in dominator-tree preorder a
    // value's definition, and so the alias it may have become, comes before each of its uses, which
    // SSA places where the definition dominates them. Blocks the entry does not reach have no such
    // order, and are resolved after the walk; the walk over every instruction resolveAllAliases
    // made is not needed (it was 2% of a yosys compile's translation and inlining samples).
    for (int block = layout.firstBlock(); block >= 0; block = layout.nextBlock(block)) {
      if (!domTree.isReachable(block)) {
        for (int inst = layout.firstInst(block); inst >= 0; inst = layout.nextInst(inst)) {
          dfg.resolveOperands(inst);
        }
      }
    }
    dfg.markOperandsResolved();
    // Every reachable block's kept instructions were counted, operands resolved, as the walk met
    // them: what ValueUses would count once dead code elimination has removed the unreachable ones.
    analyses.keepUseCounts(uses);
  }

  /**
   * What dominates the block being numbered: the pure and invariant values, the passed bounds
   * checks and the values known (non-)zero, with undo logs (the instructions added, the checks'
   * restoring actions, the values learned) so leaving a block takes back what it added.
   */
  private static final class Scope {
    final ValueTable values;
    final PassedChecks checks = new PassedChecks();
    final KnownZeroness zeroness;
    final List<Runnable> checksUndo = new ArrayList<>();
    /** The instructions added to {@link #values}, in order, each beside its hash. */
    private int[] added = new int[128];
    private int addedCount;

    Scope(ValueTable values, KnownZeroness zeroness) {
      this.values = values;
      this.zeroness = zeroness;
    }

    void added(int inst, int hash) {
      if (addedCount + 2 > added.length) {
        added = Arrays.copyOf(added, 2 * added.length);
      }
      added[addedCount++] = inst;
      added[addedCount++] = hash;
    }

    void leave(int addedMark, int checksMark, int zeronessMark) {
      zeroness.leave(zeronessMark);
      while (addedCount > addedMark) {
        addedCount -= 2;
        values.remove(added[addedCount], added[addedCount + 1]);
      }
      while (checksUndo.size() > checksMark) {
        checksUndo.removeLast().run();
      }
    }
  }

  /**
   * Numbers the instructions of {@code block}, removing those an earlier one makes redundant and
   * adding one to {@code uses[v]} for each operand and branch argument {@code v} of the others;
   * {@code blockWritesVmctx} is whether one of them may write the VMContext ({@link
   * VmctxInvariance#mayWriteVmctx}), asked of each instruction only then.
   */
  private static void numberBlock(DataFlowGraph dfg, Layout layout, VmctxInvariance invariance,
      int block, boolean blockWritesVmctx, Scope scope, ValueTable local, int[] uses) {
    for (int inst = layout.firstInst(block), next; inst >= 0; inst = next) {
      next = layout.nextInst(inst); // read before inst may leave the layout
      dfg.resolveOperandsCountingUses(inst, uses);
      if (isRedundant(dfg, invariance, inst, blockWritesVmctx, scope, local)) {
        layout.removeInst(inst);
        // a check or an instruction of one value: no branch arguments to take back
        dfg.discountResolvedOperandUses(inst, uses);
      }
    }
  }

  /**
   * Whether {@code inst}, its operands resolved, repeats what a dominating instruction computed or
   * checked; when it computes a value, that value is made an alias of the earlier one. When not, it
   * is recorded for the instructions it dominates.
   */
  private static boolean isRedundant(DataFlowGraph dfg, VmctxInvariance invariance, int inst,
      boolean blockWritesVmctx, Scope scope, ValueTable local) {
    Opcode op = dfg.opcode(inst);
    if (op == Opcode.TRAPZ || op == Opcode.TRAPNZ) {
      return scope.zeroness.isRedundantTrap(dfg, op, inst);
    }
    if (op == Opcode.BOUNDS_CHECK) {
      PassedChecks.Check check = PassedChecks.of(dfg, inst);
      if (scope.checks.covers(check)) {
        return true;
      }
      scope.checksUndo.add(scope.checks.add(check));
      return false;
    }
    if (blockWritesVmctx && VmctxInvariance.mayWriteVmctx(dfg, op, inst)) {
      local.clear();
      return false;
    }
    boolean pure = op.isPure() && op != Opcode.ICONST && op != Opcode.F32CONST
        && op != Opcode.F64CONST && op != Opcode.STACK_ADDR;
    // A pure instruction reads no memory, so it is no VMContext load: not asked.
    boolean vmctxLoad = !pure && VmctxInvariance.isVmctxLoad(dfg, op, inst);
    boolean invariant = vmctxLoad && invariance.isInvariant(inst);
    boolean mutableVmctx = vmctxLoad && !invariant;
    if (!(pure || invariant || mutableVmctx) || dfg.resultCount(inst) != 1
        || dfg.destCount(inst) != 0) {
      return false;
    }
    ValueTable table = mutableVmctx ? local : scope.values;
    int hash = table.hash(inst);
    int earlier = table.find(inst, hash);
    int result = dfg.result(inst, 0);
    if (earlier >= 0) {
      dfg.changeToAlias(result, earlier);
      return true;
    }
    table.add(inst, result, hash);
    if (!mutableVmctx) {
      scope.added(inst, hash);
    }
    return false;
  }

  /**
   * The backward searches for writes between a block's immediate dominator and the block, sharing
   * one function's worth of marks: a set made per search and grown to the highest block it met was
   * a copy as long as the function's blocks per join (a chain of n {@code struct.new}s, whose
   * allocation calls make a join each: 14% of the compile at 128,000, most of it growing bit sets).
   */
  private static final class WriteSearch {
    private final ControlFlowGraph cfg;
    private final DominatorTree domTree;
    private final boolean[] writesVmctx;
    /** Per block, the search that last reached it. */
    private final int[] seenBy;
    private int search;
    private int[] work = new int[16];

    WriteSearch(ControlFlowGraph cfg, DominatorTree domTree, boolean[] writesVmctx) {
      this.cfg = cfg;
      this.domTree = domTree;
      this.writesVmctx = writesVmctx;
      this.seenBy = new int[writesVmctx.length];
    }

    /**
     * Whether no block on a path from {@code dominator}'s end to {@code block}'s start may write the
     * VMContext: a backward search from the block's predecessors that stops at the dominator (which
     * every path from the entry passes, so the search stays between the two). A loop header reached
     * again through its back edge is searched too, so a write anywhere in the loop counts.
     */
    boolean noWritesBetween(int dominator, int block) {
      // by index: ControlFlowGraph.predecessors copies its array, once per block numbered
      int predecessors = cfg.predecessorCount(block);
      if (predecessors == 1 && cfg.predecessor(block, 0) == dominator) {
        return true;
      }
      search++;
      int top = 0;
      for (int k = 0; k < predecessors; k++) {
        top = reach(cfg.predecessor(block, k), dominator, top);
      }
      int visited = 0;
      while (top > 0) {
        int x = work[--top];
        if (writesVmctx[x] || ++visited > PATH_SEARCH_LIMIT) {
          return false;
        }
        for (int k = 0, count = cfg.predecessorCount(x); k < count; k++) {
          top = reach(cfg.predecessor(x, k), dominator, top);
        }
      }
      return true;
    }

    /** Pushes {@code p} on the work stack of {@code top} entries unless it is the dominator, unreachable or seen. */
    private int reach(int p, int dominator, int top) {
      if (p == dominator || !domTree.isReachable(p) || seenBy[p] == search) {
        return top;
      }
      seenBy[p] = search;
      if (top == work.length) {
        work = Arrays.copyOf(work, 2 * top);
      }
      work[top] = p;
      return top + 1;
    }
  }
}
