package dev.kiln.ir.builder;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExtFuncData;
import dev.kiln.ir.FuncCursor;
import dev.kiln.ir.Function;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
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
  /** (variable, block) to the value the variable holds at the end of the block so far. */
  private final LongIntMap defs = new LongIntMap();

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
      values[i] = appendBlockParam(block, params.get(i));
    }
    return values;
  }

  /** Declares that every branch to {@code block} now exists; completes its pending parameters. */
  public void sealBlock(int block) {
    if (sealed.get(block)) {
      return;
    }
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
          addPhiOperands(pending.get(k), phi, block);
        }
      }
    }
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
    varTypes.add(type);
    return varTypes.size() - 1;
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
    defs.put(key(var, current), value);
  }

  /** The value the variable holds at the current position. */
  public int useVar(int var) {
    requireCurrent();
    return readVariable(var, current);
  }

  private int readVariable(int var, int block) {
    int v = defs.get(key(var, block));
    if (v >= 0) {
      return dfg.resolveAliases(v);
    }
    return readVariableRecursive(var, block);
  }

  private int readVariableRecursive(int var, int block) {
    Type type = varTypes.get(var);
    IntList edges = edges(block);
    int value;
    if (!sealed.get(block)) {
      value = addPhi(block, type);
      incomplete = grow(incomplete, block);
      if (incomplete[block] == null) {
        incomplete[block] = new IntList();
      }
      incomplete[block].add(var);
      incomplete[block].add(value);
    } else if (edges == null || edges.size() == 0) {
      value = zeroAtStart(block, type);
    } else if (edges.size() == 1 && edgeSource[edges.get(0)] != block) {
      value = readVariable(var, edgeSource[edges.get(0)]);
    } else {
      int phi = addPhi(block, type);
      // Record the parameter before reading the predecessors: a loop leads back here.
      defs.put(key(var, block), phi);
      value = addPhiOperands(var, phi, block);
    }
    defs.put(key(var, block), value);
    return value;
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

  private int addPhiOperands(int var, int phi, int block) {
    IntList edges = edges(block);
    completing.set(phi);
    for (int e = 0; edges != null && e < edges.size(); e++) {
      int edge = edges.get(e);
      int incoming = readVariable(var, edgeSource[edge]);
      // Reading may have removed other parameters of this block: look the index up each time.
      dfg.setBlockCallArg(edge, dfg.valueNum(phi), incoming);
      if (phis.get(incoming)) {
        phiUsers = grow(phiUsers, incoming);
        if (phiUsers[incoming] == null) {
          phiUsers[incoming] = new IntList();
        }
        phiUsers[incoming].add(phi);
      }
    }
    completing.clear(phi);
    return tryRemoveTrivialPhi(phi);
  }

  private int tryRemoveTrivialPhi(int phi) {
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
        return phi; // merges at least two values: not trivial
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
    IntList users = phi < phiUsers.length ? phiUsers[phi] : null;
    if (users != null) {
      phiUsers[phi] = null;
    }
    for (int u = 0; users != null && u < users.size(); u++) {
      int user = users.get(u);
      if (user != phi && phis.get(user) && !completing.get(user)
          && dfg.valueKind(user) == DataFlowGraph.VALUE_PARAM && sealed.get(dfg.valueDef(user))) {
        tryRemoveTrivialPhi(user);
      }
    }
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

  private boolean hasPhis(int block) {
    for (int p = 0; p < dfg.blockParamCount(block); p++) {
      if (phis.get(dfg.blockParam(block, p))) {
        return true;
      }
    }
    return false;
  }

  private IntList edges(int block) {
    return block < predEdges.length ? predEdges[block] : null;
  }

  private static IntList[] grow(IntList[] array, int index) {
    return index < array.length ? array : Arrays.copyOf(array, Math.max(index + 1,
        array.length * 2));
  }

  private static long key(int var, int block) {
    return ((long) var << 32) | Integer.toUnsignedLong(block);
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
    for (int b = layout.firstBlock(); b >= 0; b = layout.nextBlock(b)) {
      if (!sealed.get(b)) {
        throw new IllegalStateException("block" + b + " is not sealed");
      }
    }
    cold.stream().filter(layout::isBlockInserted).forEach(layout::moveBlockToEnd);
    dfg.resolveAllAliases();
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
