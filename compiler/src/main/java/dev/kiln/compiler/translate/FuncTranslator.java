package dev.kiln.compiler.translate;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.ExceptionLayout;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.ir.BranchTarget;
import dev.kiln.ir.Function;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.ir.analysis.UnsignedRange;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.ir.pass.DeadCodeElimination;
import dev.kiln.ir.pass.LoopLayout;
import dev.kiln.ir.pass.DivisionByConstant;
import dev.kiln.ir.pass.FunctionPass;
import dev.kiln.ir.pass.GlobalValueNumbering;
import dev.kiln.ir.pass.MultiplicationByConstant;
import dev.kiln.ir.pass.PassPipeline;
import dev.kiln.ir.pass.VmctxLoadHoisting;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.LocalDecl;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.GlobalType;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates one validated function body into an IR {@link Function} in SSA form, in one pass over
 * its instructions (spec 5.4, read with {@link InstructionReader}), using the Braun et al. SSA
 * builder ({@link FunctionBuilder}):
 *
 * <ul>
 *   <li>The wasm operand stack is a stack of SSA values; wasm locals are builder variables (a local
 *       read before any write reads zero, spec 4.5.3.8 "locals are initialised to zero", which the
 *       builder provides where no definition reaches).
 *   <li>Each {@code block} and {@code if} gets a merge block whose parameters are the construct's
 *       results; each {@code loop} gets a header whose parameters are the loop's parameters.
 *       Branches pass the top values as block arguments (spec 4.4.8: {@code br l} to a loop passes
 *       its parameters, to a block its results), which is how multi-value results flow.
 *   <li>A block is sealed once every branch to it exists: merge blocks at the construct's {@code
 *       end}, loop headers at the loop's {@code end}, branch continuations at once.
 *   <li>After {@code br}, {@code br_table}, {@code return} and {@code unreachable} the code up to the
 *       enclosing {@code else}/{@code end} is dead (its stack is polymorphic, spec 3.3.8); it is
 *       skipped, counting nested constructs, and emits nothing. A merge block nothing branches to
 *       is never placed, and the code after it is skipped the same way.
 * </ul>
 *
 * <p>Signature (the wasm calling convention): {@code (i64 vmctx, i64 caller_vmctx, params...) ->
 * results}. Memory accesses are explicitly bounds-checked: the address is the zero-extended i32
 * index plus the static offset in 64-bit arithmetic (no wrap), checked with {@code bounds_check}
 * against the memory's length from the VMContext ({@code heap_oob}), then accessed at {@code base
 * + index + offset} (spec 4.4.7); the check is left out when the index's {@link UnsignedRange}
 * (a constant address, a masked or shifted table index) ends below the memory's minimum size. Every instruction carries the module byte offset of the wasm
 * instruction it came from. Operators not translated yet throw {@link UnsupportedFeatureException},
 * which names the operator. With epoch interruption or fuel metering compiled in, {@link
 * InterruptChecks} adds its checks at the entry and at loop headers and keeps the fuel count as each
 * operator is translated.
 */
public final class FuncTranslator {
  /**
   * What runs on every translated function before the backend sees it: division by constants as
   * multiplications ({@link DivisionByConstant}), multiplication by constants next to a power of
   * two, theirs included, as shifts and adds ({@link MultiplicationByConstant}), VMContext loads out of loops, then value
   * numbering (which merges the hoisted copies, repeated memory-base and length loads and the
   * bounds checks they make redundant), then dead code, then each loop laid out in one piece
   * ({@link LoopLayout}). The translation emits one base load, one
   * length load and one bounds check per access; these passes are where the repetition goes
   * (docs/history/performance-journal.md, "Code quality: the three largest causes"). {@code
   * -Dkiln.irPasses=divconst,mulconst,hoist,gvn,dce,layout} (the
   * default; empty for none) chooses them for measurements; with {@code -Dkiln.verifyPasses=true}
   * the IR verifier runs after each pass.
   */
  private static final PassPipeline OPTIMISATIONS = new PassPipeline(
      java.util.Arrays.stream(System.getProperty("kiln.irPasses", "divconst,mulconst,hoist,gvn,dce,layout").split(","))
          .filter(name -> !name.isBlank())
          .map(FuncTranslator::pass)
          .toList(),
      Boolean.getBoolean("kiln.verifyPasses"));

  /**
   * Runs the passes {@link #translate} ends with over {@code f}: the inliner runs them over a caller
   * once it has received its inlined bodies, whose arguments and shared loads they can then fold.
   */
  public static void optimise(Function f) {
    OPTIMISATIONS.run(f);
  }

  private static FunctionPass pass(String name) {
    return switch (name.strip()) {
      case "divconst" -> new DivisionByConstant();
      case "mulconst" -> new MultiplicationByConstant();
      case "hoist" -> new VmctxLoadHoisting();
      case "gvn" -> new GlobalValueNumbering();
      case "dce" -> new DeadCodeElimination();
      case "layout" -> new LoopLayout();
      default -> throw new IllegalArgumentException("kiln.irPasses: unknown pass " + name);
    };
  }

  /** What kind of construct a control frame is. */
  private enum Kind {
    FUNCTION,
    BLOCK,
    LOOP,
    IF,
    ELSE
  }

  /** One entry of the control stack (spec 3.3.1 "labels"). */
  private static final class Frame {
    Kind kind;
    final List<Type> params;
    final List<Type> results;
    /** Operand stack height below the construct's parameters. */
    final int height;
    /** Block/if/function: where the construct continues, with one parameter per result. */
    int merge = -1;
    int[] mergeParams;
    /** Loop: the header, with one parameter per loop parameter. */
    int header = -1;
    /** If: the else branch, and the parameter values it starts with. */
    int elseBlock = -1;
    int[] ifParams;
    boolean branchedTo;
    /** Block, if, loop: the region the construct is to the SSA builder (FunctionBuilder.Region). */
    FunctionBuilder.Region region;
    /**
     * The handler the calls directly in this construct's body unwind to, while {@link
     * #pushesHandler}: a {@code try_table}'s or a legacy {@code try}'s own (in scope until its {@code
     * end}, or the {@code try}'s first {@code catch}), or the one a {@code try ... delegate l} hands
     * its exceptions to (null: to the caller).
     */
    Handler handler;
    /** Whether {@link #handler} is on the handler stack for this construct's body. */
    boolean pushesHandler;
    /** Whether this construct builds {@link #handler}'s dispatch (not so for a delegate's target). */
    boolean ownsHandler;
    /** How many handlers were on the stack when the construct began: those in scope around it. */
    int handlersBelow;
    /** A legacy {@code try}: how many of its clauses began; null for other constructs. */
    LegacyTries.Clauses legacy;
    int clausesBegun;
    /** A legacy {@code catch}/{@code catch_all} clause: the exception it caught ({@code rethrow}). */
    int caughtException = -1;
    /** The construct's wasm parameter and result types, which say which values are GC references. */
    List<ValueType> wasmParams = List.of();
    List<ValueType> wasmResults = List.of();

    Frame(Kind kind, List<Type> params, List<Type> results, int height) {
      this.kind = kind;
      this.params = params;
      this.results = results;
      this.height = height;
    }
  }

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
  private static final class Handler {
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
  private final int funcIndex;
  private final FunctionBody body;
  private final FunctionBuilder b;
  private final FuncEnvironment fenv;
  private final TableOperators tables;
  private final ReferenceOperators references;
  private final GcObjects objects;
  private final GcSafepoints gc;
  private final SafepointSpills spills;
  /** Per local (parameters first): whether it holds GC references ({@link GcSafepoints}). */
  private boolean[] referenceLocals;
  private final NumericOperators numbers;
  private final MemoryAccesses memory;
  private final BulkMemoryTranslator bulkMemory;
  private final InterruptChecks interrupts;
  private final InstructionReader reader;
  private final int[] localVars;
  private final List<Frame> control = new ArrayList<>();
  /**
   * The handlers whose scope the translation is in, innermost last; a null entry is a {@code
   * delegate} to the caller (a call in its scope unwinds straight out of the function).
   */
  private final List<Handler> handlers = new ArrayList<>();
  /** The function's legacy {@code try}s, read at the first one. */
  private LegacyTries legacyTries;
  private final OperandStack stack = new OperandStack();
  private boolean reachable = true;
  /** Constructs opened inside dead code, whose else/end must be skipped too. */
  private int deadDepth;

  private FuncTranslator(ModuleEnvironment env, int definedIndex) {
    this.env = env;
    this.funcIndex = env.importedFunctionCount() + definedIndex;
    this.body = env.module().code().get(definedIndex);
    FuncType type = env.functionType(funcIndex);
    Signature signature = ModuleEnvironment.wasmSignature(type);
    if (signature == null) {
      throw unsupported("reference-typed parameter or result", body.bodyStart());
    }
    Function function = new Function(env.definedFunctionName(definedIndex), signature);
    this.b = new FunctionBuilder(function);
    int entry = b.createBlock();
    b.switchToBlock(entry);
    int[] params = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    this.fenv = new FuncEnvironment(env, b, params[0]);
    this.tables = new TableOperators(env, fenv, b);
    this.references = new ReferenceOperators(b, env.module().typeSection(), fenv, env.layout());
    this.gc = new GcSafepoints(env, b);
    this.objects = new GcObjects(env, fenv, b, this::spillForAllocation);
    this.bulkMemory = new BulkMemoryTranslator(env, fenv, b);
    this.interrupts = new InterruptChecks(env.limits(), fenv, b, body);
    this.localVars = declareLocals(type, params);
    this.spills = new SafepointSpills(b, gc, stack, localVars, referenceLocals);
    // Every proposal on: the body was validated under the module's own features, and the reader
    // decodes the bytes of a valid body the same way under a superset of them.
    this.reader = new InstructionReader(body.source(), body.codeStart(), body.codeEnd());
    this.numbers = new NumericOperators(b, reader, stack);
    this.memory = new MemoryAccesses(env, fenv, b, reader, stack);
    List<Type> results = signature.resultTypes();
    Frame function0 = new Frame(Kind.FUNCTION, List.of(), results, 0);
    function0.merge = b.createBlock();
    function0.mergeParams = appendParams(function0.merge, results, type.resultTypes());
    control.add(function0);
    b.setSourceLoc(body.codeStart());
    interrupts.atFunctionEntry();
  }

  /**
   * Translates defined function {@code definedIndex} of the environment's (validated) module and
   * optimises it ({@link #optimise}).
   *
   * @throws UnsupportedFeatureException when the body uses an operator not translated yet
   */
  public static Function translate(ModuleEnvironment env, int definedIndex) {
    Function f = translateUnoptimised(env, definedIndex);
    OPTIMISATIONS.run(f);
    return f;
  }

  /**
   * Translates defined function {@code definedIndex} without running the optimisation passes: for
   * the inliner, which optimises a caller once, after inlining into it.
   *
   * @throws UnsupportedFeatureException when the body uses an operator not translated yet
   */
  public static Function translateUnoptimised(ModuleEnvironment env, int definedIndex) {
    return new FuncTranslator(env, definedIndex).run();
  }

  private int[] declareLocals(FuncType type, int[] params) {
    long declared = body.localCount();
    // The validator bounds the local count; this guards the int arithmetic below regardless.
    if (declared > 1 << 20) {
      throw unsupported(declared + " locals", body.bodyStart());
    }
    int[] vars = new int[type.params().size() + (int) declared];
    referenceLocals = new boolean[vars.length];
    int n = 0;
    // paramTypes() builds a new list: taken once, not once per parameter (O(P^2) otherwise)
    List<Type> signatureParams = b.function().signature().paramTypes();
    for (int p = 0; p < type.params().size(); p++) {
      CompileDeadline.pollCounted(Phase.FUNCTIONS, p);
      referenceLocals[n] = gc.isReference(type.paramTypes().get(p));
      vars[n] = b.declareVar(signatureParams.get(p + 2));
      b.defVar(vars[n++], params[p + 2]);
    }
    for (LocalDecl decl : body.locals()) {
      Type t = ModuleEnvironment.irType(decl.type());
      if (t == null) {
        throw unsupported(decl.type() + " local", body.bodyStart());
      }
      boolean reference = gc.isReference(decl.valueType());
      for (long i = 0; i < decl.count(); i++) {
        referenceLocals[n] = reference;
        vars[n++] = b.declareVar(t);
      }
    }
    return vars;
  }

  private Function run() {
    int operators = 0;
    while (!control.isEmpty()) {
      if ((++operators & 0xFF) == 0) {
        CompileDeadline.poll();
      }
      Opcode op = reader.next();
      int at = reader.instructionStart();
      b.setSourceLoc(at);
      if (reachable) {
        interrupts.beforeOperator(op);
        translate(op, at);
        interrupts.afterOperator(op);
        if (!reachable) {
          interrupts.pathEnded();
        }
      } else {
        skipDead(op);
      }
    }
    return b.finish();
  }

  private void skipDead(Opcode op) {
    switch (op) {
      case BLOCK, LOOP, IF, TRY_TABLE, TRY -> deadDepth++;
      case ELSE -> {
        if (deadDepth == 0) {
          enterElse();
        }
      }
      case CATCH, CATCH_ALL -> {
        if (deadDepth == 0) {
          beginCatch();
        }
      }
      case END, DELEGATE -> {
        if (deadDepth > 0) {
          deadDepth--;
        } else {
          end();
        }
      }
      default -> {}
    }
  }

  private void translate(Opcode op, int at) {
    InstBuilder ins = b.ins();
    switch (op) {
      case NOP -> {}
      case UNREACHABLE -> {
        ins.trap(TrapCode.UNREACHABLE);
        reachable = false;
      }
      case BLOCK -> {
        FuncType bt = blockType(at);
        Frame f = pushFrame(Kind.BLOCK, bt);
        f.region = b.beginRegion();
        f.merge = b.createBlock();
        f.mergeParams = appendParams(f.merge, f.results, f.wasmResults);
      }
      case LOOP -> {
        FuncType bt = blockType(at);
        Frame f = pushFrame(Kind.LOOP, bt);
        f.region = b.beginRegion();
        f.header = b.createBlock();
        int[] headerParams = appendParams(f.header, f.params, f.wasmParams);
        ins.jump(f.header, stack.popN(f.params.size()));
        b.switchToBlock(f.header);
        spills.useStackReferences(f.height);
        interrupts.atLoopHeader(reader.position());
        stack.pushAll(headerParams);
      }
      case IF -> {
        int cond = stack.pop();
        FuncType bt = blockType(at);
        Frame f = pushFrame(Kind.IF, bt);
        f.region = b.beginRegion();
        f.merge = b.createBlock();
        f.mergeParams = appendParams(f.merge, f.results, f.wasmResults);
        int then = b.createBlock();
        f.elseBlock = b.createBlock();
        f.ifParams = stack.peekN(f.params.size());
        ins.brif(cond, then, f.elseBlock);
        b.sealBlock(then);
        b.sealBlock(f.elseBlock);
        b.switchToBlock(then);
      }
      case ELSE -> enterElse();
      case END -> end();
      case TRY_TABLE -> {
        FuncType bt = blockType(at);
        Handler h = new Handler(b.createBlock(), reader);
        Frame f = pushFrame(Kind.BLOCK, bt);
        f.region = b.beginRegion();
        f.merge = b.createBlock();
        f.mergeParams = appendParams(f.merge, f.results, f.wasmResults);
        enterScope(f, h, true);
      }
      case TRY -> {
        FuncType bt = blockType(at);
        if (legacyTries == null) {
          legacyTries = LegacyTries.of(body);
        }
        LegacyTries.Clauses clauses = legacyTries.at(at);
        // delegate's label is counted outside the try: its handler is found before the try's frame exists
        Handler target = clauses.delegates() ? handlerInside(control.size() - 1 - clauses.delegateLabel()) : null;
        Frame f = pushFrame(Kind.BLOCK, bt);
        f.region = b.beginRegion();
        f.merge = b.createBlock();
        f.mergeParams = appendParams(f.merge, f.results, f.wasmResults);
        f.legacy = clauses;
        if (clauses.delegates()) {
          enterScope(f, target, false);
        } else if (clauses.tags().length > 0) {
          enterScope(f, new Handler(b.createBlock(), clauses.tags()), true);
        }
        // a try without clauses is a block: its exceptions pass through as if it were not there
      }
      case CATCH, CATCH_ALL -> beginCatch();
      case DELEGATE -> end(); // the try's handler was the delegate's target all along
      case RETHROW -> throwException(control.get(control.size() - 1 - reader.index()).caughtException);
      case THROW -> {
        int tag = reader.index();
        List<ValType> payload = tagParams(tag);
        int[] values = stack.popN(payload.size());
        int exception = fenv.callBuiltin(Builtin.EXCEPTION_NEW, fenv.tagIdentity(tag),
            ins.iconst(Type.I32, values.length))[0];
        // No room for the object within the store's memory limit (or the C heap's): a clean trap.
        b.ins().trapz(exception, TrapCode.EXCEPTION_MEMORY_EXHAUSTED);
        for (int i = 0; i < values.length; i++) {
          b.ins().store(dev.kiln.ir.Opcode.STORE, MemFlags.RUNTIME, values[i], exception, ExceptionLayout.value(i));
        }
        throwException(exception);
      }
      case THROW_REF -> {
        int exception = stack.pop();
        ins.trapz(exception, TrapCode.NULL_EXCEPTION_REFERENCE);
        throwException(exception);
      }
      case BR -> {
        BranchTarget t = branchTarget(reader.index());
        ins.jump(t.block(), t.args());
        reachable = false;
      }
      case BR_IF -> {
        int cond = stack.pop();
        BranchTarget t = branchTarget(reader.index());
        int next = b.createBlock();
        ins.brif(cond, t, new BranchTarget(next));
        b.sealBlock(next);
        b.switchToBlock(next);
      }
      case BR_TABLE -> {
        brTable(stack.pop());
        reachable = false;
      }
      case RETURN -> {
        emitReturn(stack.peekN(control.getFirst().results.size()));
        reachable = false;
      }
      case CALL -> {
        int callee = reader.index();
        FuncType type = env.functionType(callee);
        SafepointSpills.CallSpill spill = spills.spillForCall(type.params().size());
        call(callee, at);
        afterCall(spill, type);
      }
      case RETURN_CALL_INDIRECT -> {
        FuncType type = env.module().types().get(reader.index());
        int index = stack.pop();
        tables.returnCallIndirect(reader.index(), reader.secondIndex(), index,
            stack.popN(type.params().size()));
        reachable = false;
      }
      case RETURN_CALL -> {
        int callee = reader.index();
        FuncType type = env.functionType(callee);
        if (ModuleEnvironment.wasmSignature(type) == null) {
          throw unsupported("return_call of a function with reference types", at);
        }
        fenv.returnCallFunction(callee, stack.popN(type.params().size()));
        reachable = false;
      }
      case DROP -> stack.pop();
      case SELECT -> select();
      case SELECT_TYPED -> {
        if (ModuleEnvironment.irType(reader.selectType(0)) == null) {
          throw unsupported("select of " + reader.selectType(0), at);
        }
        select();
        gc.mark(stack.peek(), reader.selectValueType(0));
      }
      case LOCAL_GET -> {
        int local = reader.index();
        int value = b.useVar(localVars[local]);
        stack.push(referenceLocals[local] ? gc.markObject(value) : value);
      }
      case LOCAL_SET -> b.defVar(localVars[reader.index()], stack.pop());
      case LOCAL_TEE -> b.defVar(localVars[reader.index()], stack.peek());
      case GLOBAL_GET -> {
        int g = reader.index();
        stack.push(gc.mark(fenv.globalGet(g, globalIrType(g, at)), env.globalType(g).type()));
      }
      case GLOBAL_SET -> {
        int g = reader.index();
        globalIrType(g, at);
        fenv.globalSet(g, stack.pop());
      }
      case I32_CONST -> stack.push(ins.iconst(Type.I32, reader.i32()));
      case I64_CONST -> stack.push(ins.iconst(Type.I64, reader.i64()));
      case F32_CONST -> stack.push(ins.f32constBits(reader.f32Bits()));
      case F64_CONST -> stack.push(ins.f64constBits(reader.f64Bits()));
      case V128_CONST -> stack.push(ins.vconst(reader.v128Low(), reader.v128High()));
      case CALL_INDIRECT -> {
        FuncType type = env.module().types().get(reader.index());
        SafepointSpills.CallSpill spill = spills.spillForCall(type.params().size() + 1);
        int index = stack.pop();
        stack.pushAll(tables.callIndirect(reader.index(), reader.secondIndex(), index, stack.popN(type.params().size()),
            () -> unwindEdge(spill)));
        afterEdgedCall(spill, type);
      }
      case CALL_REF -> {
        FuncType type = env.module().types().get(reader.index());
        SafepointSpills.CallSpill spill = spills.spillForCall(type.params().size() + 1);
        int ref = stack.pop();
        stack.pushAll(tables.callRef(reader.index(), ref, stack.popN(type.params().size())));
        afterCall(spill, type);
      }
      case RETURN_CALL_REF -> {
        FuncType type = env.module().types().get(reader.index());
        int ref = stack.pop();
        tables.returnCallRef(reader.index(), ref, stack.popN(type.params().size()));
        reachable = false;
      }
      case REF_AS_NON_NULL -> ins.trapz(stack.peek(), TrapCode.NULL_REFERENCE);
      case BR_ON_NULL -> {
        int ref = stack.pop();
        BranchTarget t = branchTarget(reader.index());
        int next = b.createBlock();
        ins.brif(tables.refIsNull(ref), t, new BranchTarget(next));
        b.sealBlock(next);
        b.switchToBlock(next);
        stack.push(ref);
      }
      case BR_ON_NON_NULL -> {
        // the label receives the reference as its last value; the fall-through drops it
        int isNull = tables.refIsNull(stack.peek());
        BranchTarget t = branchTarget(reader.index());
        int next = b.createBlock();
        ins.brif(isNull, new BranchTarget(next), t);
        b.sealBlock(next);
        b.switchToBlock(next);
        stack.pop();
      }
      // GC: objects in the store's heap (GcObjects), tests on the reference word (ReferenceOperators)
      case STRUCT_NEW -> stack.push(gc.markObject(objects.structNew(reader.index(),
          stack.popN(((dev.kiln.wasm.types.StructType) env.module().typeSection().subTypes().get(reader.index()).composite())
              .fields().size()))));
      case STRUCT_NEW_DEFAULT -> stack.push(gc.markObject(objects.structNew(reader.index(), new int[0])));
      case STRUCT_GET, STRUCT_GET_S, STRUCT_GET_U -> stack.push(gc.mark(
          objects.structGet(reader.index(), reader.secondIndex(), stack.pop(), op == dev.kiln.wasm.code.Opcode.STRUCT_GET_S),
          ((dev.kiln.wasm.types.StructType) env.module().typeSection().subTypes().get(reader.index()).composite())
              .fields().get(reader.secondIndex()).storage()));
      case STRUCT_SET -> {
        int value = stack.pop();
        objects.structSet(reader.index(), reader.secondIndex(), stack.pop(), value);
      }
      case ARRAY_NEW -> {
        int length = stack.pop();
        stack.push(gc.markObject(objects.arrayNew(reader.index(), stack.pop(), length)));
      }
      case ARRAY_NEW_DEFAULT -> stack.push(gc.markObject(objects.arrayNew(reader.index(), null, stack.pop())));
      case ARRAY_NEW_FIXED -> stack.push(gc.markObject(objects.arrayNewFixed(reader.index(), stack.popN(reader.secondIndex()))));
      case ARRAY_NEW_DATA, ARRAY_NEW_ELEM -> {
        int length = stack.pop();
        stack.push(gc.markObject(objects.arrayNewSegment(reader.index(), op == dev.kiln.wasm.code.Opcode.ARRAY_NEW_DATA,
            reader.secondIndex(), stack.pop(), length)));
      }
      case ARRAY_GET, ARRAY_GET_S, ARRAY_GET_U -> {
        int index = stack.pop();
        stack.push(gc.mark(objects.arrayGet(reader.index(), stack.pop(), index, op == dev.kiln.wasm.code.Opcode.ARRAY_GET_S),
            ((dev.kiln.wasm.types.ArrayType) env.module().typeSection().subTypes().get(reader.index()).composite())
                .element().storage()));
      }
      case ARRAY_SET -> {
        int value = stack.pop();
        int index = stack.pop();
        objects.arraySet(reader.index(), stack.pop(), index, value);
      }
      case ARRAY_LEN -> stack.push(objects.arrayLen(stack.pop()));
      case ARRAY_FILL -> {
        int n = stack.pop();
        int value = stack.pop();
        int offset = stack.pop();
        objects.arrayFill(reader.index(), stack.pop(), offset, value, n);
      }
      case ARRAY_COPY -> {
        int n = stack.pop();
        int sourceOffset = stack.pop();
        int source = stack.pop();
        int destinationOffset = stack.pop();
        objects.arrayCopy(reader.index(), stack.pop(), destinationOffset, source, sourceOffset, n);
      }
      case ARRAY_INIT_DATA, ARRAY_INIT_ELEM -> {
        int n = stack.pop();
        int sourceOffset = stack.pop();
        int offset = stack.pop();
        objects.arrayInitSegment(reader.index(), op == dev.kiln.wasm.code.Opcode.ARRAY_INIT_DATA,
            reader.secondIndex(), stack.pop(), offset, sourceOffset, n);
      }
      case REF_I31 -> stack.push(references.refI31(stack.pop()));
      case I31_GET_S, I31_GET_U -> stack.push(references.i31Get(stack.pop(), op == dev.kiln.wasm.code.Opcode.I31_GET_S));
      case REF_EQ -> {
        int y = stack.pop();
        stack.push(references.refEq(stack.pop(), y));
      }
      case ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> {}
      case REF_TEST, REF_TEST_NULL -> stack.push(references.test(stack.pop(), reader.castTargetType()));
      case REF_CAST, REF_CAST_NULL -> references.cast(stack.peek(), reader.castTargetType());
      case BR_ON_CAST, BR_ON_CAST_FAIL -> {
        // the reference stays on the stack on both edges: the label's last value, or what remains
        int matches = references.test(stack.peek(), reader.castTargetType());
        BranchTarget t = branchTarget(reader.index());
        int next = b.createBlock();
        if (op == dev.kiln.wasm.code.Opcode.BR_ON_CAST) {
          ins.brif(matches, t, new BranchTarget(next));
        } else {
          ins.brif(matches, new BranchTarget(next), t);
        }
        b.sealBlock(next);
        b.switchToBlock(next);
      }
      case REF_NULL -> stack.push(tables.refNull());
      case REF_IS_NULL -> stack.push(tables.refIsNull(stack.pop()));
      case REF_FUNC -> stack.push(tables.refFunc(reader.index()));
      case TABLE_GET -> stack.push(gc.mark(tables.get(reader.index(), stack.pop()), env.tableType(reader.index()).reference()));
      case TABLE_SET -> {
        int value = stack.pop();
        tables.set(reader.index(), stack.pop(), value);
      }
      case TABLE_SIZE -> stack.push(tables.size(reader.index()));
      case TABLE_GROW -> {
        int delta = stack.pop();
        stack.push(tables.grow(reader.index(), stack.pop(), delta));
      }
      case TABLE_FILL -> {
        int n = stack.pop();
        int value = stack.pop();
        tables.fill(reader.index(), stack.pop(), value, n);
      }
      case TABLE_COPY -> {
        int n = stack.pop();
        int src = stack.pop();
        tables.copy(reader.index(), reader.secondIndex(), stack.pop(), src, n);
      }
      case TABLE_INIT -> {
        int n = stack.pop();
        int src = stack.pop();
        tables.init(reader.index(), reader.secondIndex(), stack.pop(), src, n);
      }
      case ELEM_DROP -> tables.elemDrop(reader.index());
      case MEMORY_SIZE -> memory.size(reader.memoryIndex());
      case MEMORY_GROW -> memory.grow(reader.memoryIndex());
      case MEMORY_FILL -> {
        int n = stack.pop();
        int value = stack.pop();
        bulkMemory.fill(reader.memoryIndex(), stack.pop(), value, n);
      }
      case MEMORY_COPY -> {
        int n = stack.pop();
        int src = stack.pop();
        bulkMemory.copy(reader.index(), reader.secondIndex(), stack.pop(), src, n);
      }
      case MEMORY_INIT -> {
        int n = stack.pop();
        int src = stack.pop();
        bulkMemory.init(reader.index(), reader.secondIndex(), stack.pop(), src, n);
      }
      case DATA_DROP -> bulkMemory.drop(reader.index());
      default -> {
        IntegerOperator integer = IntegerOperator.of(op);
        if (integer != null) {
          numbers.integer(integer);
          return;
        }
        MemoryOperator access = MemoryOperator.of(op);
        if (access != null) {
          reachable = memory.access(access);
          return;
        }
        FloatOperator floating = FloatOperator.of(op);
        if (floating != null && floating.shape() == FloatOperator.Shape.MEMORY) {
          reachable = memory.access(floating.memory());
          return;
        }
        if (floating != null) {
          numbers.floating(floating);
          return;
        }
        VectorOperator vector = VectorOperator.of(op);
        if (vector != null && vector.memory() != null) {
          reachable = memory.vectorAccess(vector);
          return;
        }
        if (vector != null) {
          numbers.vector(vector);
          return;
        }
        throw unsupported(op.mnemonic(), at);
      }
    }
  }

  // ---------------------------------------------------------------- control

  private FuncType blockType(int at) {
    int typeIndex = reader.blockTypeIndex();
    FuncType type;
    if (typeIndex != InstructionReader.NO_TYPE_INDEX) {
      type = env.module().types().get(typeIndex);
    } else if (reader.blockValType() == null) {
      type = new FuncType(List.of(), List.of());
    } else {
      type = new FuncType(List.of(), List.of(reader.blockValType()));
    }
    for (ValType t : type.params()) {
      requireNumber(t, at);
    }
    for (ValType t : type.results()) {
      requireNumber(t, at);
    }
    return type;
  }

  private void requireNumber(ValType t, int at) {
    if (ModuleEnvironment.irType(t) == null) {
      throw unsupported("block of type " + t, at);
    }
  }

  private Frame pushFrame(Kind kind, FuncType type) {
    List<Type> params = type.params().stream().map(ModuleEnvironment::irType).toList();
    List<Type> results = type.results().stream().map(ModuleEnvironment::irType).toList();
    Frame f = new Frame(kind, params, results, stack.height() - params.size());
    f.handlersBelow = handlers.size();
    f.wasmParams = type.paramTypes();
    f.wasmResults = type.resultTypes();
    control.add(f);
    spills.defineStackReferences(f.height);
    return f;
  }

  /** Gives {@code block} one parameter per type, marking the GC references ({@link GcSafepoints}). */
  private int[] appendParams(int block, List<Type> types, List<ValueType> wasmTypes) {
    int[] values = new int[types.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = gc.mark(b.appendBlockParam(block, types.get(i)), wasmTypes.get(i));
    }
    return values;
  }

  /**
   * {@code br_table} (spec 4.4.8) on {@code index}. A label the table names once (the default
   * counts) is branched to directly with the values it takes. A label it names more than once gets
   * a landing block without parameters, which every entry naming the label branches to, and which
   * jumps to the label with the values: the values are passed once per label, and an entry is one
   * edge without arguments. The SSA form's merged locals ride on the landing block's jump too
   * (FunctionBuilder reads through a block whose edges all leave one block). Without it each entry
   * copied every value and every merged local: 300,000 entries to a loop of 1,000 parameters were
   * 300 million arguments in the IR, the allocator's edges and liveness (issue 35).
   */
  private void brTable(int index) {
    int count = reader.brTableCount();
    Map<Integer, Integer> named = new HashMap<>();
    named.merge(reader.brTableDefault(), 1, Integer::sum);
    for (int i = 0; i < count; i++) {
      named.merge(reader.brTableTarget(i), 1, Integer::sum);
    }
    // Per label depth, in the order first named: the label's branch target or its landing block.
    Map<Integer, BranchTarget> byDepth = new LinkedHashMap<>();
    BranchTarget otherwise = byDepth.computeIfAbsent(reader.brTableDefault(), depth -> tableDestination(depth, named));
    List<BranchTarget> table = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if ((i & 0xFF) == 0xFF) {
        CompileDeadline.poll(); // one operator, but as much work as its entries: the budget must see it
      }
      table.add(byDepth.computeIfAbsent(reader.brTableTarget(i), depth -> tableDestination(depth, named)));
    }
    b.ins().brTable(index, otherwise, table);
    byDepth.forEach((depth, target) -> {
      if (named.get(depth) > 1) {
        b.sealBlock(target.block()); // the table is its only branch
        b.switchToBlock(target.block());
        BranchTarget label = branchTarget(depth);
        b.ins().jump(label.block(), label.args());
      }
    });
  }

  /**
   * Where a {@code br_table}'s destinations naming the label at {@code depth} go: a new landing
   * block when the table names the label {@code named} more than once, else the label itself.
   */
  private BranchTarget tableDestination(int depth, Map<Integer, Integer> named) {
    return named.get(depth) > 1 ? new BranchTarget(b.createBlock()) : branchTarget(depth);
  }

  /** Where {@code br depth} goes and what it passes: a loop's parameters, else the results. */
  private BranchTarget branchTarget(int depth) {
    Frame f = control.get(control.size() - 1 - depth);
    f.branchedTo = true;
    if (f.kind == Kind.LOOP) {
      return new BranchTarget(f.header, stack.peekN(f.params.size()));
    }
    return new BranchTarget(f.merge, stack.peekN(f.results.size()));
  }

  private void enterElse() {
    Frame f = control.getLast();
    if (reachable) {
      b.ins().jump(f.merge, stack.peekN(f.results.size()));
      f.branchedTo = true;
    }
    stack.truncate(f.height);
    stack.pushAll(f.ifParams);
    f.kind = Kind.ELSE;
    b.switchToBlock(f.elseBlock);
    spills.useStackReferences(f.height);
    reachable = true;
  }

  private void end() {
    Frame f = control.removeLast();
    leaveScope(f);
    if (f.kind == Kind.LOOP) {
      // Every back edge is known now. The loop's results are simply what the body left.
      b.sealBlock(f.header, f.region);
      return;
    }
    if (f.kind == Kind.FUNCTION && reachable && !f.branchedTo) {
      emitReturn(stack.peekN(f.results.size()));
      reachable = false;
      return;
    }
    if (reachable) {
      b.ins().jump(f.merge, stack.peekN(f.results.size()));
      f.branchedTo = true;
    }
    if (f.kind == Kind.IF) {
      // No else: the false branch passes the parameters through as results (spec 3.3.8.5: an
      // if without else has type [t*] -> [t*]).
      b.switchToBlock(f.elseBlock);
      b.ins().jump(f.merge, f.ifParams);
      f.branchedTo = true;
    }
    stack.truncate(f.height);
    if (!f.branchedTo) {
      reachable = false;
      return;
    }
    b.switchToBlock(f.merge);
    if (f.region != null) {
      b.sealBlock(f.merge, f.region);
    } else {
      b.sealBlock(f.merge); // the function's own merge: no region before the entry
    }
    spills.useStackReferences(f.height);
    reachable = true;
    if (f.kind == Kind.FUNCTION) {
      emitReturn(f.mergeParams);
      reachable = false;
    } else {
      stack.pushAll(f.mergeParams);
    }
  }

  // ---------------------------------------------------------------- exceptions

  /** Puts {@code h} in scope for the body of {@code f}; {@code owns}: {@code f} builds its dispatch. */
  private void enterScope(Frame f, Handler h, boolean owns) {
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
  private void leaveScope(Frame f) {
    if (!f.pushesHandler) {
      return;
    }
    handlers.removeLast();
    f.pushesHandler = false;
    if (f.ownsHandler && f.handler.used) {
      int current = b.currentBlock();
      boolean wasReachable = reachable;
      buildDispatch(f.handler);
      b.switchToBlock(current);
      reachable = wasReachable;
    }
  }

  /**
   * The handler in scope just inside the construct at control stack index {@code index}: where a
   * {@code try ... delegate l} naming it hands its exceptions (legacy proposal: {@code delegate l}
   * throws the exception again at label {@code l}, so a {@code try} label in its body catches it,
   * any other label passes it to the handlers around it, the function's label to the caller).
   * Null when none is: the caller.
   */
  private Handler handlerInside(int index) {
    Frame f = control.get(index);
    if (f.pushesHandler) {
      return f.handler;
    }
    return f.handlersBelow == 0 ? null : handlers.get(f.handlersBelow - 1);
  }

  /**
   * A legacy {@code catch x} or {@code catch_all} (legacy proposal, binary 0x07 and 0x19): ends the
   * code before it (the try's body, or the previous clause's) with a branch to the try's end, the
   * first one also ends the handler's scope and builds its dispatch; then the clause's code starts
   * in the block the dispatch branches to, with the payload on the stack ({@code catch x}) and the
   * exception kept for {@code rethrow}. When no call of the body can throw, the clauses are dead.
   */
  private void beginCatch() {
    Frame f = control.getLast();
    if (reachable) {
      b.ins().jump(f.merge, stack.peekN(f.results.size()));
      f.branchedTo = true;
    }
    if (f.clausesBegun == 0) {
      leaveScope(f);
    }
    int clause = f.clausesBegun++;
    stack.truncate(f.height);
    Handler h = f.handler;
    if (h.entries == null) {
      reachable = false;
      return;
    }
    b.switchToBlock(h.entries[clause]);
    spills.useStackReferences(f.height);
    int[] params = h.entryParams[clause];
    stack.pushAll(Arrays.copyOf(params, params.length - 1));
    f.caughtException = params[params.length - 1];
    reachable = true;
  }

  /** The parameter types of tag {@code tag}'s type: its payload (spec 3.2.x, tag types). */
  private List<ValType> tagParams(int tag) {
    return env.module().types().get(env.module().allTagTypeIndices().get(tag)).params();
  }

  /**
   * Gives the call just built (the current block's last instruction: every wasm call ends with its
   * call instruction) an exceptional edge to the innermost {@code try_table}'s dispatch, when a
   * {@code try_table} is in scope; the translation goes on in the call's normal successor. A call
   * outside every {@code try_table} stays a plain call: an exception passes through its frame.
   */
  private void unwindEdge() {
    unwindEdge(null);
  }

  /**
   * {@link #unwindEdge()} of a safepoint call: an exception caught in this frame after a collection
   * under the call must see the reference locals' new addresses too, so the edge goes to a pad that
   * loads them back from the call's slots before it joins the dispatch; the same for the references
   * on the stack below the call's operands, which a catch's label keeps when it is an enclosing frame's.
   */
  private void unwindEdge(SafepointSpills.CallSpill spill) {
    Handler h = handlers.isEmpty() ? null : handlers.getLast();
    if (h == null) {
      return;
    }
    h.used = true;
    int normal = b.createBlock();
    if (spill == null || spill.locals().length == 0 && spill.stackPositions().length == 0) {
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

  /** The frame's GC references spilled around an allocation's slow path ({@link GcObjects}). */
  private GcObjects.Spilled spillForAllocation(int[] held) {
    return spills.spillForAllocation(held);
  }

  /**
   * After a call of type {@code type} (its results on the stack): marks the results that are GC
   * references, gives the call its stack map and exceptional edge, and loads the spilled references
   * back in place of the values from before the call.
   */
  private void afterCall(SafepointSpills.CallSpill spill, FuncType type) {
    unwindEdge(spill);
    afterEdgedCall(spill, type);
  }

  /**
   * {@link #afterCall} of an operator that gave each of its calls its exceptional edge itself (a
   * {@code call_indirect} may be several guarded direct calls and the checked one, in blocks of their own).
   */
  private void afterEdgedCall(SafepointSpills.CallSpill spill, FuncType type) {
    gc.mark(stack.peekN(type.results().size()), type.resultTypes());
    if (spill == null) {
      return;
    }
    spills.restoreAfterCall(spill);
  }

  /**
   * {@code throw}/{@code throw_ref} of {@code exception} (spec 4.4.8.3-4): the throw builtin, with an
   * exceptional edge when a {@code try_table} of this function is in scope. The builtin never returns.
   */
  private void throwException(int exception) {
    fenv.callBuiltin(Builtin.THROW, exception);
    unwindEdge();
    b.ins().trap(TrapCode.UNREACHABLE);
    reachable = false;
  }

  /**
   * A {@code try_table}'s dispatch: the exception the unwinder caught (the store context's {@code
   * caught_exception}), each clause tried in order (spec 4.4.8.5: the first whose tag matches, or a
   * {@code catch_all}), its payload loaded and passed to the clause's label with the exception for
   * the {@code _ref} forms; when none matches, the exception is thrown on from here, so an enclosing
   * {@code try_table} of this function or a caller's sees it. Tags match by identity: the instance's
   * tag word ({@code VmLayout.tag}) against the one the exception was made with. The blocks are cold.
   */
  private void buildDispatch(Handler h) {
    b.sealBlock(h.dispatch);
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
    // the payload's GC references are marked as a label's parameters are; the exception (the _ref
    // forms' last value) never moves
    List<ValueType> payload = h.tags[i] < 0 ? List.of()
        : env.module().types().get(env.module().allTagTypeIndices().get(h.tags[i])).paramTypes();
    int[] params = new int[values.length];
    for (int k = 0; k < values.length; k++) {
      int param = b.appendBlockParam(h.entries[i], b.function().dfg().valueType(values[k]));
      params[k] = k < payload.size() ? gc.mark(param, payload.get(k)) : param;
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
    Frame f = control.get(control.size() - 1 - depth);
    f.branchedTo = true;
    return new BranchTarget(f.kind == Kind.LOOP ? f.header : f.merge, values);
  }

  /** Returns {@code values} from the function, after the store has the function's fuel count. */
  private void emitReturn(int[] values) {
    interrupts.beforeReturn();
    b.ins().ret(values);
  }

  private void call(int callee, int at) {
    FuncType type = env.functionType(callee);
    if (ModuleEnvironment.wasmSignature(type) == null) {
      throw unsupported("call of a function with reference types", at);
    }
    stack.pushAll(fenv.callFunction(callee, stack.popN(type.params().size())));
  }

  private void select() {
    int cond = stack.pop();
    int otherwise = stack.pop();
    int then = stack.pop();
    stack.push(b.ins().select(cond, then, otherwise));
  }

  private Type globalIrType(int globalIndex, int at) {
    GlobalType g = env.globalType(globalIndex);
    Type t = ModuleEnvironment.irType(g.valueType());
    if (t == null) {
      throw unsupported("global of type " + g.valueType(), at);
    }
    return t;
  }

  private UnsupportedFeatureException unsupported(String what, int at) {
    return new UnsupportedFeatureException(what, at, funcIndex);
  }
}
