package dev.kiln.wasm.validate;

import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.code.BodyFacts;
import dev.kiln.wasm.code.Immediate;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.LocalDecl;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.GlobalType;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.TableType;
import dev.kiln.wasm.types.TypeMatcher;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates function bodies (spec 3.3) with the algorithm of the spec's appendix "Validation
 * Algorithm": an operand stack of value types and a control stack of frames, where code after an
 * unconditional branch is typed against a polymorphic stack (a pop below the frame's height yields
 * "unknown", which matches any type).
 *
 * <p>One instance serves every function of a module: it converts the context's types to compact
 * tables once, and its stacks are primitive arrays reused from one function to the next, so the
 * per-instruction work allocates nothing. Not thread-safe; use one instance per thread.
 *
 * <p>Value types on the stacks are small integers: {@link #UNKNOWN} (0), {@code ordinal() + 1} of a
 * {@link ValType} (funcref and externref being {@code (ref null func)} and {@code (ref null
 * extern)}), or {@link #FIRST_REF} plus the index of any other reference type in this validator's
 * table of the module's reference types ({@link #code(ValueType)}). Equal codes are equal types;
 * different ones are compared by subtyping ({@link TypeMatcher}, WebAssembly 3.0 spec 3.3.x).
 *
 * <p>Locals whose type has no default value (non-null references, spec 3.0 3.4.x) start unset: a
 * {@code local.get} before a {@code local.set} or {@code local.tee} of them is invalid, and what a
 * block sets is forgotten at its end (the appendix's {@code inits} stack).
 *
 * <p>Three families of instructions have their rules in classes of their own, which work on this
 * validator's stacks and type codes: GC ({@link GcInstructionRules}), exceptions ({@link
 * ExceptionInstructionRules}) and tables with bulk memory's segments ({@link TableInstructionRules}).
 */
public final class FunctionValidator {
  static final int UNKNOWN = 0;
  static final int I32 = code(ValType.I32);
  static final int I64 = code(ValType.I64);
  private static final int V128 = code(ValType.V128);
  private static final int FUNCREF = code(ValType.FUNCREF);
  static final int EXTERNREF = code(ValType.EXTERNREF);
  /** The code of the first reference type beyond funcref and externref. */
  private static final int FIRST_REF = 16;
  /** In an opcode signature: the address type of the instruction's memory. */
  private static final int ADDRESS = 8;

  static final int[] NONE = new int[0];
  private static final int[][] SINGLE = new int[9][];
  private static final int[][] SIGNATURE_PARAMS = new int[Opcode.values().length][];
  private static final int[][] SIGNATURE_RESULTS = new int[Opcode.values().length][];

  static {
    for (int i = 0; i < SINGLE.length; i++) {
      SINGLE[i] = new int[] {i};
    }
    for (Opcode op : Opcode.values()) {
      String sig = op.signature();
      if (sig != null) {
        int colon = sig.indexOf(':');
        SIGNATURE_PARAMS[op.ordinal()] = letters(sig.substring(0, colon));
        SIGNATURE_RESULTS[op.ordinal()] = letters(sig.substring(colon + 1));
      }
    }
  }

  /** Locals of a function up to this many get a flat type array; beyond it, a search over runs. */
  private static final long FLAT_LOCALS_LIMIT = 1 << 16;

  static final int BLOCK = 0;
  private static final int LOOP = 1;
  private static final int IF = 2;
  private static final int ELSE = 3;
  private static final int FUNCTION = 4;
  // legacy exception handling's frames (the proposal's appendix): try, and the catch clauses after it
  static final int TRY = 5;
  static final int CATCH = 6;
  static final int CATCH_ALL = 7;

  // the module, as compact tables
  final ValidationContext context;
  final TypeMatcher matcher;
  private final List<RefType> refTypes = new ArrayList<>();
  private final Map<RefType, Integer> refCodes = new HashMap<>();
  private final int bottomRef;
  final int eqref;
  final int anyref;
  final int arrayref;
  final int i31ref;
  final int i31NonNull;
  final int[][] typeParams;
  private final int[][] typeResults;
  private final int[] functionTypes;
  private final int[] tableTypes;
  final int[] tableAddressTypes;
  private final int[] memoryAddressTypes;
  private final int[] globalTypes;
  private final boolean[] globalMutable;
  private final int[] elementTypes;
  /** Each tag's type index (C.tags, imports first). */
  private final int[] tagTypes;
  /** {@code (ref null exn)} and {@code (ref exn)}, what catch_ref and catch_all_ref deliver. */
  final int exnRef;
  final int exnRefNonNull;
  private final int dataCount;
  private final boolean[] declaredReference;

  // the function being validated
  int functionIndex;
  /** Where its instructions are noted, or null. */
  private BodyFacts facts;
  private int paramCount;
  private int[] functionResults;
  private long localCount;
  private int[] localTypes = new int[16];
  private long[] localRunEnds = new long[4];
  private int[] localRunTypes = new int[4];
  private int localRuns;
  private boolean flatLocals;
  /** The non-defaultable locals set so far, and the order they were set in (the appendix's inits). */
  private final Set<Integer> initialised = new HashSet<>();
  private int[] initOrder = new int[8];
  private int initCount;

  // operand stack
  private int[] values = new int[64];
  private int valueCount;
  private int[] scratch = new int[16];

  // control stack
  int[] frameKind = new int[16];
  private int[][] frameParams = new int[16][];
  int[][] frameResults = new int[16][];
  private int[] frameHeight = new int[16];
  private boolean[] frameUnreachable = new boolean[16];
  private int[] frameInits = new int[16];
  int frameCount;

  int at;

  // the instruction families with rules of their own
  private final GcInstructionRules gcRules = new GcInstructionRules(this);
  private final ExceptionInstructionRules exceptionRules = new ExceptionInstructionRules(this);
  private final TableInstructionRules tableRules = new TableInstructionRules(this);

  public FunctionValidator(ValidationContext context) {
    this.context = context;
    this.matcher = context.matcher();
    this.bottomRef = code(new RefType(false, HeapType.Abstract.BOT));
    this.eqref = code(new RefType(true, HeapType.Abstract.EQ));
    this.anyref = code(new RefType(true, HeapType.Abstract.ANY));
    this.arrayref = code(new RefType(true, HeapType.Abstract.ARRAY));
    this.i31ref = code(new RefType(true, HeapType.Abstract.I31));
    this.i31NonNull = code(new RefType(false, HeapType.Abstract.I31));
    List<FuncType> types = context.types();
    typeParams = new int[types.size()][];
    typeResults = new int[types.size()][];
    for (int i = 0; i < types.size(); i++) {
      // a struct or array type has no signature: null, refused by funcType()
      FuncType f = types.get(i);
      typeParams[i] = f == null ? null : codes(f.paramTypes());
      typeResults[i] = f == null ? null : codes(f.resultTypes());
    }
    functionTypes = context.functionTypeIndices().stream().mapToInt(Integer::intValue).toArray();
    tableTypes = codes(context.tables().stream().map(TableType::reference).toList());
    tableAddressTypes = codes(context.tables().stream().map(TableType::addressType).toList());
    List<MemoryType> memories = context.memories();
    memoryAddressTypes = new int[memories.size()];
    for (int i = 0; i < memories.size(); i++) {
      memoryAddressTypes[i] = code(memories.get(i).addressType());
    }
    List<GlobalType> globals = context.globals();
    globalTypes = new int[globals.size()];
    globalMutable = new boolean[globals.size()];
    for (int i = 0; i < globals.size(); i++) {
      globalTypes[i] = code(globals.get(i).type());
      globalMutable[i] = globals.get(i).mutable();
    }
    elementTypes = codes(context.elementTypes());
    tagTypes = context.tagTypeIndices().stream().mapToInt(Integer::intValue).toArray();
    exnRef = code(new RefType(true, HeapType.Abstract.EXN));
    exnRefNonNull = code(new RefType(false, HeapType.Abstract.EXN));
    dataCount = context.dataCount().orElse(-1);
    declaredReference = new boolean[functionTypes.length];
    for (int f : context.declaredFunctionReferences()) {
      if (f >= 0 && f < declaredReference.length) {
        declaredReference[f] = true;
      }
    }
  }

  /** Validates one body with a fresh validator; prefer one instance per module for many bodies. */
  public static void validate(ValidationContext context, int functionIndex, FunctionBody body) {
    new FunctionValidator(context).validate(functionIndex, body);
  }

  /**
   * Validates {@code body} as function {@code functionIndex} (in the function index space, so its
   * type is {@code context.functionTypeIndices().get(functionIndex)}).
   *
   * @throws InvalidException at the first rule the body breaks, with the offset of the instruction
   *     and the function index
   * @throws MalformedException for encoding errors found while reading the body, a body without its
   *     final {@code end} or with bytes after it, {@code else} outside an {@code if}, or too many
   *     locals
   */
  public void validate(int functionIndex, FunctionBody body) {
    validate(functionIndex, body, null);
  }

  /**
   * Validates {@code body} as {@link #validate(int, FunctionBody)} does, noting each instruction it
   * reads in {@code facts} (none when null): for a body the decoder did not scan ({@code
   * Decoder.decodeUnscanned}), whose facts only validation then reads.
   */
  public void validate(int functionIndex, FunctionBody body, BodyFacts facts) {
    this.functionIndex = functionIndex;
    this.facts = facts;
    at = body.bodyStart();
    if (functionIndex < 0 || functionIndex >= functionTypes.length) {
      throw invalid("unknown function " + functionIndex);
    }
    int typeIndex = functionTypes[functionIndex];
    if (typeIndex < 0 || typeIndex >= typeParams.length) {
      throw invalid("unknown type " + Integer.toUnsignedString(typeIndex));
    }
    int[] params = typeParams[typeIndex];
    paramCount = params.length;
    functionResults = typeResults[typeIndex];
    declareLocals(params, body);
    valueCount = 0;
    frameCount = 0;
    pushFrame(FUNCTION, NONE, functionResults);
    valueCount = 0; // the function's parameters are locals, not operands
    run(new InstructionReader(body.source(), body.codeStart(), body.codeEnd(), context.features()), body);
  }

  private void declareLocals(int[] params, FunctionBody body) {
    long declared = 0;
    for (LocalDecl d : body.locals()) {
      declared += d.count();
      // spec 5.5.13: the total number of locals must fit a u32 (reference interpreter's wording)
      if (declared > 0xFFFF_FFFFL) {
        throw new MalformedException("too many locals", body.bodyStart(), functionIndex);
      }
    }
    int typeCount = typeParams.length;
    for (LocalDecl d : body.locals()) {
      if (d.valueType() instanceof RefType r && r.heap() instanceof HeapType.Concrete(int index)
          && Integer.compareUnsigned(index, typeCount) >= 0) {
        throw invalid("unknown type " + Integer.toUnsignedString(index));
      }
    }
    initialised.clear();
    initCount = 0;
    localCount = params.length + declared;
    flatLocals = localCount <= FLAT_LOCALS_LIMIT;
    if (flatLocals) {
      if (localTypes.length < localCount) {
        localTypes = new int[(int) Math.max(localCount, localTypes.length * 2L)];
      }
      System.arraycopy(params, 0, localTypes, 0, params.length);
      int n = params.length;
      for (LocalDecl d : body.locals()) {
        Arrays.fill(localTypes, n, n + (int) d.count(), code(d.valueType()));
        n += (int) d.count();
      }
      return;
    }
    int runs = params.length + body.locals().size();
    if (localRunEnds.length < runs) {
      localRunEnds = new long[runs];
      localRunTypes = new int[runs];
    }
    long end = 0;
    int k = 0;
    for (int p : params) {
      localRunEnds[k] = ++end;
      localRunTypes[k++] = p;
    }
    for (LocalDecl d : body.locals()) {
      end += d.count();
      localRunEnds[k] = end;
      localRunTypes[k++] = code(d.valueType());
    }
    localRuns = k;
  }

  private int localType(int index) {
    long i = Integer.toUnsignedLong(index);
    if (i >= localCount) {
      throw invalid("unknown local " + i);
    }
    if (flatLocals) {
      return localTypes[(int) i];
    }
    int lo = 0;
    int hi = localRuns - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (localRunEnds[mid] > i) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return localRunTypes[lo];
  }

  private void run(InstructionReader r, FunctionBody body) {
    while (true) {
      if (!r.hasNext()) {
        // The reference interpreter reads on past the body: at the end of the module it reports the
        // end of input, otherwise it meets the next function's bytes where it expects the end.
        boolean atModuleEnd = body.codeEnd() >= body.source().length;
        throw new MalformedException(
            atModuleEnd ? "unexpected end of section or function" : "END opcode expected", r.position(), functionIndex);
      }
      Opcode op;
      try {
        op = r.next();
      } catch (MalformedException e) {
        throw new MalformedException(e.reason(), e.offset(), functionIndex);
      }
      at = r.instructionStart();
      if (facts != null) {
        facts.note(op, r);
      }
      if (op == Opcode.END) {
        end();
        if (frameCount == 0) {
          if (r.hasNext()) {
            throw new MalformedException("section size mismatch", r.position(), functionIndex);
          }
          return;
        }
        continue;
      }
      String sig = op.signature();
      if (sig != null) {
        fixedSignature(op, r);
      } else {
        special(op, r);
      }
    }
  }

  /** Instructions whose typing is their opcode's signature, after checking their immediates. */
  private void fixedSignature(Opcode op, InstructionReader r) {
    int address = I32;
    switch (op.immediate()) {
      case MEMARG, MEMARG_LANE -> {
        address = memory(r.memoryIndex());
        if (r.alignment() > op.naturalAlignment()) {
          throw invalid("alignment must not be larger than natural");
        }
        if (address == I32 && Long.compareUnsigned(r.offset(), 0xFFFF_FFFFL) > 0) {
          throw invalid("offset out of range");
        }
        if (op.immediate() == Immediate.MEMARG_LANE && r.lane() >= op.laneCount()) {
          throw invalid("invalid lane index");
        }
      }
      case MEMORY -> address = memory(r.memoryIndex());
      case LANE -> {
        if (r.lane() >= op.laneCount()) {
          throw invalid("invalid lane index");
        }
      }
      case SHUFFLE -> {
        for (int i = 0; i < 16; i++) {
          if (r.shuffleLane(i) >= op.laneCount()) {
            throw invalid("invalid lane index");
          }
        }
      }
      default -> {}
    }
    int[] params = SIGNATURE_PARAMS[op.ordinal()];
    for (int i = params.length - 1; i >= 0; i--) {
      int p = params[i];
      popExpect(p == ADDRESS ? address : p);
    }
    int[] results = SIGNATURE_RESULTS[op.ordinal()];
    for (int t : results) {
      push(t == ADDRESS ? address : t);
    }
  }

  private void special(Opcode op, InstructionReader r) {
    switch (op) {
      case UNREACHABLE -> setUnreachable();
      case NOP -> {}
      case BLOCK, LOOP -> {
        int[] params = blockParams(r);
        int[] results = blockResults(r);
        popValues(params);
        pushFrame(op == Opcode.LOOP ? LOOP : BLOCK, params, results);
      }
      case IF -> {
        int[] params = blockParams(r);
        int[] results = blockResults(r);
        popExpect(I32);
        popValues(params);
        pushFrame(IF, params, results);
      }
      case ELSE -> {
        if (frameKind[frameCount - 1] != IF) {
          // the binary grammar only allows else inside if: elsewhere it ends an instruction
          // sequence that must be closed by end (reference interpreter's wording)
          throw new MalformedException("END opcode expected", at, functionIndex);
        }
        int[] params = frameParams[frameCount - 1];
        int[] results = frameResults[frameCount - 1];
        popFrame();
        pushFrame(ELSE, params, results);
      }
      case BR -> {
        popValues(labelTypes(label(r.index())));
        setUnreachable();
      }
      case BR_IF -> {
        int frame = label(r.index());
        popExpect(I32);
        int[] types = labelTypes(frame);
        popValues(types);
        pushValues(types);
      }
      case BR_TABLE -> brTable(r);
      case RETURN -> {
        popValues(functionResults);
        setUnreachable();
      }
      case CALL -> {
        int type = functionType(r.index());
        popValues(typeParams[type]);
        pushValues(typeResults[type]);
      }
      case RETURN_CALL -> {
        int type = functionType(r.index());
        tailCall(type);
      }
      case CALL_INDIRECT, RETURN_CALL_INDIRECT -> {
        int table = table(r.secondIndex());
        if (!matches(table, FUNCREF)) {
          throw invalid("type mismatch");
        }
        int type = funcType(r.index());
        popExpect(tableAddressTypes[r.secondIndex()]);
        if (op == Opcode.CALL_INDIRECT) {
          popValues(typeParams[type]);
          pushValues(typeResults[type]);
        } else {
          tailCall(type);
        }
      }
      case DROP -> pop();
      case SELECT -> select();
      case SELECT_TYPED -> {
        if (r.selectTypeCount() != 1) {
          throw invalid("invalid result arity");
        }
        int t = code(checkedType(r.selectValueType(0)));
        popExpect(I32);
        popExpect(t);
        popExpect(t);
        push(t);
      }
      case LOCAL_GET -> {
        int t = localType(r.index());
        if (!defaultable(t) && !initialised.contains(r.index()) && r.index() >= paramCount) {
          throw invalid("uninitialized local");
        }
        push(t);
      }
      case LOCAL_SET -> {
        int t = localType(r.index());
        popExpect(t);
        setLocal(r.index(), t);
      }
      case LOCAL_TEE -> {
        int t = localType(r.index());
        popExpect(t);
        push(t);
        setLocal(r.index(), t);
      }
      case GLOBAL_GET -> push(globalTypes[global(r.index())]);
      case GLOBAL_SET -> {
        int g = global(r.index());
        if (!globalMutable[g]) {
          throw invalid("global is immutable");
        }
        popExpect(globalTypes[g]);
      }
      // WebAssembly 3.0, validation of table instructions: indices, sizes and lengths have the
      // table's address type, i64 for a 64-bit table
      case REF_NULL -> push(code(checkedType(new RefType(true, r.heapType()))));
      case REF_IS_NULL -> {
        popReference();
        push(I32);
      }
      case REF_FUNC -> {
        int f = r.index();
        int type = functionType(f);
        if (!declaredReference[f]) {
          throw invalid("undeclared function reference");
        }
        // spec 3.0 3.3.2.3: the function's own type, never null
        push(code(new RefType(false, new HeapType.Concrete(type))));
      }
      case REF_AS_NON_NULL -> push(nonNull(popReference()));
      case BR_ON_NULL -> {
        int frame = label(r.index());
        int ref = popReference();
        int[] types = labelTypes(frame);
        popValues(types);
        pushValues(types);
        push(nonNull(ref));
      }
      case BR_ON_NON_NULL -> {
        int frame = label(r.index());
        int ref = popReference();
        int[] types = labelTypes(frame);
        // the label's last value receives the reference, known non-null (spec 3.0 3.3.8)
        if (types.length == 0 || !matches(nonNull(ref), types[types.length - 1])) {
          throw invalid("type mismatch");
        }
        // pop_vals then push_vals of the label's other types: the label's types stay, not the operands'
        for (int k = types.length - 2; k >= 0; k--) {
          popExpect(types[k]);
        }
        for (int k = 0; k < types.length - 1; k++) {
          push(types[k]);
        }
      }
      case THROW, THROW_REF, TRY_TABLE, TRY, CATCH, CATCH_ALL, DELEGATE, RETHROW -> exceptionRules.validate(op, r);
      case TABLE_GET, TABLE_SET, TABLE_SIZE, TABLE_GROW, TABLE_FILL, TABLE_COPY, TABLE_INIT, ELEM_DROP, MEMORY_INIT,
          DATA_DROP, MEMORY_COPY -> tableRules.validate(op, r);
      case CALL_REF, RETURN_CALL_REF -> {
        int type = funcType(r.index());
        popExpect(code(new RefType(true, new HeapType.Concrete(type))));
        if (op == Opcode.CALL_REF) {
          popValues(typeParams[type]);
          pushValues(typeResults[type]);
        } else {
          tailCall(type);
        }
      }
      default -> {
        if (!op.isGc()) {
          throw new IllegalStateException("no typing rule for " + op.name());
        }
        gcRules.validate(op, r);
      }
    }
  }

  /** return_call*: the callee's results must match the caller's (tail-call proposal, spec 3.3.8). */
  private void tailCall(int type) {
    int[] results = typeResults[type];
    if (results.length != functionResults.length) {
      throw invalid("type mismatch");
    }
    for (int i = 0; i < results.length; i++) {
      if (!matches(results[i], functionResults[i])) {
        throw invalid("type mismatch");
      }
    }
    popValues(typeParams[type]);
    setUnreachable();
  }

  private void select() {
    popExpect(I32);
    int t1 = pop();
    int t2 = pop();
    // untyped select is for numeric and vector operands only (spec 3.3.4)
    if (isReference(t1) || isReference(t2)) {
      throw invalid("type mismatch");
    }
    if (t1 != t2 && t1 != UNKNOWN && t2 != UNKNOWN) {
      throw invalid("type mismatch");
    }
    push(t1 == UNKNOWN ? t2 : t1);
  }

  private void brTable(InstructionReader r) {
    popExpect(I32);
    int defaultFrame = label(r.brTableDefault());
    int arity = labelTypes(defaultFrame).length;
    int[] targets = r.brTableTargets();
    // push_vals(pop_vals(types)) leaves the stack as it was (a value missing below an unreachable
    // frame pops as unknown and is pushed back as unknown), so a label's check gives the same answer
    // for every entry naming it: each label is checked once. Checking every entry cost entries x
    // values: 300,000 entries to labels of 1,000 values were 9 s of validation (issue 35).
    Set<Integer> checked = new HashSet<>();
    for (int i = 0, n = r.brTableCount(); i < n; i++) {
      int frame = label(targets[i]);
      int[] types = labelTypes(frame);
      if (types.length != arity) {
        throw invalid("type mismatch");
      }
      if (!checked.add(frame)) {
        continue;
      }
      // push_vals(pop_vals(types)): check the operands without consuming them
      for (int k = arity - 1; k >= 0; k--) {
        scratchPush(k, popExpect(types[k]));
      }
      for (int k = 0; k < arity; k++) {
        push(scratch[k]);
      }
    }
    popValues(labelTypes(defaultFrame));
    setUnreachable();
  }

  private void end() {
    int kind = frameKind[frameCount - 1];
    int[] params = frameParams[frameCount - 1];
    int[] results = frameResults[frameCount - 1];
    popFrame();
    // an if without else has an implicit empty else, which must turn the params into the results
    if (kind == IF && !paramsMatchResults(params, results)) {
      throw invalid("type mismatch");
    }
    if (frameCount > 0) {
      pushValues(results);
    }
  }

  // ---- block types and labels ----

  int[] blockParams(InstructionReader r) {
    int index = r.blockTypeIndex();
    return index == InstructionReader.NO_TYPE_INDEX ? NONE : typeParams[funcType(index)];
  }

  int[] blockResults(InstructionReader r) {
    int index = r.blockTypeIndex();
    if (index != InstructionReader.NO_TYPE_INDEX) {
      return typeResults[funcType(index)];
    }
    ValueType t = r.blockValueType();
    if (t == null) {
      return NONE;
    }
    int c = code(checkedType(t));
    return c < SINGLE.length ? SINGLE[c] : new int[] {c};
  }

  /** The control frame that label {@code depth} names. */
  int label(int depth) {
    if (Integer.compareUnsigned(depth, frameCount) >= 0) {
      throw invalid("unknown label");
    }
    return frameCount - 1 - depth;
  }

  /** The operands a branch to {@code frame} carries: a loop's parameters, else its results. */
  int[] labelTypes(int frame) {
    return frameKind[frame] == LOOP ? frameParams[frame] : frameResults[frame];
  }

  // ---- index checks ----

  int type(int index) {
    if (Integer.compareUnsigned(index, typeParams.length) >= 0) {
      throw invalid("unknown type " + Integer.toUnsignedString(index));
    }
    return index;
  }

  /** A type index that must name a function type (block types, call_indirect, call_ref). */
  private int funcType(int index) {
    if (typeParams[type(index)] == null) {
      throw invalid("type mismatch: type " + index + " is not a function type");
    }
    return index;
  }

  private int functionType(int function) {
    if (Integer.compareUnsigned(function, functionTypes.length) >= 0) {
      throw invalid("unknown function " + Integer.toUnsignedString(function));
    }
    return type(functionTypes[function]);
  }

  int table(int index) {
    if (Integer.compareUnsigned(index, tableTypes.length) >= 0) {
      throw invalid("unknown table " + Integer.toUnsignedString(index));
    }
    return tableTypes[index];
  }

  /** The address type of memory {@code index}. */
  int memory(int index) {
    if (Integer.compareUnsigned(index, memoryAddressTypes.length) >= 0) {
      throw invalid("unknown memory " + Integer.toUnsignedString(index));
    }
    return memoryAddressTypes[index];
  }

  private int global(int index) {
    if (Integer.compareUnsigned(index, globalTypes.length) >= 0) {
      throw invalid("unknown global " + Integer.toUnsignedString(index));
    }
    return index;
  }

  /** The type index of tag {@code index}. */
  int tag(int index) {
    if (Integer.compareUnsigned(index, tagTypes.length) >= 0) {
      throw invalid("unknown tag " + Integer.toUnsignedString(index));
    }
    return type(tagTypes[index]);
  }

  int element(int index) {
    if (Integer.compareUnsigned(index, elementTypes.length) >= 0) {
      throw invalid("unknown elem segment " + Integer.toUnsignedString(index));
    }
    return elementTypes[index];
  }

  void data(int index) {
    if (dataCount < 0) {
      // spec 5.5.16: memory.init and data.drop need the data count section (a binary-format rule)
      throw new MalformedException("data count section required", at, functionIndex);
    }
    if (Integer.compareUnsigned(index, dataCount) >= 0) {
      throw invalid("unknown data segment " + Integer.toUnsignedString(index));
    }
  }

  // ---- operand and control stacks (appendix: push_val, pop_val, push_ctrl, pop_ctrl) ----

  void push(int t) {
    if (valueCount == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[valueCount++] = t;
  }

  private int pop() {
    int f = frameCount - 1;
    if (valueCount == frameHeight[f]) {
      if (frameUnreachable[f]) {
        return UNKNOWN;
      }
      throw invalid("type mismatch");
    }
    return values[--valueCount];
  }

  int popExpect(int expected) {
    int actual = pop();
    if (actual != expected && actual != UNKNOWN && expected != UNKNOWN && !matches(actual, expected)) {
      throw invalid("type mismatch");
    }
    return actual;
  }

  /** pop_ref: a reference of any type, or {@link #UNKNOWN} below an unreachable frame. */
  int popReference() {
    int t = pop();
    if (t != UNKNOWN && !isReference(t)) {
      throw invalid("type mismatch");
    }
    return t;
  }

  private void scratchPush(int k, int t) {
    if (scratch.length <= k) {
      scratch = Arrays.copyOf(scratch, Math.max(k + 1, scratch.length * 2));
    }
    scratch[k] = t;
  }

  void popI32Times(int n) {
    for (int i = 0; i < n; i++) {
      popExpect(I32);
    }
  }

  void popValues(int[] types) {
    for (int i = types.length - 1; i >= 0; i--) {
      popExpect(types[i]);
    }
  }

  void pushValues(int[] types) {
    for (int t : types) {
      push(t);
    }
  }

  void pushFrame(int kind, int[] params, int[] results) {
    if (frameCount == frameKind.length) {
      int n = frameCount * 2;
      frameKind = Arrays.copyOf(frameKind, n);
      frameParams = Arrays.copyOf(frameParams, n);
      frameResults = Arrays.copyOf(frameResults, n);
      frameHeight = Arrays.copyOf(frameHeight, n);
      frameUnreachable = Arrays.copyOf(frameUnreachable, n);
      frameInits = Arrays.copyOf(frameInits, n);
    }
    frameKind[frameCount] = kind;
    frameParams[frameCount] = params;
    frameResults[frameCount] = results;
    frameHeight[frameCount] = valueCount;
    frameUnreachable[frameCount] = false;
    frameInits[frameCount] = initCount;
    frameCount++;
    pushValues(params);
  }

  /** pop_ctrl: the frame's results must be exactly what is left above its height. */
  void popFrame() {
    popValues(frameResults[frameCount - 1]);
    if (valueCount != frameHeight[frameCount - 1]) {
      throw invalid("type mismatch");
    }
    // the locals set inside the block are unset again after it (spec 3.0 appendix, ctrl.inits)
    int keep = frameInits[frameCount - 1];
    while (initCount > keep) {
      initialised.remove(initOrder[--initCount]);
    }
    frameCount--;
  }

  void setUnreachable() {
    valueCount = frameHeight[frameCount - 1];
    frameUnreachable[frameCount - 1] = true;
  }

  InvalidException invalid(String reason) {
    return new InvalidException(reason, at, functionIndex);
  }

  // ---- locals without defaults ----

  private void setLocal(int index, int type) {
    if (defaultable(type) || !initialised.add(index)) {
      return;
    }
    if (initCount == initOrder.length) {
      initOrder = Arrays.copyOf(initOrder, initCount * 2);
    }
    initOrder[initCount++] = index;
  }

  private boolean defaultable(int t) {
    return t < FIRST_REF || refTypes.get(t - FIRST_REF).nullable();
  }

  // ---- type codes ----

  static int code(ValType t) {
    return (t.ordinal() + 1);
  }

  /** The code of a precise type: funcref and externref keep their {@link ValType} codes. */
  int code(ValueType t) {
    if (t instanceof ValType v) {
      return code(v);
    }
    RefType r = (RefType) t;
    if (r.equals(RefType.FUNCREF)) {
      return FUNCREF;
    }
    if (r.equals(RefType.EXTERNREF)) {
      return EXTERNREF;
    }
    Integer known = refCodes.get(r);
    if (known != null) {
      return known;
    }
    int c = FIRST_REF + refTypes.size();
    refTypes.add(r);
    refCodes.put(r, c);
    return c;
  }

  ValueType typeOf(int code) {
    if (code == FUNCREF) {
      return RefType.FUNCREF;
    }
    if (code == EXTERNREF) {
      return RefType.EXTERNREF;
    }
    return code >= FIRST_REF ? refTypes.get(code - FIRST_REF) : ValType.values()[code - 1];
  }

  /** A type from an instruction's immediate: a type index in it must exist. */
  ValueType checkedType(ValueType t) {
    if (t instanceof RefType r && r.heap() instanceof HeapType.Concrete(int index)) {
      type(index);
    }
    return t;
  }

  /** {@code actual <: expected} (equal codes are equal types; the caller has ruled out UNKNOWN). */
  boolean matches(int actual, int expected) {
    if (actual == expected) {
      return true;
    }
    if (!isReference(actual) || !isReference(expected)) {
      return false;
    }
    return matcher.matches(typeOf(actual), typeOf(expected));
  }

  /** The non-null version of reference {@code t}; {@link #UNKNOWN} gives {@code (ref bot)}. */
  private int nonNull(int t) {
    if (t == UNKNOWN) {
      return bottomRef;
    }
    return code(((RefType) typeOf(t)).withNullable(false));
  }

  private boolean paramsMatchResults(int[] params, int[] results) {
    if (params.length != results.length) {
      return false;
    }
    for (int i = 0; i < params.length; i++) {
      if (!matches(params[i], results[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isReference(int t) {
    return t == FUNCREF || t == EXTERNREF || t >= FIRST_REF;
  }

  private int[] codes(List<? extends ValueType> types) {
    if (types.isEmpty()) {
      return NONE;
    }
    int[] out = new int[types.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = code(types.get(i));
    }
    return out;
  }

  private static int[] letters(String s) {
    int[] out = new int[s.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          switch (s.charAt(i)) {
            case 'i' -> I32;
            case 'l' -> I64;
            case 'f' -> code(ValType.F32);
            case 'd' -> code(ValType.F64);
            case 'v' -> V128;
            case 'a' -> ADDRESS;
            default -> throw new AssertionError(s);
          };
    }
    return out;
  }
}
