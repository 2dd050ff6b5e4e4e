package dev.kiln.ir.inline;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExtFuncData;
import dev.kiln.ir.Function;
import dev.kiln.ir.InlineSite;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.pass.ArithmeticSimplification;
import dev.kiln.ir.pass.ConstantFolding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Replaces a direct {@code call} with a copy of the callee's body:
 *
 * <ol>
 *   <li>a continuation block is made, not yet placed, whose parameters take the call's results (the
 *       results become aliases of them);
 *   <li>the callee's entry block is copied in place, before the call, the call's arguments standing
 *       for the entry's parameters;
 *   <li>every other callee block is copied into a new block, each {@code return v...} becoming
 *       {@code jump continuation(v...)};
 *   <li>the call goes, and the caller's code after it (the tail) continues the copies. With a single
 *       {@code return}, the continuation's parameters become aliases of that return's values, its
 *       jump goes, and the tail continues the block of the return ({@link #continueAfterReturn}):
 *       where it stands when the return was in the callee's entry, else moved once to the end of
 *       the return's copy. With several, the continuation is placed after the copies and the tail
 *       moves into it.
 * </ol>
 *
 * <p>With a single return the caller's code continues the callee's block of that return, as the
 * callee's entry continued the call's, so lowering and allocation see one block where the source
 * had one.
 *
 * <p>A call thus costs the callee's size and at most one move of the tail ({@link
 * Layout#moveInstsAfter}), none for a straight-line callee (its one return in its entry): a block
 * of many calls of tiny callees costs its copies. Moving the tail into the continuation at every
 * call, and back out of it with one return, cost each call the rest of its block twice, calls x
 * block length in all (functions of 10,000 calls of an empty function compiled at 0.07 MB/s, 91%
 * of the time in those moves).
 *
 * <p>The continuation, its parameters and the single return's jump are made even where they go at
 * once: so the blocks, values and instructions made after them keep their numbers, which lowering
 * and register allocation follow, and the compiled code stays what it was when every call's tail
 * went through the continuation.
 *
 * <p>The copies follow the call's block in the callee's layout order, except blocks that end in an
 * unconditional {@code trap} (the callee's cold paths, which its builder already laid out last),
 * which go to the end of the caller. Callee declarations are re-declared in the caller (signatures
 * and direct callees each once, 128-bit constants through the caller's pool). Each copied
 * instruction keeps its source location and names the new {@link InlineSite} (or, when it was
 * itself inlined code, a copy of its site under the new one).
 *
 * <p>The callee must not tail-call ({@code return_call}, {@code return_call_indirect}): that would
 * return from the caller; its entry block must not be a branch target, so its code can continue
 * the call's block; and it must return somewhere. The callee is only read, so one translated callee
 * can be inlined into many callers, from several threads.
 *
 * <p>A call site that is a GC safepoint ({@link DataFlowGraph#stackMap}: the caller holds references
 * in its slots across it) passes its stack map to every call of the inlined body, which so names the
 * caller's resident slots too ({@link DataFlowGraph#setResidentSlots}): a collection under any of
 * them must find and rewrite the caller's slots, as it would under the call itself (red team 11 F1:
 * without it the caller kept an object's old address). The callee adds no slots
 * of its own: {@link #canInline} refuses a function with stack slots or safepoints.
 */
public final class CallInliner {
  private final DataFlowGraph dfg;
  private final Layout layout;
  private final Function callee;
  private final DataFlowGraph from;
  /** Callee value to caller value; -1 until mapped. */
  private final int[] values;
  /** Callee block to caller block; -1 for blocks not in the callee's layout. */
  private final int[] blocks;
  /** Callee inline site to caller inline site. */
  private final int[] sites;
  private final int[] funcRefs;
  private final int[] sigRefs;
  /** The jumps the callee's returns became. */
  private final List<Integer> returnJumps = new ArrayList<>();
  /** The call site's stack map, given to each call of the inlined body; null when it is no safepoint. */
  private int[] siteStackMap;

  private CallInliner(Function caller, Function callee) {
    this.dfg = caller.dfg();
    this.layout = caller.layout();
    this.callee = callee;
    this.from = callee.dfg();
    this.values = filled(from.valueCount());
    this.blocks = filled(from.blockCount());
    this.sites = filled(from.inlineSiteCount());
    this.funcRefs = filled(from.extFuncCount());
    this.sigRefs = filled(from.signatureCount());
  }

  /**
   * Whether {@link #inline} accepts {@code callee}: no tail calls, no branch to its entry block,
   * and at least one {@code return} (a callee that never returns would leave the continuation
   * without a predecessor).
   */
  public static boolean canInline(Function callee) {
    DataFlowGraph dfg = callee.dfg();
    Layout layout = callee.layout();
    int entry = layout.entryBlock();
    if (entry < 0) {
      return false;
    }
    boolean returns = false;
    for (int b : layout.blocks()) {
      for (int inst = layout.firstInst(b); inst >= 0; inst = layout.nextInst(inst)) {
        Opcode op = dfg.opcode(inst);
        // An exceptional edge stays with the frame its landing pad is compiled for (kept simple: a
        // function that catches is not inlined).
        if (op == Opcode.RETURN_CALL || op == Opcode.RETURN_CALL_INDIRECT || op == Opcode.UNWIND_EDGE) {
          return false;
        }
        // A safepoint's stack map names the slots of the frame it is compiled for, and the
        // caller's references live across the call site would be missing from it: a function
        // that holds GC references across calls stays out of line (kept simple, as for handlers).
        if (op == Opcode.STACK_ADDR || dfg.stackMap(inst) != null) {
          return false;
        }
        returns |= op == Opcode.RETURN;
        for (int d = 0; d < dfg.destCount(inst); d++) {
          if (dfg.blockCallBlock(dfg.dest(inst, d)) == entry) {
            return false;
          }
        }
      }
    }
    return returns;
  }

  /**
   * Inlines {@code callee} at {@code call}, a {@code call} instruction in {@code caller}'s layout
   * whose callee is {@code callee} (same signature); returns the caller's new inline site.
   *
   * @throws IllegalArgumentException if {@code call} is not such a call or {@link #canInline}
   *     refuses the callee
   */
  public static int inline(Function caller, int call, Function callee) {
    if (!canInline(callee)) {
      throw new IllegalArgumentException(callee.name().text()
          + " tail-calls, branches to its entry or never returns");
    }
    return inlineAccepted(caller, call, callee);
  }

  /**
   * {@link #inline}, for a callee {@link #canInline} accepted already: the inliner asks once per
   * callee when it takes it as a candidate, not again at each call site it copies it into (a walk
   * over the callee per site, 0.9% of a yosys compile's translation and inlining samples).
   */
  public static int inlineAccepted(Function caller, int call, Function callee) {
    DataFlowGraph dfg = caller.dfg();
    if (dfg.opcode(call) != Opcode.CALL || !caller.layout().isInstInserted(call)) {
      throw new IllegalArgumentException("inst" + call + " is not a placed direct call");
    }
    if (hasUnwindEdge(caller, call)) {
      throw new IllegalArgumentException("inst" + call + " has an exceptional edge: the calls of an "
          + "inlined body would lose it");
    }
    if (!dfg.callSignature(call).equals(callee.signature())) {
      throw new IllegalArgumentException("inst" + call + " calls with " + dfg.callSignature(call).text()
          + ", the callee takes " + callee.signature().text());
    }
    return new CallInliner(caller, callee).run(call);
  }

  /** Whether {@code call} is followed by its exceptional edge ({@link Opcode#UNWIND_EDGE}). */
  public static boolean hasUnwindEdge(Function f, int call) {
    int next = f.layout().nextInst(call);
    return next >= 0 && f.dfg().opcode(next) == Opcode.UNWIND_EDGE;
  }

  private int run(int call) {
    ExtFuncData target = dfg.extFunc(dfg.aux(call));
    int site = dfg.addInlineSite(new InlineSite(target.name(), dfg.sourceLoc(call), dfg.inlineSiteOf(call)));
    for (int s = 0; s < from.inlineSiteCount(); s++) {
      InlineSite inner = from.inlineSite(s);
      sites[s] = dfg.addInlineSite(new InlineSite(inner.callee(), inner.callSourceLoc(),
          inner.parent() == InlineSite.NONE ? site : sites[inner.parent()]));
    }

    siteStackMap = dfg.stackMap(call);
    int block = layout.instBlock(call);
    int continuation = continuationTakingResultsOf(call);

    Layout calleeLayout = callee.layout();
    int calleeEntry = calleeLayout.entryBlock();
    int[] args = dfg.args(call);
    int[] entryParams = from.blockParams(calleeEntry);
    for (int p = 0; p < entryParams.length; p++) {
      values[entryParams[p]] = dfg.resolveAliases(args[p]);
    }
    int[] order = calleeLayout.blocks();
    for (int b : order) {
      if (b == calleeEntry) {
        blocks[b] = block; // the entry's code continues the call's block (nothing branches to it)
        continue;
      }
      blocks[b] = dfg.makeBlock();
      for (int param : from.blockParams(b)) {
        values[param] = dfg.appendBlockParam(blocks[b], from.valueType(param));
      }
    }

    List<Integer> copies = new ArrayList<>();
    int after = block;
    for (int b : order) {
      int copy = blocks[b];
      int last = calleeLayout.lastInst(b);
      if (b == calleeEntry) {
        // already placed: the call's block
      } else if (last >= 0 && from.opcode(last) == Opcode.TRAP) {
        layout.appendBlock(copy);
      } else {
        layout.insertBlockAfter(copy, after);
        after = copy;
      }
      for (int inst : calleeLayout.blockInsts(b)) {
        int made = copyInst(inst, site, continuation);
        if (b == calleeEntry) {
          layout.insertInstBefore(made, call);
        } else {
          layout.appendInst(made, copy);
        }
        copies.add(made);
      }
    }
    for (int inst : copies) {
      remapOperands(inst);
    }
    // The copies meet the call's arguments: a constant one decides some of them (a 64x64-bit
    // multiply through compiler-rt's __multi3 with zero high halves multiplies by 0 and adds 0;
    // a flag argument decides the callee's branch on it, and the pipeline's dead-code elimination
    // then removes the side not taken). In the callee's layout order, so a simplified result folds
    // into the copies that use it.
    for (int inst : copies) {
      ArithmeticSimplification.simplify(dfg, layout, inst);
      ConstantFolding.foldBranch(dfg, inst);
    }
    if (returnJumps.size() == 1) {
      continueAfterReturn(call, continuation, returnJumps.getFirst());
    } else {
      layout.insertBlockAfter(continuation, after);
      layout.moveInstsAfter(call, continuation);
    }
    layout.removeInst(call);
    return site;
  }

  /**
   * A new block, not placed yet, whose parameters take over {@code call}'s results (the results
   * become aliases of them): where the callee's returns jump to.
   */
  private int continuationTakingResultsOf(int call) {
    int continuation = dfg.makeBlock();
    for (int r : dfg.results(call)) {
      int param = dfg.appendBlockParam(continuation, dfg.valueType(r));
      dfg.changeToAlias(r, param);
    }
    return continuation;
  }

  /**
   * With one {@code return} in the callee, the continuation's one predecessor would be that
   * return's jump: its parameters become aliases of the jump's arguments, the jump goes, and the
   * caller's code after {@code call} continues the jump's block. That is the call's own block when
   * the return was in the callee's entry, whose copies stand before the call: the code stays where
   * it is. Otherwise it moves once, to the end of the return's copy.
   */
  private void continueAfterReturn(int call, int continuation, int jump) {
    int block = layout.instBlock(jump);
    int[] args = dfg.blockCallArgs(dfg.dest(jump, 0));
    int[] params = dfg.blockParams(continuation);
    for (int p = params.length - 1; p >= 0; p--) {
      dfg.changeToAlias(params[p], dfg.resolveAliases(args[p]));
      dfg.removeBlockParam(continuation, p);
    }
    layout.removeInst(jump);
    if (block != layout.instBlock(call)) {
      layout.moveInstsAfter(call, block);
    }
  }

  /**
   * Copies callee instruction {@code inst}, not placed yet, with its declarations remapped, its
   * results mapped and its operands still the callee's values ({@link #remapOperands} maps them
   * once every definition exists); returns the copy.
   */
  private int copyInst(int inst, int site, int continuation) {
    Opcode op = from.opcode(inst);
    int copy;
    if (op == Opcode.RETURN) {
      copy = dfg.makeInst(Opcode.JUMP, null, 0, 0, new int[0],
          new int[] {dfg.makeBlockCall(continuation, from.args(inst))});
      returnJumps.add(copy);
    } else {
      long imm = from.imm(inst);
      int aux = from.aux(inst);
      switch (op.format()) {
        case CALL -> aux = funcRef(aux);
        case CALL_INDIRECT -> aux = sigRef(aux);
        case VCONST, SHUFFLE -> {
          var constant = from.vectorConstantAt((int) imm);
          imm = dfg.vectorConstant(constant.low(), constant.high());
        }
        default -> {}
      }
      int[] dests = null;
      if (from.destCount(inst) > 0) {
        dests = new int[from.destCount(inst)];
        for (int d = 0; d < dests.length; d++) {
          int blockCall = from.dest(inst, d);
          dests[d] = dfg.makeBlockCall(blocks[from.blockCallBlock(blockCall)], from.blockCallArgs(blockCall));
        }
      }
      copy = dfg.makeInst(op, from.ctrlType(inst), imm, aux, from.args(inst), dests);
      // Read in place, not copied out into two arrays per instruction inlined.
      for (int r = 0, n = from.resultCount(inst); r < n; r++) {
        values[from.result(inst, r)] = dfg.result(copy, r);
      }
    }
    if (siteStackMap != null && (op == Opcode.CALL || op == Opcode.CALL_INDIRECT)) {
      dfg.setStackMap(copy, siteStackMap);
    }
    dfg.setSourceLoc(copy, from.sourceLoc(inst));
    int own = from.inlineSiteOf(inst);
    dfg.setInlineSiteOf(copy, own == InlineSite.NONE ? site : sites[own]);
    return copy;
  }

  private void remapOperands(int inst) {
    for (int a = 0; a < dfg.argCount(inst); a++) {
      dfg.setArg(inst, a, value(dfg.arg(inst, a)));
    }
    for (int d = 0; d < dfg.destCount(inst); d++) {
      int blockCall = dfg.dest(inst, d);
      for (int a = 0; a < dfg.blockCallArgCount(blockCall); a++) {
        dfg.setBlockCallArg(blockCall, a, value(dfg.blockCallArg(blockCall, a)));
      }
    }
  }

  private int value(int calleeValue) {
    int v = values[from.resolveAliases(calleeValue)];
    if (v < 0) {
      throw new IllegalStateException(callee.name().text() + " uses v" + calleeValue + " without a definition");
    }
    return v;
  }

  private int funcRef(int calleeRef) {
    if (funcRefs[calleeRef] < 0) {
      ExtFuncData ext = from.extFunc(calleeRef);
      ExtFuncData mapped = new ExtFuncData(ext.name(), sigRef(ext.sigRef()));
      int found = dfg.findExtFunc(mapped);
      funcRefs[calleeRef] = found >= 0 ? found : dfg.addExtFunc(mapped);
    }
    return funcRefs[calleeRef];
  }

  private int sigRef(int calleeRef) {
    if (sigRefs[calleeRef] < 0) {
      Signature sig = from.signature(calleeRef);
      int found = dfg.findSignature(sig);
      sigRefs[calleeRef] = found >= 0 ? found : dfg.addSignature(sig);
    }
    return sigRefs[calleeRef];
  }

  private static int[] filled(int n) {
    int[] a = new int[n];
    Arrays.fill(a, -1);
    return a;
  }
}
