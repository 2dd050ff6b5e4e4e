package dev.kiln.compiler.translate;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.ExceptionLayout;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.ir.BranchTarget;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * The exception handlers of one function (WebAssembly 3.0 exception handling, section 4.4.8.5, and
 * the legacy {@code try}/{@code catch}/{@code delegate} proposal): which {@code try_table} or legacy
 * {@code try} handler is in scope, the exceptional edge ({@code unwind_edge}) every call in scope gets
 * to it, {@code throw}'s branch to a handler of its own function or its builtin call, and each handler's dispatch, built where its scope ends, that
 * compares the caught exception's tag with the clauses'. Its own class because the handler stack and
 * the dispatch are one job apart from the structured control flow: the translator's control frames
 * ({@link ControlFrame}) say which construct pushed which handler, this class does the rest.
 */
final class ExceptionHandlers {
  /**
   * A {@code try_table}'s catch clauses (WebAssembly 3.0 section 4.4.8.5), or a legacy {@code try}'s,
   * and the block every call in its scope has as exceptional destination ({@code unwind_edge}): the
   * dispatch, built where the scope ends, compares the caught exception's tag with each clause's in
   * order and branches to the first match's destination, or throws the exception on. A {@code
   * try_table} clause's destination is a label (counted outside the {@code try_table}); a legacy
   * clause's is the block its code starts in, which takes the payload and the exception (for {@code
   * rethrow}): the legacy proposal's {@code catch x} runs its code with the payload on the stack,
   * exactly as a {@code catch_ref} clause branching to a block around that code would.
   */
  static final class Handler {
    final int dispatch;
    final int[] kinds;
    final int[] tags;
    /** The {@code try_table} clauses' labels; null for a legacy {@code try}. */
    final int[] labels;
    /** A legacy {@code try}: each clause's first block and its parameters, made with the dispatch. */
    int[] entries;
    int[][] entryParams;
    /** Whether a call in scope has an edge to {@link #dispatch}: else no dispatch is built. */
    boolean used;

    /** A legacy {@code try}'s clauses, by tag ({@link LegacyTries.Clauses#CATCH_ALL} for catch_all). */
    Handler(int dispatch, int[] tags) {
      this.dispatch = dispatch;
      this.tags = tags;
      this.labels = null;
      this.kinds = new int[tags.length];
      for (int i = 0; i < tags.length; i++) {
        kinds[i] = tags[i] == LegacyTries.Clauses.CATCH_ALL ? InstructionReader.CATCH_ALL_REF : InstructionReader.CATCH_REF;
      }
    }

    Handler(int dispatch, InstructionReader r) {
      this.dispatch = dispatch;
      int n = r.catchCount();
      kinds = new int[n];
      tags = new int[n];
      labels = new int[n];
      for (int i = 0; i < n; i++) {
        kinds[i] = r.catchKind(i);
        boolean all = kinds[i] == InstructionReader.CATCH_ALL || kinds[i] == InstructionReader.CATCH_ALL_REF;
        tags[i] = all ? -1 : r.catchTag(i);
        labels[i] = r.catchLabel(i);
      }
    }
  }

  private final ModuleEnvironment env;
  private final FuncEnvironment fenv;
  private final FunctionBuilder b;
  private final GcSafepoints gc;
  private final SafepointSpills spills;
  private final InterruptChecks interrupts;
  private final FunctionBody body;
  /** The translator's control stack, outermost first: labels and the handlers their constructs push. */
  private final List<ControlFrame> control;
  /**
   * The handlers whose scope the translation is in, innermost last; a null entry is a {@code
   * delegate} to the caller (a call in its scope unwinds straight out of the function).
   */
  private final List<Handler> handlers = new ArrayList<>();
  /** The function's legacy {@code try}s, read at the first one. */
  private LegacyTries legacyTries;

  ExceptionHandlers(ModuleEnvironment env, FuncEnvironment fenv, FunctionBuilder b, GcSafepoints gc,
      SafepointSpills spills, InterruptChecks interrupts, FunctionBody body, List<ControlFrame> control) {
    this.env = env;
    this.fenv = fenv;
    this.b = b;
    this.gc = gc;
    this.spills = spills;
    this.interrupts = interrupts;
    this.body = body;
    this.control = control;
  }

  /** The clauses of the legacy {@code try} at {@code at}; the function's tries are read at the first. */
  LegacyTries.Clauses legacyClauses(int at) {
    if (legacyTries == null) {
      legacyTries = LegacyTries.of(body);
    }
    return legacyTries.at(at);
  }

  /** How many handlers are in scope: those around a construct that begins now. */
  int depth() {
    return handlers.size();
  }

  /** Puts {@code h} in scope for the body of {@code f}; {@code owns}: {@code f} builds its dispatch. */
  void enterScope(ControlFrame f, Handler h, boolean owns) {
    f.handler = h;
    f.pushesHandler = true;
    f.ownsHandler = owns;
    handlers.add(h);
  }

  /**
   * Ends the scope {@code f}'s handler has (at its {@code end}, {@code delegate}, or a legacy {@code
   * try}'s first {@code catch}), building the dispatch when {@code f} owns it and a call unwinds to
   * it. The dispatch is built aside: the translation goes on where it was, as reachable as it was.
   */
  void leaveScope(ControlFrame f) {
    if (!f.pushesHandler) {
      return;
    }
    handlers.removeLast();
    f.pushesHandler = false;
    if (f.ownsHandler && f.handler.used) {
      int current = b.currentBlock();
      buildDispatch(f.handler, f.region);
      b.switchToBlock(current);
    }
  }

  /**
   * The handler in scope just inside the construct at control stack index {@code index}: where a
   * {@code try ... delegate l} naming it hands its exceptions (legacy proposal: {@code delegate l}
   * throws the exception again at label {@code l}, so a {@code try} label in its body catches it,
   * any other label passes it to the handlers around it, the function's label to the caller).
   * Null when none is: the caller.
   */
  Handler handlerInside(int index) {
    ControlFrame f = control.get(index);
    if (f.pushesHandler) {
      return f.handler;
    }
    return f.handlersBelow == 0 ? null : handlers.get(f.handlersBelow - 1);
  }

  /** The parameter types of tag {@code tag}'s type: its payload (spec 3.2.x, tag types). */
  List<ValType> tagParams(int tag) {
    return env.module().types().get(env.module().allTagTypeIndices().get(tag)).params();
  }

  /**
   * Gives the call just built (the current block's last instruction: every wasm call ends with its
   * call instruction) an exceptional edge to the innermost {@code try_table}'s dispatch, when a
   * {@code try_table} is in scope; the translation goes on in the call's normal successor. A call
   * outside every {@code try_table} stays a plain call: an exception passes through its frame.
   * {@code spill} is the call's safepoint spill, or null: an exception caught in this frame after a collection
   * under the call must see the reference locals' new addresses too, so the edge goes to a pad that
   * loads them back from the call's slots before it joins the dispatch; the same for the references
   * on the stack below the call's operands, which a catch's label keeps when it is an enclosing frame's.
   */
  void unwindEdge(SafepointSpills.CallSpill spill) {
    Handler h = handlers.isEmpty() ? null : handlers.getLast();
    if (h == null) {
      return;
    }
    h.used = true;
    int normal = b.createBlock();
    if (spill == null || spill.vars().length == 0 && spill.stackPositions().length == 0) {
      b.ins().unwindEdge(normal, new BranchTarget(h.dispatch));
    } else {
      int pad = b.createBlock();
      b.ins().unwindEdge(normal, new BranchTarget(pad));
      b.sealBlock(pad);
      b.switchToBlock(pad);
      spills.reloadOnUnwind(spill);
      b.ins().jump(h.dispatch);
    }
    b.sealBlock(normal);
    b.switchToBlock(normal);
  }

  /**
   * {@code throw}/{@code throw_ref} of {@code exception} (spec 4.4.8.3-4). When a handler of this
   * function is in scope, the innermost one is the first frame the unwinder would find (no call
   * lies between), so the code branches to its dispatch itself, the exception in {@code
   * caught_exception} as the unwinder leaves it: a throw caught in its own function calls nothing,
   * and its dispatch throws on what no clause matches. Otherwise the throw builtin (the unwinder,
   * which never returns): the block ends in a trap, and the caller's code after it is unreachable.
   * The fuel count was saved before either (InterruptChecks), and the dispatch reloads it.
   */
  void throwException(int exception) {
    Handler h = handlers.isEmpty() ? null : handlers.getLast();
    if (h != null) {
      h.used = true;
      b.ins().store(dev.kiln.ir.Opcode.STORE, MemFlags.RUNTIME, exception, fenv.storeContext(),
          StoreLayout.CAUGHT_EXCEPTION);
      b.ins().jump(h.dispatch);
      return;
    }
    fenv.callBuiltin(Builtin.THROW, exception);
    b.ins().trap(TrapCode.UNREACHABLE);
  }

  /**
   * A {@code try_table}'s dispatch: the exception the unwinder caught (the store context's {@code
   * caught_exception}), each clause tried in order (spec 4.4.8.5: the first whose tag matches, or a
   * {@code catch_all}), its payload loaded and passed to the clause's label with the exception for
   * the {@code _ref} forms; when none matches, the exception is thrown on from here, so an enclosing
   * {@code try_table} of this function or a caller's sees it. Tags match by identity: the instance's
   * tag word ({@code VmLayout.tag}) against the one the exception was made with. The blocks are cold.
   */
  private void buildDispatch(Handler h, FunctionBuilder.Region region) {
    // Every edge into the dispatch comes from the try's body (an unwind edge or a throw while its
    // handler is in scope), built since the try's region began: a local the body does not assign
    // skips it whole (FunctionBuilder#sealBlock(int, Region)), where a read in a handler otherwise
    // searched every one of the body's n unwind edges for it, n x n steps for n locals.
    b.sealBlock(h.dispatch, region);
    b.switchToBlock(h.dispatch);
    b.markCold(h.dispatch);
    interrupts.atLandingPad();
    InstBuilder ins = b.ins();
    int exception = ins.load(dev.kiln.ir.Opcode.LOAD, Type.I64, MemFlags.RUNTIME, fenv.storeContext(),
        StoreLayout.CAUGHT_EXCEPTION);
    for (int i = 0; i < h.kinds.length; i++) {
      boolean ref = h.kinds[i] == InstructionReader.CATCH_REF || h.kinds[i] == InstructionReader.CATCH_ALL_REF;
      if (h.tags[i] < 0) {
        BranchTarget t = clauseTarget(h, i, ref ? new int[] {exception} : new int[0]);
        ins.jump(t.block(), t.args());
        sealEntries(h);
        return;
      }
      int tagWord = ins.load(dev.kiln.ir.Opcode.LOAD, Type.I64, MemFlags.RUNTIME, exception, ExceptionLayout.TAG);
      int matches = ins.icmp(dev.kiln.ir.IntCC.EQ, tagWord, fenv.tagIdentity(h.tags[i]));
      int match = b.createBlock();
      int next = b.createBlock();
      ins.brif(matches, match, next);
      b.sealBlock(match);
      b.sealBlock(next);
      b.switchToBlock(match);
      b.markCold(match);
      List<ValType> payload = tagParams(h.tags[i]);
      int[] values = new int[payload.size() + (ref ? 1 : 0)];
      for (int k = 0; k < payload.size(); k++) {
        values[k] = ins.load(dev.kiln.ir.Opcode.LOAD, ModuleEnvironment.irType(payload.get(k)), MemFlags.RUNTIME,
            exception, ExceptionLayout.value(k));
      }
      if (ref) {
        values[payload.size()] = exception;
      }
      BranchTarget t = clauseTarget(h, i, values);
      ins.jump(t.block(), t.args());
      b.switchToBlock(next);
      b.markCold(next);
    }
    sealEntries(h);
    throwException(exception);
  }

  /**
   * Where clause {@code i} of {@code h} goes with {@code values}: a {@code try_table} clause's
   * label, or a legacy clause's entry block (made here, with the values' types as parameters).
   */
  private BranchTarget clauseTarget(Handler h, int i, int[] values) {
    if (h.labels != null) {
      return labelTarget(h.labels[i], values);
    }
    if (h.entries == null) {
      h.entries = new int[h.tags.length];
      h.entryParams = new int[h.tags.length][];
    }
    h.entries[i] = b.createBlock();
    // the payload's GC references are marked as a label's parameters are, and the exception (the
    // _ref forms' last value, the one rethrow takes): an object of the GC heap, which collections move
    List<ValueType> payload = h.tags[i] < 0 ? List.of()
        : env.module().types().get(env.module().allTagTypeIndices().get(h.tags[i])).paramTypes();
    int[] params = new int[values.length];
    for (int k = 0; k < values.length; k++) {
      int param = b.appendBlockParam(h.entries[i], b.function().dfg().valueType(values[k]));
      params[k] = k < payload.size() ? gc.mark(param, payload.get(k)) : gc.markObject(param);
    }
    h.entryParams[i] = params;
    return new BranchTarget(h.entries[i], values);
  }

  /** A legacy handler's entry blocks: the dispatch, just built, is all that branches to them. */
  private void sealEntries(Handler h) {
    if (h.entries != null) {
      for (int entry : h.entries) {
        b.sealBlock(entry);
      }
    }
  }

  /** Where a branch to label {@code depth} with {@code values} goes: a loop's header, else the merge. */
  private BranchTarget labelTarget(int depth, int[] values) {
    ControlFrame f = control.get(control.size() - 1 - depth);
    f.branchedTo = true;
    return new BranchTarget(f.kind == ControlFrame.Kind.LOOP ? f.header : f.merge, values);
  }
}
