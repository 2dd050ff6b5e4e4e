package dev.kiln.compiler.translate;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.ir.BranchTarget;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.ir.analysis.UnsignedRange;
import dev.kiln.ir.builder.FunctionBuilder;
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
import java.util.function.BiFunction;

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
 *
 * <p>This class owns the walk over the body, the control frames and branches, and the operator
 * switch; the operand stack, the numeric and memory operators, the exception handlers, the GC
 * spills around calls and the pass pipeline are classes of their own (package-info).
 */
public final class FuncTranslator {
  /**
   * Runs the passes {@link #translate} ends with over {@code f}: the inliner runs them over a caller
   * once it has received its inlined bodies, whose arguments and shared loads they can then fold.
   */
  public static void optimise(Function f) {
    OptimisationPasses.run(f);
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
  private final NullChecks nulls;
  private final SafepointSpills spills;
  private final ExceptionHandlers exceptions;
  /** Per local (parameters first): whether it holds GC references ({@link GcSafepoints}). */
  private boolean[] referenceLocals;
  /**
   * Per local (parameters first): whether its wasm type is non-nullable. Only a frame-resident one's
   * read is a value of its own ({@link NullChecks}); another's is the value last stored, which may
   * be a nullable local's too, known not null only where it was checked.
   */
  private boolean[] nonNullableLocals;
  private final NumericOperators numbers;
  private final MemoryAccesses memory;
  private final BulkMemoryTranslator bulkMemory;
  private final InterruptChecks interrupts;
  private final InstructionReader reader;
  private final int[] localVars;
  private final List<ControlFrame> control = new ArrayList<>();
  private final OperandStack stack = new OperandStack();
  private boolean reachable = true;
  /** Constructs opened inside dead code, whose else/end must be skipped too. */
  private int deadDepth;

  private FuncTranslator(ModuleEnvironment env, int definedIndex, boolean presize, boolean spillBudgetPassed,
      BiFunction<ExternalName, Signature, Function> emptyFunctions) {
    this.env = env;
    this.funcIndex = env.importedFunctionCount() + definedIndex;
    this.body = env.module().code().get(definedIndex);
    env.irBudget().requireRoom(funcIndex, body.bodyStart());
    FuncType type = env.functionType(funcIndex);
    Signature signature = env.functionSignature(funcIndex);
    if (signature == null) {
      throw unsupported("reference-typed parameter or result", body.bodyStart());
    }
    Function function = emptyFunctions.apply(env.definedFunctionName(definedIndex), signature);
    int bodyBytes = body.codeEnd() - body.codeStart();
    if (presize) {
      reserve(function, bodyBytes);
    }
    this.b = new FunctionBuilder(function);
    int entry = b.createBlock();
    b.switchToBlock(entry);
    int[] params = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    this.fenv = new FuncEnvironment(env, b, params[0]);
    this.nulls = new NullChecks(b);
    this.tables = new TableOperators(env, fenv, b, nulls);
    this.references = new ReferenceOperators(b, env.module().typeSection(), fenv, env.layout(), nulls);
    this.gc = new GcSafepoints(env, b, nulls);
    this.bulkMemory = new BulkMemoryTranslator(env, fenv, b);
    this.interrupts = new InterruptChecks(env.limits(), fenv, b, body);
    this.localVars = declareLocals(type, params);
    // Every proposal on: the body was validated under the module's own features, and the reader
    // decodes the bytes of a valid body the same way under a superset of them.
    this.reader = new InstructionReader(body.source(), body.codeStart(), body.codeEnd());
    this.spills = new SafepointSpills(b, gc, nulls, stack, localVars, ReferenceLiveness.of(body, referenceLocals),
        reader::instructionStart, body.codeEnd() - body.codeStart(), spillBudgetPassed);
    this.objects = new GcObjects(env, fenv, b, spills, nulls);
    this.exceptions = new ExceptionHandlers(env, fenv, b, gc, spills, interrupts, body, control);
    this.numbers = new NumericOperators(b, reader, stack);
    this.memory = new MemoryAccesses(env, fenv, b, reader, stack);
    List<Type> results = signature.resultTypes();
    ControlFrame function0 = new ControlFrame(ControlFrame.Kind.FUNCTION, List.of(), results, 0);
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
    Function f = translate(env, definedIndex, false, Function::new);
    optimise(f);
    return f;
  }

  /**
   * As {@link #translate}, for a function compiled and then dropped: its graph and layout are the
   * compile worker's ({@code graphs}, given back once the function is compiled), with the graph's and
   * layout's arrays made at least as large as its body's bytes predict ({@link #reserve}). {@link
   * #translate} leaves them new and to grow, for the inliner's callees, which stay in memory for the
   * whole compile.
   */
  public static Function translateForCompile(ModuleEnvironment env, int definedIndex, ReusedGraph graphs) {
    Function f = translateUnoptimised(env, definedIndex, graphs);
    optimise(f);
    return f;
  }

  /**
   * As {@link #translateForCompile}, without running the optimisation passes: for the inliner, which
   * optimises a caller once, after inlining into it. Operands may name aliases until {@link #optimise}
   * resolves them.
   *
   * @throws UnsupportedFeatureException when the body uses an operator not translated yet
   */
  public static Function translateUnoptimised(ModuleEnvironment env, int definedIndex, ReusedGraph graphs) {
    return translate(env, definedIndex, true, graphs::take);
  }

  /**
   * The SSA builder's work translating the function (without the spilled form's second try): its
   * definitions-table accesses and its climbs' steps, for tests that count it rather than time it.
   */
  static long builderWork(ModuleEnvironment env, int definedIndex) {
    FuncTranslator t = new FuncTranslator(env, definedIndex, false, false, Function::new);
    t.run();
    return t.b.definitionTableAccesses() + t.b.regionClimbSteps();
  }

  /**
   * Translates the function with its GC references spilled around each safepoint, or, when that
   * passes its {@link SpillBudget} or, having spilled, the IR that budget allows ({@link
   * SpillBudget#irAllowance}), again from the start with them frame-resident ({@link
   * SafepointSpills}): the abandoned translation stopped there, so it cost no more than the budget
   * allows.
   */
  private static Function translate(ModuleEnvironment env, int definedIndex, boolean presize,
      BiFunction<ExternalName, Signature, Function> emptyFunctions) {
    try {
      return new FuncTranslator(env, definedIndex, presize, false, emptyFunctions).run();
    } catch (SpillBudget.Passed passed) {
      return new FuncTranslator(env, definedIndex, presize, true, emptyFunctions).run();
    }
  }

  /** Per body byte: instructions, values, blocks, block calls and list slots to reserve (1/1024ths). */
  private static final int INSTS_PER_KB = 680;
  private static final int VALUES_PER_KB = 590;
  private static final int BLOCKS_PER_KB = 100;
  private static final int BLOCK_CALLS_PER_KB = 125;
  private static final int LIST_SLOTS_PER_KB = 1740;
  /** Past a body of this many bytes (yosys's largest is 228 KB) the arrays grow as they need. */
  private static final int MAX_RESERVED_BODY_BYTES = 256 * 1024;

  /**
   * Makes {@code function}'s graph and layout about as large as a body of {@code bodyBytes} bytes
   * ends up, inlining and every pass included, so they are not copied on the way there (each
   * doubling copies every array of its kind: 13% of the bytes a yosys compile allocated). Measured
   * on yosys's 34,004 compiled functions (x86-64): per body byte, at the 90th percentile of
   * functions over 200 bytes, 0.66 instructions, 0.57 values, 0.09 blocks, 0.12 block calls and
   * 1.68 list slots (medians 0.47, 0.41, 0.06, 0.07, 1.24). Only a capacity: the IR, and so the
   * artifact, is the same. The bytes counted stop at {@link #MAX_RESERVED_BODY_BYTES}, so a body
   * of bytes that make no IR (nops) reserves no more than a real function's worth.
   */
  private static void reserve(Function function, int bodyBytes) {
    long bytes = Math.min(Math.max(bodyBytes, 0), MAX_RESERVED_BODY_BYTES);
    int insts = (int) (16 + bytes * INSTS_PER_KB / 1024);
    int blocks = (int) (4 + bytes * BLOCKS_PER_KB / 1024);
    function.dfg().reserve(insts, (int) (16 + bytes * VALUES_PER_KB / 1024), blocks,
        (int) (4 + bytes * BLOCK_CALLS_PER_KB / 1024), (int) (64 + bytes * LIST_SLOTS_PER_KB / 1024));
    function.layout().reserve(blocks, insts);
  }

  /**
   * The most locals a function may declare to be compiled: 50,000, the JS API's limit ("the maximum
   * number of locals declared in a function, including implicitly declared as parameters, is
   * 50000"; parameters are bounded apart, by the decoder's 1,000). The spec's bound is 2^32 - 1
   * (spec 5.5.13), which five bytes of declarations reach, and a variable and a slot of each
   * per-local table are made for every local, read or not: at 2^20, a 10.9 KB module of 1,000 such
   * functions took 23 s of CPU and 819 MB (red team 30 F2). Refused before any is declared.
   */
  static final int MAX_LOCALS = 50_000;

  private int[] declareLocals(FuncType type, int[] params) {
    long declared = body.localCount();
    if (declared > MAX_LOCALS) {
      throw unsupported(declared + " locals", body.bodyStart());
    }
    int[] vars = new int[type.params().size() + (int) declared];
    referenceLocals = new boolean[vars.length];
    nonNullableLocals = new boolean[vars.length];
    int n = 0;
    // paramTypes() builds a new list: taken once, not once per parameter (O(P^2) otherwise)
    List<Type> signatureParams = b.function().signature().paramTypes();
    for (int p = 0; p < type.params().size(); p++) {
      CompileDeadline.pollCounted(Phase.FUNCTIONS, p);
      referenceLocals[n] = gc.isReference(type.paramTypes().get(p));
      nonNullableLocals[n] = NullChecks.isNonNullable(type.paramTypes().get(p));
      vars[n] = b.declareVar(signatureParams.get(p + 2));
      b.defVar(vars[n++], nulls.note(params[p + 2], type.paramTypes().get(p)));
    }
    for (LocalDecl decl : body.locals()) {
      Type t = ModuleEnvironment.irType(decl.type());
      if (t == null) {
        throw unsupported(decl.type() + " local", body.bodyStart());
      }
      boolean reference = gc.isReference(decl.valueType());
      boolean nonNullable = NullChecks.isNonNullable(decl.valueType());
      for (long i = 0; i < decl.count(); i++) {
        referenceLocals[n] = reference;
        nonNullableLocals[n] = nonNullable;
        vars[n++] = b.declareVar(t);
      }
    }
    return vars;
  }

  private Function run() {
    int operators = 0;
    long bodyBytes = body.codeEnd() - body.codeStart();
    long irLimit = IrSizeLimit.limitFor(bodyBytes);
    // Past its spill budget's worth of IR, a spilled form that has spilled is taken for one whose
    // spills cost more than its bytes pay for (N references across M safepoints make N x M; a
    // loop's parameters per reference are not counted as spills), and the frame-resident form,
    // linear in the body, is tried. Stopped there, an abandoned form costs what its budget allows,
    // which stopping at the function's limit did not (2 KB functions abandoned at 2^21 units each,
    // a second apiece).
    long spilledLimit = Math.min(irLimit, SpillBudget.irAllowance(bodyBytes));
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
      if (b.function().dfg().size() > spilledLimit) {
        if (spills.spilledAny()) {
          // A function is refused only when its frame-resident form passes the limit (30 KB of
          // struct.new and calls was, at 5,500 of each, while its spilled form was under its
          // spill budget).
          throw new SpillBudget.Passed();
        }
        IrSizeLimit.check(b.function().dfg(), irLimit, funcIndex, at);
      }
    }
    spills.finish();
    env.irBudget().charge(IrSizeLimit.functionCharge(b.function().dfg().size()), funcIndex, body.bodyStart());
    // Every translation is optimised next (optimise; the inliner's callers after their inlining),
    // and the pipeline resolves the aliases as it goes.
    return b.finishLeavingAliases();
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

  /**
   * Translates one reachable operator. The exception-handling, typed-reference and GC, table and
   * bulk-memory operators have methods of their own: this one runs for every operator of every
   * function, and C2 compiles a method whole, arms never taken included (the launcher's
   * large-compile line leaves untaken branches no traps, {@code -XX:PerMethodTrapLimit=0}), so the
   * arms of proposals most modules never use made its compile the JIT's largest (docs/PERFORMANCE.md,
   * "A large module: CPU").
   */
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
        ControlFrame f = pushFrame(ControlFrame.Kind.BLOCK, bt);
        f.region = b.beginRegion();
        f.merge = b.createBlock();
        f.mergeParams = appendParams(f.merge, f.results, f.wasmResults);
      }
      case LOOP -> {
        FuncType bt = blockType(at);
        ControlFrame f = pushFrame(ControlFrame.Kind.LOOP, bt);
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
        ControlFrame f = pushFrame(ControlFrame.Kind.IF, bt);
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
      case TRY_TABLE, TRY, CATCH, CATCH_ALL, DELEGATE, RETHROW, THROW, THROW_REF -> translateException(op, at);
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
        if (env.functionSignature(callee) == null) {
          throw unsupported("return_call of a function with reference types", at);
        }
        fenv.returnCallFunction(callee, stack.popN(type.params().size()));
        reachable = false;
      }
      case DROP -> stack.drop();
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
        if (spills.isFrameResident(local)) {
          int loaded = spills.readLocal(local);
          stack.push(nonNullableLocals[local] ? nulls.noteNonNull(loaded) : loaded);
        } else {
          int value = b.useVar(localVars[local]);
          stack.push(referenceLocals[local] ? gc.markObject(value) : value);
        }
      }
      case LOCAL_SET -> setLocal(reader.index(), stack.pop());
      case LOCAL_TEE -> setLocal(reader.index(), stack.peek());
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
            () -> exceptions.unwindEdge(spill)));
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
      case REF_AS_NON_NULL, BR_ON_NULL, BR_ON_NON_NULL, STRUCT_NEW, STRUCT_NEW_DEFAULT, STRUCT_GET,
          STRUCT_GET_S, STRUCT_GET_U, STRUCT_SET, ARRAY_NEW, ARRAY_NEW_DEFAULT, ARRAY_NEW_FIXED,
          ARRAY_NEW_DATA, ARRAY_NEW_ELEM, ARRAY_GET, ARRAY_GET_S, ARRAY_GET_U, ARRAY_SET, ARRAY_LEN,
          ARRAY_FILL, ARRAY_COPY, ARRAY_INIT_DATA, ARRAY_INIT_ELEM, REF_I31, I31_GET_S, I31_GET_U, REF_EQ,
          ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY, REF_TEST, REF_TEST_NULL, REF_CAST, REF_CAST_NULL,
          BR_ON_CAST, BR_ON_CAST_FAIL -> translateReference(op);
      case REF_NULL -> stack.push(tables.refNull());
      case REF_IS_NULL -> stack.push(tables.refIsNull(stack.pop()));
      case REF_FUNC -> stack.push(nulls.noteNonNull(tables.refFunc(reader.index())));
      case TABLE_GET, TABLE_SET, TABLE_SIZE, TABLE_GROW, TABLE_FILL, TABLE_COPY, TABLE_INIT, ELEM_DROP,
          MEMORY_FILL, MEMORY_COPY, MEMORY_INIT, DATA_DROP -> translateTableOrBulkMemory(op);
      case MEMORY_SIZE -> memory.size(reader.memoryIndex());
      case MEMORY_GROW -> memory.grow(reader.memoryIndex());
      default -> {
        switch (OperatorTable.of(op)) {
          case INTEGER -> numbers.integer(IntegerOperator.of(op));
          case MEMORY -> reachable = memory.access(MemoryOperator.of(op));
          case FLOAT_MEMORY -> reachable = memory.access(FloatOperator.of(op).memory());
          case FLOAT -> numbers.floating(FloatOperator.of(op));
          case VECTOR_MEMORY -> reachable = memory.vectorAccess(VectorOperator.of(op));
          case VECTOR -> numbers.vector(VectorOperator.of(op));
          case NONE -> throw unsupported(op.mnemonic(), at);
        }
      }
    }
  }

  /** The exception-handling operators (legacy and exnref): {@link #translate}'s, kept out of it. */
  private void translateException(Opcode op, int at) {
    switch (op) {
      case TRY_TABLE -> {
        FuncType bt = blockType(at);
        ExceptionHandlers.Handler h = new ExceptionHandlers.Handler(b.createBlock(), reader);
        ControlFrame f = pushFrame(ControlFrame.Kind.BLOCK, bt);
        f.region = b.beginRegion();
        f.merge = b.createBlock();
        f.mergeParams = appendParams(f.merge, f.results, f.wasmResults);
        exceptions.enterScope(f, h, true);
      }
      case TRY -> {
        FuncType bt = blockType(at);
        LegacyTries.Clauses clauses = exceptions.legacyClauses(at);
        // delegate's label is counted outside the try: its handler is found before the try's frame exists
        ExceptionHandlers.Handler target = clauses.delegates() ? exceptions.handlerInside(control.size() - 1 - clauses.delegateLabel()) : null;
        ControlFrame f = pushFrame(ControlFrame.Kind.BLOCK, bt);
        f.region = b.beginRegion();
        f.merge = b.createBlock();
        f.mergeParams = appendParams(f.merge, f.results, f.wasmResults);
        f.legacy = clauses;
        if (clauses.delegates()) {
          exceptions.enterScope(f, target, false);
        } else if (clauses.tags().length > 0) {
          exceptions.enterScope(f, new ExceptionHandlers.Handler(b.createBlock(), clauses.tags()), true);
        }
        // a try without clauses is a block: its exceptions pass through as if it were not there
      }
      case CATCH, CATCH_ALL -> beginCatch();
      case DELEGATE -> end(); // the try's handler was the delegate's target all along
      case RETHROW -> throwException(spills.readCaught(control.get(control.size() - 1 - reader.index()).caughtVar));
      case THROW -> {
        int tag = reader.index();
        int[] values = stack.popN(exceptions.tagParams(tag).size());
        throwException(objects.exceptionNew(tag, values));
      }
      case THROW_REF -> {
        int exception = stack.pop();
        nulls.check(exception, TrapCode.NULL_EXCEPTION_REFERENCE);
        throwException(exception);
      }
      default -> throw new IllegalArgumentException(op + " is not one of this method's operators");
    }
  }

  /** The typed-reference and GC operators: {@link #translate}'s, kept out of it. */
  private void translateReference(Opcode op) {
    InstBuilder ins = b.ins();
    switch (op) {
      case REF_AS_NON_NULL -> nulls.check(stack.peek(), TrapCode.NULL_REFERENCE);
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
        stack.drop();
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
      case REF_I31 -> stack.push(nulls.noteNonNull(references.refI31(stack.pop())));
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
      default -> throw new IllegalArgumentException(op + " is not one of this method's operators");
    }
  }

  /** The table and bulk-memory operators: {@link #translate}'s, kept out of it. */
  private void translateTableOrBulkMemory(Opcode op) {
    switch (op) {
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
      default -> throw new IllegalArgumentException(op + " is not one of this method's operators");
    }
  }

  // ---------------------------------------------------------------- control

  /**
   * The type of a block without parameters or results, the most common one: one shared, as a
   * FuncType is immutable, instead of one made (with four lists) for every such block.
   */
  private static final FuncType NO_VALUES = new FuncType(List.of(), List.of());

  private FuncType blockType(int at) {
    int typeIndex = reader.blockTypeIndex();
    FuncType type;
    if (typeIndex != InstructionReader.NO_TYPE_INDEX) {
      type = env.module().types().get(typeIndex);
    } else if (reader.blockValueType() == null) {
      type = NO_VALUES;
    } else {
      // The precise type, not its representation: a (ref $struct) result is represented as a funcref
      // word (ValueType#kind), and the frame's merge parameter is marked a GC reference from this
      // type (appendParams), so with the representation a block's struct result was held across no
      // safepoint: a collection under a call after the block left it naming the old address
      // (GcApiFuzzTest seed 1734566301, CaughtReferenceAcrossCollectionTest).
      type = new FuncType(List.of(), List.of(reader.blockValueType()));
    }
    // Index loops: an iterator per block type was 0.2% of yosys's sampled allocation.
    for (int i = 0; i < type.params().size(); i++) {
      requireNumber(type.params().get(i), at);
    }
    for (int i = 0; i < type.results().size(); i++) {
      requireNumber(type.results().get(i), at);
    }
    return type;
  }

  private void requireNumber(ValType t, int at) {
    if (ModuleEnvironment.irType(t) == null) {
      throw unsupported("block of type " + t, at);
    }
  }

  private ControlFrame pushFrame(ControlFrame.Kind kind, FuncType type) {
    List<Type> params = irTypes(type.params());
    List<Type> results = irTypes(type.results());
    ControlFrame f = new ControlFrame(kind, params, results, stack.height() - params.size());
    f.handlersBelow = exceptions.depth();
    f.wasmParams = type.paramTypes();
    f.wasmResults = type.resultTypes();
    control.add(f);
    spills.enterFrame(f.height);
    return f;
  }

  /**
   * The IR types of a block type's numbers ({@link #blockType} has checked each has one): a loop,
   * not a stream pipeline, as every block, loop and if asks and C1 (kiln compile's JIT under 24 MB)
   * inlines none of a pipeline's stages.
   */
  private static List<Type> irTypes(List<ValType> types) {
    if (types.isEmpty()) {
      return List.of();
    }
    Type[] ir = new Type[types.size()];
    for (int i = 0; i < ir.length; i++) {
      ir[i] = ModuleEnvironment.irType(types.get(i));
    }
    return List.of(ir);
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
    ControlFrame f = control.get(control.size() - 1 - depth);
    f.branchedTo = true;
    if (f.kind == ControlFrame.Kind.LOOP) {
      return new BranchTarget(f.header, stack.peekN(f.params.size()));
    }
    return new BranchTarget(f.merge, stack.peekN(f.results.size()));
  }

  private void enterElse() {
    ControlFrame f = control.getLast();
    if (reachable) {
      b.ins().jump(f.merge, stack.peekN(f.results.size()));
      f.branchedTo = true;
    }
    stack.truncate(f.height);
    stack.pushAll(f.ifParams);
    f.kind = ControlFrame.Kind.ELSE;
    b.switchToBlock(f.elseBlock);
    spills.useStackReferences(f.height);
    reachable = true;
  }

  private void end() {
    ControlFrame f = control.removeLast();
    spills.leaveFrame();
    exceptions.leaveScope(f);
    if (f.caughtVar >= 0) {
      spills.releaseCaught(f.caughtVar);
    }
    if (f.kind == ControlFrame.Kind.LOOP) {
      // Every back edge is known now. The loop's results are simply what the body left.
      b.sealBlock(f.header, f.region);
      return;
    }
    if (f.kind == ControlFrame.Kind.FUNCTION && reachable && !f.branchedTo) {
      emitReturn(stack.peekN(f.results.size()));
      reachable = false;
      return;
    }
    if (reachable) {
      b.ins().jump(f.merge, stack.peekN(f.results.size()));
      f.branchedTo = true;
    }
    if (f.kind == ControlFrame.Kind.IF) {
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
    if (f.kind == ControlFrame.Kind.FUNCTION) {
      emitReturn(f.mergeParams);
      reachable = false;
    } else {
      stack.pushAll(f.mergeParams);
    }
  }

  // ---------------------------------------------------------------- exceptions

  /**
   * A legacy {@code catch x} or {@code catch_all} (legacy proposal, binary 0x07 and 0x19): ends the
   * code before it (the try's body, or the previous clause's) with a branch to the try's end, the
   * first one also ends the handler's scope and builds its dispatch; then the clause's code starts
   * in the block the dispatch branches to, with the payload on the stack ({@code catch x}) and the
   * exception kept for {@code rethrow}. When no call of the body can throw, the clauses are dead.
   */
  private void beginCatch() {
    ControlFrame f = control.getLast();
    if (reachable) {
      b.ins().jump(f.merge, stack.peekN(f.results.size()));
      f.branchedTo = true;
    }
    if (f.clausesBegun == 0) {
      exceptions.leaveScope(f);
    }
    int clause = f.clausesBegun++;
    stack.truncate(f.height);
    ExceptionHandlers.Handler h = f.handler;
    if (h.entries == null) {
      reachable = false;
      return;
    }
    b.switchToBlock(h.entries[clause]);
    spills.useStackReferences(f.height);
    int[] params = h.entryParams[clause];
    stack.pushAll(Arrays.copyOf(params, params.length - 1));
    if (f.caughtVar < 0) {
      f.caughtVar = b.declareVar(Type.I64);
      spills.holdCaught(f.caughtVar);
    }
    spills.setCaught(f.caughtVar, params[params.length - 1]);
    reachable = true;
  }

  /** {@code local.set}/{@code local.tee} of {@code local} to {@code value}. */
  private void setLocal(int local, int value) {
    if (spills.isFrameResident(local)) {
      spills.writeLocal(local, value);
    } else {
      b.defVar(localVars[local], value);
    }
  }

  /**
   * After a call of type {@code type} (its results on the stack): marks the results that are GC
   * references, gives the call its stack map and exceptional edge, and loads the spilled references
   * back in place of the values from before the call.
   */
  private void afterCall(SafepointSpills.CallSpill spill, FuncType type) {
    exceptions.unwindEdge(spill);
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

  /** {@code throw}/{@code throw_ref} of {@code exception}: the code after it is unreachable. */
  private void throwException(int exception) {
    exceptions.throwException(exception);
    reachable = false;
  }

  /** Returns {@code values} from the function, after the store has the function's fuel count. */
  private void emitReturn(int[] values) {
    interrupts.beforeReturn();
    b.ins().ret(values);
  }

  private void call(int callee, int at) {
    FuncType type = env.functionType(callee);
    if (env.functionSignature(callee) == null) {
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
