package dev.kiln.ir.builder;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExtFuncData;
import dev.kiln.ir.FuncCursor;
import dev.kiln.ir.Function;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Builds a {@link Function} in SSA form from code that assigns variables, following Braun et al.,
 * "Simple and Efficient Construction of Static Single Assignment Form" (CC 2013):
 *
 * <ul>
 *   <li>{@link #useVar} in a block without a definition asks the predecessors: through a single
 *       predecessor it reads on; with several it adds a block parameter (the paper's phi) and
 *       passes each predecessor's value along its branch;
 *   <li>a block that is not yet <em>sealed</em> (more predecessors may come, e.g. a loop header
 *       before its back edge) gets an incomplete parameter whose incoming values are filled in by
 *       {@link #sealBlock};
 *   <li>a parameter whose incoming values are all the same value (or itself) is removed and
 *       becomes an alias of that value, and parameters that used it are re-examined (the paper's
 *       {@code tryRemoveTrivialPhi}).
 * </ul>
 *
 * <p>Invariant kept at every step: each branch passes exactly as many arguments as its target
 * block has parameters. A parameter added to a block gets a placeholder argument (the parameter
 * itself, which the triviality test ignores) on every known incoming edge until its real value is
 * known. Parameters the front end declares with {@link #appendBlockParam} come first and are
 * passed explicitly in branches; builder-made ones follow and are passed automatically.
 *
 * <p>Typical use by a translator:
 *
 * {@snippet :
 * FunctionBuilder b = new FunctionBuilder(function);
 * int entry = b.createBlock();
 * b.switchToBlock(entry);
 * int[] params = b.appendBlockParamsForFunctionParams(entry);
 * b.sealBlock(entry);                        // the entry block has no predecessors
 * int local0 = b.declareVar(Type.I32);
 * b.defVar(local0, params[1]);               // local.set
 * int x = b.useVar(local0);                  // local.get
 * int header = b.createBlock();              // wasm loop: sealed after its last back edge
 * b.ins().jump(header);
 * b.switchToBlock(header);
 * // ... body, b.ins().brif(cond, header, exit) ...
 * b.sealBlock(header);
 * Function f = b.finish();                   // then Verifier.check(f) in tests
 * }
 *
 * <p>A variable read where no definition reaches (only possible in the entry block or in
 * unreachable code) reads zero, the value of an unset wasm local (spec 4.4.10, function
 * invocation initialises locals to zero).
 */
public final class FunctionBuilder {
  private final Function function;
  private final DataFlowGraph dfg;
  private final Layout layout;
  private final BlockAppender appender = new BlockAppender();

  private int current = -1;
  private int sourceLoc = DataFlowGraph.NO_SOURCE_LOC;

  private final List<Type> varTypes = new ArrayList<>();
  /**
   * (variable, block) to the value the variable holds at the end of the block so far, for every
   * pair but each variable's latest assignment, which {@link #lastDefBlock} holds.
   */
  private final VariableDefinitions defs = new VariableDefinitions();
  /**
   * Per variable: the block of its latest {@link #defVar}, or -1; {@link #lastDefValue} has the
   * value. Translated code assigns a local and reads it back in the same block most of the time
   * ({@code local.set}/{@code local.tee}, then {@code local.get}), and assigns it again there: each
   * such assignment and read is an array access, not a lookup in {@link #defs}, which gets
   * the pair only when the variable is next assigned in another block.
   */
  private int[] lastDefBlock = new int[16];
  private int[] lastDefValue = new int[16];
  /** Lookups in and insertions into {@link #defs} (the builder's work, for tests that count it). */
  private long definitionTableAccesses;

  private final BitSet sealed = new BitSet();
  /** Slow-path blocks {@link #finish} moves to the end of the layout. */
  private final BitSet cold = new BitSet();
  /** Per block: the block calls (branch edges) that target it; null when none. */
  private IntList[] predEdges = new IntList[16];
  /** Per block call: the block holding the branch. */
  private int[] edgeSource = new int[32];
  /** Per unsealed block: pairs (variable, parameter) still waiting for incoming values. */
  private IntList[] incomplete = new IntList[16];
  /** Parameters made by this builder (the front end's own parameters are never removed). */
  private final BitSet phis = new BitSet();
  /**
   * Parameters whose incoming values are being filled in: some edges still carry placeholders,
   * so they must not be judged trivial yet.
   */
  private final BitSet completing = new BitSet();
  /** Per builder parameter (by value id): the builder parameters that receive it on an edge. */
  private IntList[] phiUsers = new IntList[64];
  /** The structured regions the front end declared, which reads of unassigned variables skip. */
  private final RegionSkips regions = new RegionSkips();

  public FunctionBuilder(Function function) {
    this.function = function;
    this.dfg = function.dfg();
    this.layout = function.layout();
  }

  public Function function() {
    return function;
  }

  // ------------------------------------------------------------------ blocks

  /** A new block, placed in the layout when the builder first switches to it. */
  public int createBlock() {
    return dfg.makeBlock();
  }

  /** Later instructions go to the end of {@code block}. */
  public void switchToBlock(int block) {
    if (!layout.isBlockInserted(block)) {
      layout.appendBlock(block);
    }
    current = block;
  }

  public int currentBlock() {
    return current;
  }

  /**
   * Marks {@code block} as rarely run (a slow path): {@link #finish} moves it after every other
   * block, so the common path falls through instead of jumping over it.
   */
  public void markCold(int block) {
    cold.set(block);
  }

  /** Whether the current block already ends with a terminator. */
  public boolean isFilled() {
    int last = current < 0 ? -1 : layout.lastInst(current);
    return last >= 0 && dfg.opcode(last).isTerminator();
  }

  /**
   * Declares a parameter the front end passes explicitly in its branches (wasm block results).
   * Must come before any branch to the block, so explicit parameters precede builder-made ones.
   */
  public int appendBlockParam(int block, Type type) {
    if (edges(block) != null || hasPhis(block)) {
      throw new IllegalStateException("block" + block
          + " already has incoming branches or builder-made parameters");
    }
    return dfg.appendBlockParam(block, type);
  }

  /** Gives {@code block} one parameter per signature parameter (for the entry block). */
  public int[] appendBlockParamsForFunctionParams(int block) {
    List<Type> params = function.signature().paramTypes();
    int[] values = new int[params.size()];
    for (int i = 0; i < values.length; i++) {
      // the count is the module's (up to the decoder's arity limit): polled like any such loop
      CompileDeadline.pollCounted(Phase.FUNCTIONS, i);
      values[i] = appendBlockParam(block, params.get(i));
    }
    return values;
  }

  /** Declares that every branch to {@code block} now exists; completes its pending parameters. */
  public void sealBlock(int block) {
    if (sealed.get(block)) {
      return;
    }
    seal(block);
    // A block entered from one block only and sealed before it holds code (a br_if's fall-through,
    // an if's arms) is a link in the chains of regions, which the searches climb past instead of
    // reading on through it block by block: in ruby's function 1706 those were 135,000 of the
    // searches' 418,000 steps, each a lookup and later an insertion in the definitions table
    // (700,000 accesses, 443,000 without those steps). Code put in the block before it is sealed
    // could assign a variable before the region's opening, which a climb from below would skip.
    IntList edges = edges(block);
    int source = isEmpty(block) && edges != null && edges.size() > 0 ? soleSource(block) : -1;
    if (source >= 0) {
      regions.sealedEmpty(block, source);
    }
  }

  /** Seals {@code block} and completes its pending parameters. */
  private void seal(int block) {
    // Mark first: reads that reach this block again while its parameters are being completed
    // then add fully wired parameters instead of new incomplete ones.
    sealed.set(block);
    IntList pending = block < incomplete.length ? incomplete[block] : null;
    if (pending != null) {
      incomplete[block] = null;
    }
    if (pending != null) {
      for (int k = 0; k < pending.size(); k += 2) {
        completing.set(pending.get(k + 1));
      }
      for (int k = 0; k < pending.size(); k += 2) {
        int phi = pending.get(k + 1);
        if (dfg.valueKind(phi) == DataFlowGraph.VALUE_PARAM) {
          completePhi(pending.get(k), phi, block);
        }
      }
    }
  }

  /**
   * A structured region (a wasm {@code block}, {@code if} or {@code loop}) begun by {@link
   * #beginRegion}: the block current at its beginning and the builder's clock then.
   */
  public record Region(int entry, int openedAt) {}

  /**
   * Begins a structured region at the current position. The caller promises that the block it
   * later passes with this region to {@link #sealBlock(int, Region)} is reached from the function's
   * entry only through the current block, and from there only through blocks built from now until
   * that call (true of every wasm construct, spec 2.4.8: a branch names an enclosing label only).
   * Reads of a variable not assigned in the region then skip it whole.
   */
  public Region beginRegion() {
    requireCurrent();
    return new Region(current, regions.begin());
  }

  /** {@link #sealBlock(int)}, for the block that closes {@code region} (its merge or loop header). */
  public void sealBlock(int block, Region region) {
    if (sealed.get(block)) {
      throw new IllegalStateException("block" + block + " is already sealed");
    }
    seal(block);
    regions.sealed(block, region.entry(), region.openedAt());
  }

  /** Steps the searches took up chains of regions (the builder's work, for tests that count it). */
  public long regionClimbSteps() {
    return regions.climbSteps();
  }

  /** Seals every block created so far. */
  public void sealAllBlocks() {
    for (int b = 0; b < dfg.blockCount(); b++) {
      sealBlock(b);
    }
  }

  // ------------------------------------------------------------------ variables

  /** A new variable of type {@code type}; returns its number. */
  public int declareVar(Type type) {
    int var = varTypes.size();
    varTypes.add(type);
    if (var == lastDefBlock.length) {
      lastDefBlock = Arrays.copyOf(lastDefBlock, 2 * var);
      lastDefValue = Arrays.copyOf(lastDefValue, 2 * var);
    }
    lastDefBlock[var] = -1;
    return var;
  }

  public Type varType(int var) {
    return varTypes.get(var);
  }

  /** The variable holds {@code value} from here to the end of the current block (or next def). */
  public void defVar(int var, int value) {
    requireCurrent();
    if (dfg.valueType(value) != varTypes.get(var)) {
      throw new IllegalArgumentException("var" + var + " is " + varTypes.get(var) + ", v" + value
          + " is " + dfg.valueType(value));
    }
    int previous = lastDefBlock[var];
    if (previous != current && previous >= 0) {
      remember(var, previous, lastDefValue[var]);
    }
    lastDefBlock[var] = current;
    lastDefValue[var] = value;
    regions.assigned(var);
  }

  /** The value {@code var} was given in {@code block} (assigned or found by a read), or -1. */
  private int definition(int var, int block) {
    if (lastDefBlock[var] == block) {
      return lastDefValue[var];
    }
    definitionTableAccesses++;
    return defs.get(var, block);
  }

  /** {@code var} holds {@code value} at the end of {@code block}. */
  private void remember(int var, int block, int value) {
    definitionTableAccesses++;
    defs.put(var, block, value);
  }

  /** How many times the builder looked a definition up in, or added one to, its table. */
  public long definitionTableAccesses() {
    return definitionTableAccesses;
  }

  /** The value the variable holds at the current position. */
  public int useVar(int var) {
    requireCurrent();
    return readVariable(var, current);
  }

  // The search for a definition walks back through predecessors as far as the control flow
  // graph is deep: a valid wasm function can have tens of thousands of blocks before a local's
  // first read, and a phi's removal can make the next one trivial along as long a chain. Both
  // therefore keep their pending steps on explicit stacks, not on the Java call stack, and take
  // them in the order of the paper's recursive readVariable, addPhiOperands and
  // tryRemoveTrivialPhi, so the parameters and value numbers they create are the same.

  /** Search frame: a block with one predecessor, waiting for the value at that predecessor's end. */
  private static final int FOLLOW = 0;
  /** Search frame: a parameter the search added, collecting the value on each incoming edge. */
  private static final int MERGE = 1;
  /** Search frame: an incomplete parameter collecting its incoming values when its block seals. */
  private static final int COMPLETE = 2;
  /** Ints per search frame: kind, block, parameter, index of the edge being read. */
  private static final int FRAME = 4;
  /** The frames of the search in progress (one read, or one parameter completed at sealing). */
  private final IntList searchStack = new IntList();

  private int readVariable(int var, int block) {
    return search(var, block, searchStack.size());
  }

  /** Fills in the incoming values of {@code phi}, a parameter of {@code block}, from its edges. */
  private void completePhi(int var, int phi, int block) {
    IntList edges = edges(block);
    completing.set(phi);
    if (edges == null || edges.size() == 0) {
      completing.clear(phi);
      tryRemoveTrivialPhi(phi);
      return;
    }
    int base = searchStack.size();
    pushFrame(COMPLETE, block, phi);
    search(var, edgeSource[edges.get(0)], base);
  }

  /**
   * The value {@code var} holds at the end of {@code block}; on the way, answers the frames above
   * {@code base} with the values they wait for. Returns the value the last frame above
   * {@code base} (or, without frames, the read of {@code block}) ends with.
   */
  private int search(int var, int block, int base) {
    Type type = varTypes.get(var);
    int value = -1;
    int wanted = block; // the block whose value comes next; -1 while value answers the top frame
    int skipTo;
    while (true) {
      if (wanted >= 0) {
        int def = definition(var, wanted);
        if (def >= 0) {
          value = dfg.resolveAliases(def);
          wanted = -1;
          continue;
        }
        IntList edges = edges(wanted);
        if (!sealed.get(wanted)) {
          value = addPhi(wanted, type);
          incomplete = grow(incomplete, wanted);
          if (incomplete[wanted] == null) {
            incomplete[wanted] = new IntList();
          }
          incomplete[wanted].add(var);
          incomplete[wanted].add(value);
        } else if (edges == null || edges.size() == 0) {
          value = zeroAtStart(wanted, type);
        } else if ((skipTo = regions.skipTarget(var, wanted)) >= 0) {
          // Not assigned in the region this block closes: its value where the region began. Only
          // the read's own block remembers it, for the next read there: a merge's predecessors and
          // the blocks passed on the way are seldom searched again for the variable, and climb
          // again in a few steps when they are (ruby's function 1706: 129,000 of 443,000 table
          // accesses were such insertions; without them the climbing grows 2%).
          if (searchStack.size() == base) {
            pushFrame(FOLLOW, wanted, -1);
          }
          wanted = skipTo;
          continue;
        } else if ((skipTo = soleSource(wanted)) >= 0) {
          // Every edge comes from one block: its value there, no parameter needed.
          pushFrame(FOLLOW, wanted, -1);
          wanted = skipTo;
          continue;
        } else {
          int phi = addPhi(wanted, type);
          // Record the parameter before reading the predecessors: a loop leads back here.
          remember(var, wanted, phi);
          completing.set(phi);
          pushFrame(MERGE, wanted, phi);
          wanted = edgeSource[edges.get(0)];
          continue;
        }
        remember(var, wanted, value);
        wanted = -1;
      }
      if (searchStack.size() == base) {
        return value;
      }
      int top = searchStack.size() - FRAME;
      int kind = searchStack.get(top);
      int frameBlock = searchStack.get(top + 1);
      if (kind == FOLLOW) {
        searchStack.truncate(top);
        remember(var, frameBlock, value);
        continue;
      }
      int phi = searchStack.get(top + 2);
      int e = searchStack.get(top + 3);
      IntList edges = edges(frameBlock);
      setIncoming(phi, edges.get(e), value);
      if (e + 1 < edges.size()) {
        searchStack.set(top + 3, e + 1);
        wanted = edgeSource[edges.get(e + 1)];
        continue;
      }
      searchStack.truncate(top);
      completing.clear(phi);
      value = tryRemoveTrivialPhi(phi);
      if (kind == MERGE) {
        remember(var, frameBlock, value);
      }
    }
  }

  /**
   * The one block every edge into {@code block} leaves, or -1 when they leave several blocks (or
   * only {@code block} itself). The paper's single predecessor is a block, not an edge: a {@code
   * br_table} whose entries name one block gives that block an edge per entry, all from one
   * predecessor, and a variable's value at that predecessor's end is its value on every one of them,
   * so the search reads on without a parameter (which would take one argument per entry). A block
   * ends with one branch, whose edges are recorded together: its edges from one predecessor are
   * consecutive, and the first and last edge tell.
   */
  private int soleSource(int block) {
    IntList edges = edges(block);
    int first = edgeSource[edges.get(0)];
    return first != block && edgeSource[edges.get(edges.size() - 1)] == first ? first : -1;
  }

  private void pushFrame(int kind, int block, int phi) {
    searchStack.add(kind);
    searchStack.add(block);
    searchStack.add(phi);
    searchStack.add(0);
  }

  private int addPhi(int block, Type type) {
    int phi = dfg.appendBlockParam(block, type);
    phis.set(phi);
    IntList edges = edges(block);
    if (edges != null) {
      for (int e = 0; e < edges.size(); e++) {
        dfg.appendBlockCallArg(edges.get(e), phi); // placeholder until the value is known
      }
    }
    return phi;
  }

  /** {@code phi} receives {@code incoming} on {@code edge}. */
  private void setIncoming(int phi, int edge, int incoming) {
    // Reading may have removed other parameters of the block: look the index up each time.
    dfg.setBlockCallArg(edge, dfg.valueNum(phi), incoming);
    if (phis.get(incoming)) {
      phiUsers = grow(phiUsers, incoming);
      if (phiUsers[incoming] == null) {
        phiUsers[incoming] = new IntList();
      }
      phiUsers[incoming].add(phi);
    }
  }

  /**
   * Removes {@code phi} if all its incoming values are one value (or itself), then re-examines the
   * parameters that received it, depth first in the order they did. Returns the value {@code phi}
   * stands for.
   */
  private int tryRemoveTrivialPhi(int phi) {
    int same = removeIfTrivial(phi);
    if (same < 0) {
      return phi;
    }
    if (phi >= phiUsers.length || phiUsers[phi] == null) {
      return same; // no parameter received it (most removals): no scan to make
    }
    ArrayDeque<UserScan> scans = new ArrayDeque<>();
    scanUsers(phi, scans);
    while (!scans.isEmpty()) {
      UserScan scan = scans.peek();
      if (scan.next == scan.users.size()) {
        scans.pop();
        continue;
      }
      int user = scan.users.get(scan.next++);
      if (user != scan.phi && phis.get(user) && !completing.get(user)
          && dfg.valueKind(user) == DataFlowGraph.VALUE_PARAM && sealed.get(dfg.valueDef(user))
          && removeIfTrivial(user) >= 0) {
        scanUsers(user, scans);
      }
    }
    return same;
  }

  /** The parameters that received {@code phi}, just removed, still to be re-examined. */
  private static final class UserScan {
    final int phi;
    final IntList users;
    int next;

    UserScan(int phi, IntList users) {
      this.phi = phi;
      this.users = users;
    }
  }

  private void scanUsers(int phi, ArrayDeque<UserScan> scans) {
    IntList users = phi < phiUsers.length ? phiUsers[phi] : null;
    if (users != null) {
      phiUsers[phi] = null;
      scans.push(new UserScan(phi, users));
    }
  }

  /**
   * If {@code phi}'s incoming values are all one value (or itself), removes it and makes it an
   * alias of that value, which it returns; otherwise returns -1.
   */
  private int removeIfTrivial(int phi) {
    int block = dfg.valueDef(phi);
    int index = dfg.valueNum(phi);
    IntList edges = edges(block);
    int same = -1;
    for (int e = 0; edges != null && e < edges.size(); e++) {
      int op = dfg.resolveAliases(dfg.blockCallArg(edges.get(e), index));
      if (op == same || op == phi) {
        continue;
      }
      if (same >= 0) {
        return -1; // merges at least two values: not trivial
      }
      same = op;
    }
    if (same < 0) {
      // No incoming value but itself: the block is unreachable; read the wasm default.
      same = zeroAtStart(block, dfg.valueType(phi));
    }
    for (int e = 0; edges != null && e < edges.size(); e++) {
      dfg.removeBlockCallArg(edges.get(e), index);
    }
    dfg.removeBlockParam(block, index);
    dfg.changeToAlias(phi, same);
    phis.clear(phi);
    return same;
  }

  private int zeroAtStart(int block, Type type) {
    FuncCursor cursor = new FuncCursor(function);
    int first = layout.isBlockInserted(block) ? layout.firstInst(block) : -1;
    if (!layout.isBlockInserted(block)) {
      layout.appendBlock(block);
    }
    if (first >= 0) {
      cursor.before(first);
    } else {
      cursor.atEnd(block);
    }
    return switch (type) {
      case I32, I64 -> cursor.iconst(type, 0);
      case F32 -> cursor.f32constBits(0);
      case F64 -> cursor.f64constBits(0);
      case V128 -> cursor.vconst(0, 0);
    };
  }

  /**
   * Builder-made parameters always follow the front end's ({@link #appendBlockParam} refuses one
   * after them, and removing a trivial one keeps the order), so only the last parameter need be
   * looked at: a scan of all of them made declaring a function's P parameters O(P^2).
   */
  private boolean hasPhis(int block) {
    int count = dfg.blockParamCount(block);
    return count > 0 && phis.get(dfg.blockParam(block, count - 1));
  }

  private boolean isEmpty(int block) {
    return !layout.isBlockInserted(block) || layout.firstInst(block) < 0;
  }

  private IntList edges(int block) {
    return block < predEdges.length ? predEdges[block] : null;
  }

  private static IntList[] grow(IntList[] array, int index) {
    return index < array.length ? array : Arrays.copyOf(array, Math.max(index + 1,
        array.length * 2));
  }

  // ------------------------------------------------------------------ instructions

  /**
   * The wasm code offset given to the instructions built from now on ({@link
   * DataFlowGraph#NO_SOURCE_LOC} for none); the translator sets it once per wasm operator.
   */
  public void setSourceLoc(int loc) {
    this.sourceLoc = loc;
  }

  /** Appends instructions to the current block. */
  public InstBuilder ins() {
    requireCurrent();
    return appender;
  }

  /** The results of {@code inst}, e.g. a call's return values. */
  public int[] instResults(int inst) {
    return dfg.results(inst);
  }

  public int importSignature(Signature sig) {
    return dfg.addSignature(sig);
  }

  public int importFunction(ExtFuncData data) {
    return dfg.addExtFunc(data);
  }

  /**
   * Finishes construction: every block must be sealed; alias uses are rewritten to the values
   * they stand for. Returns the function (run the verifier on it in tests).
   */
  public Function finish() {
    finishLeavingAliases();
    dfg.resolveAllAliases();
    return function;
  }

  /**
   * As {@link #finish}, but operands and branch arguments may still name the aliases the removed
   * parameters became: for a function the pass pipeline runs over next, which resolves them as
   * value numbering walks the instructions (dev.kiln.ir.pass.PassPipeline), so a walk over every
   * instruction here would be done twice.
   */
  public Function finishLeavingAliases() {
    for (int b = layout.firstBlock(); b >= 0; b = layout.nextBlock(b)) {
      if (!sealed.get(b)) {
        throw new IllegalStateException("block" + b + " is not sealed");
      }
    }
    cold.stream().filter(layout::isBlockInserted).forEach(layout::moveBlockToEnd);
    return function;
  }

  private void requireCurrent() {
    if (current < 0) {
      throw new IllegalStateException("no current block: call switchToBlock first");
    }
  }

  /** Appends to the current block and records every new branch edge. */
  private final class BlockAppender extends InstBuilder {
    @Override
    protected DataFlowGraph dfg() {
      return dfg;
    }

    @Override
    protected int build(Opcode opcode, Type ctrlType, long imm, int aux, int[] args,
        int[] blockCalls) {
      if (isFilled()) {
        throw new IllegalStateException("block" + current + " already ends with "
            + dfg.opcode(layout.lastInst(current)).text());
      }
      if (blockCalls != null) {
        for (int edge : blockCalls) {
          int target = dfg.blockCallBlock(edge);
          if (sealed.get(target)) {
            throw new IllegalStateException("branch to block" + target + ", which is sealed");
          }
          int explicit = dfg.blockParamCount(target);
          for (int p = 0; p < dfg.blockParamCount(target); p++) {
            if (phis.get(dfg.blockParam(target, p))) {
              explicit = Math.min(explicit, p);
            }
          }
          if (dfg.blockCallArgCount(edge) != explicit) {
            throw new IllegalArgumentException("block" + target + " takes " + explicit
                + " explicit argument(s), " + dfg.blockCallArgCount(edge) + " passed");
          }
          for (int p = explicit; p < dfg.blockParamCount(target); p++) {
            dfg.appendBlockCallArg(edge, dfg.blockParam(target, p));
          }
        }
      }
      int inst = dfg.makeInst(opcode, ctrlType, imm, aux, args, blockCalls);
      dfg.setSourceLoc(inst, sourceLoc);
      layout.appendInst(inst, current);
      if (blockCalls != null) {
        for (int edge : blockCalls) {
          int target = dfg.blockCallBlock(edge);
          predEdges = grow(predEdges, target);
          if (predEdges[target] == null) {
            predEdges[target] = new IntList();
          }
          predEdges[target].add(edge);
          if (edge >= edgeSource.length) {
            edgeSource = Arrays.copyOf(edgeSource, Math.max(edge + 1, edgeSource.length * 2));
          }
          edgeSource[edge] = current;
        }
      }
      return inst;
    }
  }
}
