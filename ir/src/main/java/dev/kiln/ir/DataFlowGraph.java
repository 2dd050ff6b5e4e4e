package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Values, instructions, blocks and the references between them, all named by dense int ids and
 * kept in primitive arrays (Cranelift's {@code DataFlowGraph}, with {@code Value}, {@code Inst} and
 * {@code Block} as plain ints). Where instructions sit is the {@link Layout}'s business: an
 * instruction exists here before it is placed and after it is removed.
 *
 * <p>A value is defined exactly once, as the {@code n}th result of an instruction or the {@code
 * n}th parameter of a block, or it is an <em>alias</em> of another value (the SSA builder and passes
 * turn values into aliases instead of rewriting every use at once; {@link #resolveAllAliases()}
 * rewrites the uses). An instruction has an opcode, a controlling type (the {@code .i32} suffix),
 * a 64-bit immediate, an auxiliary int whose meaning depends on the {@link InstFormat}, a list of
 * value operands, a list of results and, for branches, a list of <em>block calls</em>: a
 * destination block with the arguments passed to its parameters.
 */
public final class DataFlowGraph {
  /** A value id slot that is not (or no longer) defined. */
  public static final int VALUE_NONE = 0;
  /** A value defined as an instruction result. */
  public static final int VALUE_RESULT = 1;
  /** A value defined as a block parameter. */
  public static final int VALUE_PARAM = 2;
  /** A value that stands for another value. */
  public static final int VALUE_ALIAS = 3;

  private static final int NO_LIST = -1;
  /** {@link #sourceLoc} of an instruction without a source location. */
  public static final int NO_SOURCE_LOC = -1;

  private final IntListPool lists = new IntListPool();

  // values
  private int valueCount;
  private byte[] valueKind = new byte[64];
  private byte[] valueType = new byte[64];
  private int[] valueDef = new int[64];
  private int[] valueNum = new int[64];
  /**
   * Whether {@link #changeToAlias} made a value an alias since the operands were last resolved
   * ({@link #resolveAllAliases}, {@link #markOperandsResolved}) or the graph was made or cleared:
   * the only way a value becomes one, so without it no operand names an alias and {@link
   * #resolveAllAliases} and {@link #resolveOperands} have nothing to do.
   */
  private boolean unresolvedAliases;
  /** How many times {@link #resolveAllAliases} walked the instructions (the work tests count). */
  private int aliasResolutionWalks;
  /** A value to what it stands for: made once, not per instruction {@link #resolveOperands} is given. */
  private final IntUnaryOperator resolveAlias = v -> valueKind(v) == VALUE_ALIAS ? resolveAliases(v) : v;

  // instructions
  private int instCount;
  private short[] instOpcode = new short[64];
  private byte[] instCtrlType = new byte[64];
  private long[] instImm = new long[64];
  private int[] instAux = new int[64];
  private int[] instArgs = new int[64];
  private int[] instResults = new int[64];
  private int[] instDests = new int[64];
  private int[] instSourceLoc = new int[64];
  private int[] instInlineSite = new int[64];
  /** Longs of a bit per opcode; counted once, as {@code values()} copies the enum's array per call. */
  private static final int OPCODE_WORDS = (Opcode.values().length + 63) / 64;

  /**
   * A bit per opcode ordinal: whether an instruction was ever made with it (or replaced by one) in
   * this graph. A pass that only rewrites a few opcodes asks first and skips its walk over the
   * function when none was ever made ({@code pass.InstructionRewrite}).
   */
  private final long[] opcodesMade = new long[OPCODE_WORDS];

  // block calls (branch destinations)
  private int blockCallCount;
  private int[] blockCallBlock = new int[32];
  private int[] blockCallArgs = new int[32];

  // blocks
  private int blockCount;
  private int[] blockParams = new int[16];

  private final List<Signature> signatures = new ArrayList<>();
  private final List<ExtFuncData> extFuncs = new ArrayList<>();
  // The first index of each distinct signature and callee, made on the first find (the inliner's
  // lookups, one per callee signature and callee it copies in) and kept up by the adds after it; a
  // scan of the lists per lookup made inlining into a function with thousands of callees quadratic.
  private Map<Signature, Integer> firstSignature;
  private Map<ExtFuncData, Integer> firstExtFunc;
  private final List<InlineSite> inlineSites = new ArrayList<>();
  /** The stack map of each safepoint call that has one: the slots ({@code stack_addr}) holding GC references. */
  private final Map<Integer, int[]> stackMaps = new HashMap<>();
  /** The slots every stack map names besides its own ({@link #setResidentSlots}). */
  private int[] residentSlots = new int[0];

  // 128-bit constants (vconst), each stored once: equal constants share an index, so value
  // numbering sees two equal vconsts as the same instruction
  private final List<VectorConstant> vectorConstants = new ArrayList<>();
  private final Map<VectorConstant, Integer> vectorConstantIndex = new HashMap<>();

  /** An empty graph: no values, instructions, blocks or declarations. */
  public DataFlowGraph() {}

  /**
   * How large the graph has grown: the values and instructions made so far and the list slots
   * reserved for their operands, results, block parameters and branch arguments. What the graph's
   * memory, and the work of every later phase, grows with; a compile bounds a function by it
   * (compiler.translate.IrSizeLimit). Never shrinks: a removed instruction or value keeps its room.
   */
  public long size() {
    return (long) valueCount + instCount + blockCount + lists.reserved();
  }

  /**
   * Makes room for {@code insts} instructions, {@code values} values, {@code blocks} blocks, {@code
   * blockCalls} branch destinations and {@code listElements} operand, result, parameter and
   * argument slots, so a graph that ends up about that large is not copied on the way there (each
   * doubling copies every array of its kind). Only ever grows the arrays; the graph is unchanged.
   */
  public void reserve(int insts, int values, int blocks, int blockCalls, int listElements) {
    if (insts > instOpcode.length) {
      instOpcode = Arrays.copyOf(instOpcode, insts);
      instCtrlType = Arrays.copyOf(instCtrlType, insts);
      instImm = Arrays.copyOf(instImm, insts);
      instAux = Arrays.copyOf(instAux, insts);
      instArgs = Arrays.copyOf(instArgs, insts);
      instResults = Arrays.copyOf(instResults, insts);
      instDests = Arrays.copyOf(instDests, insts);
      instSourceLoc = Arrays.copyOf(instSourceLoc, insts);
      instInlineSite = Arrays.copyOf(instInlineSite, insts);
    }
    if (values > valueKind.length) {
      valueKind = Arrays.copyOf(valueKind, values);
      valueType = Arrays.copyOf(valueType, values);
      valueDef = Arrays.copyOf(valueDef, values);
      valueNum = Arrays.copyOf(valueNum, values);
    }
    if (blocks > blockParams.length) {
      blockParams = Arrays.copyOf(blockParams, blocks);
    }
    if (blockCalls > blockCallBlock.length) {
      blockCallBlock = Arrays.copyOf(blockCallBlock, blockCalls);
      blockCallArgs = Arrays.copyOf(blockCallArgs, blockCalls);
    }
    // every instruction has an argument list and a result list, a branch a destination list, and
    // every block and block call one list
    lists.reserve(2 * insts + blocks + blockCalls, listElements);
  }

  /**
   * Makes this an empty graph again, as {@link #DataFlowGraph()} makes one, but keeps its arrays (and
   * so their capacity) for the next function a compile worker translates ({@link ReusedGraph}).
   * O(1) in the arrays: every slot of a value, instruction, block or block call is written when it
   * is made, and none at or past the counts is read, so the old contents need no clearing.
   */
  void clear() {
    lists.clear();
    valueCount = 0;
    unresolvedAliases = false;
    aliasResolutionWalks = 0;
    instCount = 0;
    Arrays.fill(opcodesMade, 0);
    blockCallCount = 0;
    blockCount = 0;
    signatures.clear();
    extFuncs.clear();
    firstSignature = null;
    firstExtFunc = null;
    inlineSites.clear();
    stackMaps.clear();
    residentSlots = new int[0];
    vectorConstants.clear();
    vectorConstantIndex.clear();
  }

  /** The bytes the graph's arrays take, whatever they hold: what keeping it for reuse holds on to. */
  long arrayBytes() {
    long values = valueKind.length + valueType.length + 4L * (valueDef.length + valueNum.length);
    long insts = 2L * instOpcode.length + instCtrlType.length + 8L * instImm.length
        + 4L * (instAux.length + instArgs.length + instResults.length + instDests.length
            + instSourceLoc.length + instInlineSite.length);
    long blockCalls = 4L * (blockCallBlock.length + blockCallArgs.length);
    return values + insts + blockCalls + 4L * blockParams.length + lists.arrayBytes();
  }

  // ------------------------------------------------------------------ values

  /** Number of value ids handed out; ids are {@code 0 .. valueCount()-1}, some may be undefined. */
  public int valueCount() {
    return valueCount;
  }

  /** One of {@link #VALUE_NONE}, {@link #VALUE_RESULT}, {@link #VALUE_PARAM}, {@link #VALUE_ALIAS}. */
  public int valueKind(int v) {
    return v >= 0 && v < valueCount ? valueKind[v] : VALUE_NONE;
  }

  /** Whether {@code v} is a defined result or parameter (not an alias, not a hole). */
  public boolean isValueDefined(int v) {
    int k = valueKind(v);
    return k == VALUE_RESULT || k == VALUE_PARAM;
  }

  public Type valueType(int v) {
    checkValue(v);
    if (valueKind[v] == VALUE_ALIAS) {
      return valueType(resolveAliases(v));
    }
    return Type.ofOrdinal(valueType[v]);
  }

  /** The defining instruction (results) or block (parameters). */
  public int valueDef(int v) {
    checkValue(v);
    return valueDef[v];
  }

  /** The position of {@code v} among its instruction's results or its block's parameters. */
  public int valueNum(int v) {
    checkValue(v);
    return valueNum[v];
  }

  /** Reserves value ids up to {@code id} inclusive as undefined slots (the parser keeps numbers). */
  public void reserveValues(int id) {
    while (valueCount <= id) {
      newValue(VALUE_NONE, Type.I32, -1, -1);
    }
  }

  private int newValue(int kind, Type type, int def, int num) {
    if (valueCount == valueKind.length) {
      int n = valueCount * 2;
      valueKind = Arrays.copyOf(valueKind, n);
      valueType = Arrays.copyOf(valueType, n);
      valueDef = Arrays.copyOf(valueDef, n);
      valueNum = Arrays.copyOf(valueNum, n);
    }
    int v = valueCount++;
    setValue(v, kind, type, def, num);
    return v;
  }

  private void setValue(int v, int kind, Type type, int def, int num) {
    valueKind[v] = (byte) kind;
    valueType[v] = (byte) type.ordinal();
    valueDef[v] = def;
    valueNum[v] = num;
  }

  /** Gives an undefined value id its definition (used by the parser for explicit numbers). */
  private int claimValue(int requested, int kind, Type type, int def, int num) {
    if (requested < 0) {
      return newValue(kind, type, def, num);
    }
    reserveValues(requested);
    if (valueKind[requested] != VALUE_NONE) {
      throw new IllegalArgumentException("v" + requested + " is already defined");
    }
    setValue(requested, kind, type, def, num);
    return requested;
  }

  /** Makes {@code v} stand for {@code target} (which must not resolve to {@code v}). */
  public void changeToAlias(int v, int target) {
    checkValue(v);
    int resolved = resolveAliases(target);
    if (resolved == v) {
      throw new IllegalArgumentException("alias cycle: v" + v + " -> v" + target);
    }
    valueType[v] = (byte) valueType(resolved).ordinal();
    valueKind[v] = VALUE_ALIAS;
    unresolvedAliases = true;
    valueDef[v] = resolved;
    valueNum[v] = -1;
  }

  /** Follows alias links to a value that is not an alias. */
  public int resolveAliases(int v) {
    int current = v;
    for (int steps = 0; valueKind(current) == VALUE_ALIAS; steps++) {
      if (steps > valueCount) {
        throw new IllegalStateException("alias cycle at v" + v);
      }
      current = valueDef[current];
    }
    return current;
  }

  /** Rewrites every operand and branch argument that names an alias to the value it stands for. */
  public void resolveAllAliases() {
    // A pass over every instruction's lists: each list's elements are read in place
    // (IntListPool#resolveAll), where a get and a set per element, each reloading the list's
    // bounds, took 2.1% of a yosys compile's CPU (JFR's execution samples). None at all when no
    // value became an alias since the last resolution: a graph in which the SSA builder removed
    // no trivial parameter, or one whose operands value numbering resolved as it walked them
    // ({@link #markOperandsResolved}).
    if (!unresolvedAliases) {
      return;
    }
    aliasResolutionWalks++;
    for (int inst = 0; inst < instCount; inst++) {
      resolveLists(inst);
    }
    unresolvedAliases = false;
  }

  /**
   * Rewrites the operands and branch arguments of {@code inst} that name an alias to the values
   * they stand for: for a pass that reads every placed instruction anyway ({@link
   * #markOperandsResolved}). Nothing to do, and nothing read, when no value became an alias since
   * the operands were last resolved.
   */
  public void resolveOperands(int inst) {
    if (unresolvedAliases) {
      checkInst(inst);
      resolveLists(inst);
    }
  }

  private void resolveLists(int inst) {
    lists.resolveAll(instArgs[inst], resolveAlias);
    int dests = instDests[inst];
    if (dests != NO_LIST) {
      for (int i = 0; i < lists.size(dests); i++) {
        lists.resolveAll(blockCallArgs[lists.get(dests, i)], resolveAlias);
      }
    }
  }

  /**
   * Whether an operand or branch argument of an instruction in the layout may name an alias: a
   * value became one since the operands were last resolved. When not, a reader of placed
   * instructions' operands (lowering) need not resolve them.
   */
  public boolean operandsMayNameAliases() {
    return unresolvedAliases;
  }

  /**
   * Adds one to {@code counts[v]} for each operand and branch argument {@code v} of {@code inst},
   * resolved to the value it stands for: a use count over the placed instructions ({@code
   * analysis.ValueUses}). The lists are read in place, and resolved only when a value became an
   * alias since the operands were last resolved: after value numbering (or {@link
   * #resolveAllAliases}) none did, and resolving was an alias lookup per operand of every function
   * for nothing.
   */
  public void countOperandUses(int inst, int[] counts) {
    countOperandUses(inst, counts, null);
  }

  /**
   * As {@link #countOperandUses(int, int[])}, and sets {@code lastUser[v] = inst} for each of the
   * values counted (with {@code lastUser} not null): walked in layout order, each value's last user
   * (lowering's use counts, which read every operand of the function once).
   */
  public void countOperandUses(int inst, int[] counts, int[] lastUser) {
    checkInst(inst);
    if (unresolvedAliases) {
      countResolved(instArgs[inst], counts, lastUser, inst);
    } else {
      lists.countEach(instArgs[inst], counts, lastUser, inst);
    }
    int dests = instDests[inst];
    if (dests != NO_LIST) {
      for (int i = 0, n = lists.size(dests); i < n; i++) {
        int args = blockCallArgs[lists.get(dests, i)];
        if (unresolvedAliases) {
          countResolved(args, counts, lastUser, inst);
        } else {
          lists.countEach(args, counts, lastUser, inst);
        }
      }
    }
  }

  /**
   * {@link #resolveOperands} and {@link #countOperandUses(int, int[])} in one read of each list:
   * value numbering's, which resolves every operand it meets and counts those of the instructions
   * it keeps (taking back those of the ones it removes, {@link #discountResolvedOperandUses}).
   */
  public void resolveOperandsCountingUses(int inst, int[] counts) {
    checkInst(inst);
    IntUnaryOperator resolve = unresolvedAliases ? resolveAlias : null;
    lists.resolveAndCount(instArgs[inst], resolve, counts);
    int dests = instDests[inst];
    if (dests != NO_LIST) {
      for (int i = 0, n = lists.size(dests); i < n; i++) {
        lists.resolveAndCount(blockCallArgs[lists.get(dests, i)], resolve, counts);
      }
    }
  }

  /**
   * Takes back what {@link #countOperandUses(int, int[])} added for the operands of {@code inst},
   * an instruction without branch arguments (as dead code elimination removes one): one off {@code
   * counts[v]} per operand {@code v}, resolved to the value it stands for, the list read in place
   * and no alias looked up when none may be named.
   */
  public void discountOperandUses(int inst, int[] counts) {
    checkInst(inst);
    int args = instArgs[inst];
    if (unresolvedAliases) {
      for (int i = 0, n = lists.size(args); i < n; i++) {
        counts[resolveAliases(lists.get(args, i))]--;
      }
    } else {
      lists.discountEach(args, counts);
    }
  }

  /**
   * As {@link #discountOperandUses} for an instruction whose operands name no alias (value
   * numbering's, given to {@link #resolveOperandsCountingUses} just before): read in place, no
   * alias looked up, though values the walk made aliases since may be.
   */
  public void discountResolvedOperandUses(int inst, int[] counts) {
    checkInst(inst);
    lists.discountEach(instArgs[inst], counts);
  }

  /**
   * Whether {@code counts[r]} is 0 for every result {@code r} of {@code inst}: its result list read
   * in place.
   */
  public boolean resultsUncounted(int inst, int[] counts) {
    checkInst(inst);
    return lists.noneCounted(instResults[inst], counts);
  }

  private void countResolved(int list, int[] counts, int[] users, int user) {
    for (int i = 0, n = lists.size(list); i < n; i++) {
      int v = resolveAliases(lists.get(list, i));
      counts[v]++;
      if (users != null) {
        users[v] = user;
      }
    }
  }

  /**
   * Declares that no operand or branch argument of an instruction in the function's layout names
   * an alias any more: the caller passed every one of them to {@link #resolveOperands} after the
   * last {@link #changeToAlias} (value numbering does, in dominator order, where every use comes
   * after the alias of its value is made). {@link #resolveAllAliases} then has nothing to walk;
   * the operands of instructions removed from the layout, which nothing reads, may stay aliases.
   */
  public void markOperandsResolved() {
    unresolvedAliases = false;
  }

  /** How many times {@link #resolveAllAliases} walked every instruction since the graph was made or cleared. */
  public int aliasResolutionWalks() {
    return aliasResolutionWalks;
  }

  // ------------------------------------------------------------------ blocks

  public int blockCount() {
    return blockCount;
  }

  public int makeBlock() {
    if (blockCount == blockParams.length) {
      blockParams = Arrays.copyOf(blockParams, blockCount * 2);
    }
    blockParams[blockCount] = lists.create(0);
    return blockCount++;
  }

  /** Makes blocks until {@code id} exists (the parser keeps block numbers). */
  public void reserveBlocks(int id) {
    while (blockCount <= id) {
      makeBlock();
    }
  }

  public boolean isBlockValid(int block) {
    return block >= 0 && block < blockCount;
  }

  public int appendBlockParam(int block, Type type) {
    return appendBlockParam(block, type, -1);
  }

  /** Appends a parameter, using value id {@code valueId} when it is not negative. */
  public int appendBlockParam(int block, Type type, int valueId) {
    checkBlock(block);
    int list = blockParams[block];
    int v = claimValue(valueId, VALUE_PARAM, type, block, lists.size(list));
    lists.add(list, v);
    return v;
  }

  /**
   * Removes parameter {@code index} of {@code block}; the value becomes undefined unless the caller
   * turns it into an alias first. Callers must also remove the matching argument of every branch
   * to the block.
   */
  public void removeBlockParam(int block, int index) {
    int list = blockParams[block];
    int v = lists.get(list, index);
    lists.remove(list, index);
    if (valueKind[v] == VALUE_PARAM) {
      valueKind[v] = VALUE_NONE;
    }
    for (int i = index; i < lists.size(list); i++) {
      valueNum[lists.get(list, i)] = i;
    }
  }

  public int blockParamCount(int block) {
    checkBlock(block);
    return lists.size(blockParams[block]);
  }

  public int blockParam(int block, int index) {
    checkBlock(block);
    return lists.get(blockParams[block], index);
  }

  public int[] blockParams(int block) {
    checkBlock(block);
    return lists.toArray(blockParams[block]);
  }

  // ------------------------------------------------------------------ block calls

  /** A destination for a branch: {@code block} receiving {@code args}. */
  public int makeBlockCall(int block, int[] args) {
    if (blockCallCount == blockCallBlock.length) {
      int n = blockCallCount * 2;
      blockCallBlock = Arrays.copyOf(blockCallBlock, n);
      blockCallArgs = Arrays.copyOf(blockCallArgs, n);
    }
    blockCallBlock[blockCallCount] = block;
    blockCallArgs[blockCallCount] = lists.create(args);
    return blockCallCount++;
  }

  public int blockCallBlock(int blockCall) {
    return blockCallBlock[blockCall];
  }

  public void setBlockCallBlock(int blockCall, int block) {
    blockCallBlock[blockCall] = block;
  }

  public int blockCallArgCount(int blockCall) {
    return lists.size(blockCallArgs[blockCall]);
  }

  public int blockCallArg(int blockCall, int index) {
    return lists.get(blockCallArgs[blockCall], index);
  }

  public int[] blockCallArgs(int blockCall) {
    return lists.toArray(blockCallArgs[blockCall]);
  }

  public void setBlockCallArg(int blockCall, int index, int value) {
    lists.set(blockCallArgs[blockCall], index, value);
  }

  public void appendBlockCallArg(int blockCall, int value) {
    lists.add(blockCallArgs[blockCall], value);
  }

  public void removeBlockCallArg(int blockCall, int index) {
    lists.remove(blockCallArgs[blockCall], index);
  }

  // ------------------------------------------------------------------ instructions

  public int instCount() {
    return instCount;
  }

  /**
   * Creates an instruction (not yet placed in the layout) and its result values.
   *
   * @param ctrlType the controlling type, or null when the opcode has none
   * @param imm the immediate (constant bits, memory offset, bounds-check end), 0 when unused
   * @param aux condition code ordinal, trap code ordinal, memory flag bits, function reference or
   *     signature reference, as the format says; 0 when unused
   * @param args value operands
   * @param blockCalls destinations from {@link #makeBlockCall}, or null for non-branches
   */
  public int makeInst(
      Opcode opcode, Type ctrlType, long imm, int aux, int[] args, int[] blockCalls) {
    return makeInst(opcode, ctrlType, imm, aux, args, blockCalls, null);
  }

  /** As above, giving the results the value ids in {@code resultIds} (the parser keeps numbers). */
  public int makeInst(Opcode opcode, Type ctrlType, long imm, int aux, int[] args, int[] blockCalls,
      int[] resultIds) {
    if (opcode.hasCtrlType() != (ctrlType != null)) {
      throw new IllegalArgumentException(opcode.hasCtrlType()
          ? opcode.text() + " needs a controlling type"
          : opcode.text() + " takes no controlling type");
    }
    if (instCount == instOpcode.length) {
      int n = instCount * 2;
      instOpcode = Arrays.copyOf(instOpcode, n);
      instCtrlType = Arrays.copyOf(instCtrlType, n);
      instImm = Arrays.copyOf(instImm, n);
      instAux = Arrays.copyOf(instAux, n);
      instArgs = Arrays.copyOf(instArgs, n);
      instResults = Arrays.copyOf(instResults, n);
      instDests = Arrays.copyOf(instDests, n);
      instSourceLoc = Arrays.copyOf(instSourceLoc, n);
      instInlineSite = Arrays.copyOf(instInlineSite, n);
    }
    int inst = instCount++;
    instOpcode[inst] = (short) opcode.ordinal();
    noteOpcode(opcode);
    instCtrlType[inst] = (byte) (ctrlType == null ? -1 : ctrlType.ordinal());
    instImm[inst] = imm;
    instAux[inst] = aux;
    instArgs[inst] = lists.create(args);
    instDests[inst] = blockCalls == null ? NO_LIST : lists.create(blockCalls);
    instSourceLoc[inst] = NO_SOURCE_LOC;
    instInlineSite[inst] = InlineSite.NONE;
    ResultRule rule = opcode.resultRule();
    if (resultIds == null && rule != ResultRule.SIGNATURE) {
      // One result or none, its type the rule's (every instruction but calls): made without the
      // list of result types and the claim per result the general case below takes.
      instResults[inst] = rule == ResultRule.NONE ? lists.create(0)
          : lists.createHolding(newValue(VALUE_RESULT, singleResultType(rule, ctrlType, aux), inst, 0));
      return inst;
    }
    // A call's result types are read from its signature in place (Signature.resultTypes copies
    // them into a new list, once per call made: 0.2% of a yosys compile's samples).
    List<AbiParam> returns =
        rule == ResultRule.SIGNATURE ? signature(signatureRef(opcode, aux)).results() : null;
    List<Type> types = returns == null ? resultTypes(opcode, ctrlType, aux) : null;
    int count = returns != null ? returns.size() : types.size();
    if (resultIds != null && resultIds.length != count) {
      throw new IllegalArgumentException(opcode.text() + " defines " + count
          + " result(s), not " + resultIds.length);
    }
    int results = lists.create(count);
    instResults[inst] = results;
    for (int i = 0; i < count; i++) {
      int requested = resultIds == null ? -1 : resultIds[i];
      Type type = returns != null ? returns.get(i).type() : types.get(i);
      lists.add(results, claimValue(requested, VALUE_RESULT, type, inst, i));
    }
    return inst;
  }

  /**
   * {@code List.of(type)} per type, indexed by ordinal: every instruction made asks for its result
   * types, and most define one value.
   */
  private static final List<List<Type>> SINGLE_TYPE =
      Arrays.stream(Type.values()).map(List::of).toList();

  /** The result types an instruction of this shape defines. */
  public List<Type> resultTypes(Opcode opcode, Type ctrlType, int aux) {
    return switch (opcode.resultRule()) {
      case NONE -> List.of();
      case SIGNATURE -> signature(signatureRef(opcode, aux)).resultTypes();
      default -> SINGLE_TYPE.get(singleResultType(opcode.resultRule(), ctrlType, aux).ordinal());
    };
  }

  /** The signature a call of {@code opcode} with {@code aux} names: its callee's, or the indirect call's own. */
  private int signatureRef(Opcode opcode, int aux) {
    return opcode.format() == InstFormat.CALL ? extFunc(aux).sigRef() : aux;
  }

  /** The type of the one result an instruction defines under {@code rule}, neither NONE nor SIGNATURE. */
  private static Type singleResultType(ResultRule rule, Type ctrlType, int aux) {
    return switch (rule) {
      case CTRL -> ctrlType;
      case I32 -> Type.I32;
      case F32 -> Type.F32;
      case F64 -> Type.F64;
      case V128 -> Type.V128;
      case LANE -> Lanes.ofOrdinal(aux).scalarType();
      case NONE, SIGNATURE -> throw new IllegalArgumentException(rule + " is no single result");
    };
  }

  /**
   * Rewrites {@code inst} in place to another operation with the same result types (e.g. constant
   * folding turns {@code iadd} into {@code iconst}); the results keep their ids, so no use changes.
   */
  public void replaceInst(int inst, Opcode opcode, Type ctrlType, long imm, int aux, int[] args,
      int[] blockCalls) {
    List<Type> now = resultTypesOf(inst);
    if (!now.equals(resultTypes(opcode, ctrlType, aux))) {
      throw new IllegalArgumentException("replacement of inst" + inst + " changes its results");
    }
    instOpcode[inst] = (short) opcode.ordinal();
    noteOpcode(opcode);
    instCtrlType[inst] = (byte) (ctrlType == null ? -1 : ctrlType.ordinal());
    instImm[inst] = imm;
    instAux[inst] = aux;
    lists.replace(instArgs[inst], args);
    instDests[inst] = blockCalls == null ? NO_LIST : lists.create(blockCalls);
  }

  private List<Type> resultTypesOf(int inst) {
    List<Type> types = new ArrayList<>();
    for (int r : results(inst)) {
      types.add(valueType(r));
    }
    return types;
  }

  /**
   * The wasm code offset the instruction came from (unsigned; {@link #NO_SOURCE_LOC} when none),
   * carried through lowering into the address map and trap table.
   */
  public int sourceLoc(int inst) {
    checkInst(inst);
    return instSourceLoc[inst];
  }

  public void setSourceLoc(int inst, int loc) {
    checkInst(inst);
    instSourceLoc[inst] = loc;
  }

  /**
   * The inlined call {@code inst} was copied from ({@link #inlineSite(int)}), or {@link
   * InlineSite#NONE} for an instruction of the function's own body. Its {@link #sourceLoc} is then
   * a wasm offset in that site's callee.
   */
  public int inlineSiteOf(int inst) {
    checkInst(inst);
    return instInlineSite[inst];
  }

  public void setInlineSiteOf(int inst, int site) {
    checkInst(inst);
    if (site < InlineSite.NONE || site >= inlineSites.size()) {
      throw new IllegalArgumentException("no inline site " + site);
    }
    instInlineSite[inst] = site;
  }

  public Opcode opcode(int inst) {
    checkInst(inst);
    return Opcode.ofOrdinal(instOpcode[inst]);
  }

  /**
   * Whether an instruction with {@code opcode} was made, or another one replaced by one, since the
   * graph was made or cleared: false means no instruction has it; true, that one may (it may have
   * been removed or replaced since).
   */
  public boolean mayHaveOpcode(Opcode opcode) {
    int bit = opcode.ordinal();
    return (opcodesMade[bit >>> 6] & (1L << bit)) != 0;
  }

  /**
   * Whether an instruction with one of the opcodes whose ordinals {@code opcodeBits} sets ({@link
   * #opcodeBits}) was made, or another one replaced by one: {@link #mayHaveOpcode} for a set of
   * opcodes, a word per 64 of them.
   */
  public boolean mayHaveAnyOpcode(long[] opcodeBits) {
    for (int w = 0; w < opcodesMade.length; w++) {
      if ((opcodesMade[w] & opcodeBits[w]) != 0) {
        return true;
      }
    }
    return false;
  }

  /** The bits {@link #mayHaveAnyOpcode} asks about for {@code opcodes}. */
  public static long[] opcodeBits(Iterable<Opcode> opcodes) {
    long[] bits = new long[OPCODE_WORDS];
    for (Opcode op : opcodes) {
      bits[op.ordinal() >>> 6] |= 1L << op.ordinal();
    }
    return bits;
  }

  private void noteOpcode(Opcode opcode) {
    int bit = opcode.ordinal();
    opcodesMade[bit >>> 6] |= 1L << bit;
  }

  /** The controlling type, or null when the opcode has none. */
  public Type ctrlType(int inst) {
    checkInst(inst);
    int t = instCtrlType[inst];
    return t < 0 ? null : Type.ofOrdinal(t);
  }

  public long imm(int inst) {
    checkInst(inst);
    return instImm[inst];
  }

  public int aux(int inst) {
    checkInst(inst);
    return instAux[inst];
  }

  public IntCC intCC(int inst) {
    return IntCC.ofOrdinal(aux(inst));
  }

  public FloatCC floatCC(int inst) {
    return FloatCC.ofOrdinal(aux(inst));
  }

  public TrapCode trapCode(int inst) {
    return TrapCode.ofOrdinal(aux(inst));
  }

  /** The lane shape of a lane-shaped vector instruction ({@link Opcode#hasLanes()}). */
  public Lanes lanes(int inst) {
    return Lanes.ofOrdinal(aux(inst));
  }

  /** The condition of a {@link InstFormat#VINT_COMPARE}, in the immediate. */
  public IntCC laneIntCC(int inst) {
    return IntCC.ofOrdinal((int) imm(inst));
  }

  /** The condition of a {@link InstFormat#VFLOAT_COMPARE}, in the immediate. */
  public FloatCC laneFloatCC(int inst) {
    return FloatCC.ofOrdinal((int) imm(inst));
  }

  public MemFlags memFlags(int inst) {
    return MemFlags.ofBits(aux(inst));
  }

  /**
   * {@link Opcode#hasSideEffects()} of this instruction: its opcode's, or a load that is its own
   * bounds check ({@link MemFlags#traps()}).
   */
  public boolean hasSideEffects(int inst) {
    Opcode op = opcode(inst);
    return op.hasSideEffects() || op.format() == InstFormat.LOAD && memFlags(inst).traps();
  }

  /**
   * A hash of what {@code inst} computes: its opcode, controlling type, immediate, aux field and
   * operands, the operands as they stand (an alias is not resolved: value numbering, the caller,
   * resolved them, {@link #resolveOperands}). Read from the arrays in place, with no opcode or type
   * object made: value numbering hashes each candidate instruction once (0.5% of a yosys compile's
   * samples, JFR 2026-11-26, with an alias lookup and a checked list read per operand).
   */
  public int computationHash(int inst) {
    checkInst(inst);
    int h = instOpcode[inst];
    h = 31 * h + instCtrlType[inst];
    h = 31 * h + Long.hashCode(instImm[inst]);
    h = 31 * h + instAux[inst];
    return lists.foldHash(instArgs[inst], h);
  }

  /**
   * Whether {@code a} and {@code b} compute the same: the same opcode, controlling type, immediate,
   * aux field and operands, the operands compared as they stand ({@link #computationHash}).
   */
  public boolean sameComputation(int a, int b) {
    checkInst(a);
    checkInst(b);
    return instOpcode[a] == instOpcode[b] && instCtrlType[a] == instCtrlType[b]
        && instImm[a] == instImm[b] && instAux[a] == instAux[b]
        && lists.sameElements(instArgs[a], instArgs[b]);
  }

  public int argCount(int inst) {
    checkInst(inst);
    return lists.size(instArgs[inst]);
  }

  public int arg(int inst, int index) {
    checkInst(inst);
    return lists.get(instArgs[inst], index);
  }

  public void setArg(int inst, int index, int value) {
    checkInst(inst);
    lists.set(instArgs[inst], index, value);
  }

  public int[] args(int inst) {
    checkInst(inst);
    return lists.toArray(instArgs[inst]);
  }

  public int resultCount(int inst) {
    checkInst(inst);
    return lists.size(instResults[inst]);
  }

  public int result(int inst, int index) {
    checkInst(inst);
    return lists.get(instResults[inst], index);
  }

  /** The single result of {@code inst}; fails when it has none or several. */
  public int firstResult(int inst) {
    if (resultCount(inst) != 1) {
      throw new IllegalStateException("inst" + inst + " has " + resultCount(inst) + " results");
    }
    return result(inst, 0);
  }

  public int[] results(int inst) {
    checkInst(inst);
    return lists.toArray(instResults[inst]);
  }

  /** Number of branch destinations (0 for non-branches). */
  public int destCount(int inst) {
    checkInst(inst);
    return instDests[inst] == NO_LIST ? 0 : lists.size(instDests[inst]);
  }

  /** Branch destination {@code index} as a block call ({@code br_table}: 0 is the default). */
  public int dest(int inst, int index) {
    checkInst(inst);
    return lists.get(instDests[inst], index);
  }

  // ------------------------------------------------------------------ signatures and callees

  public int addSignature(Signature sig) {
    signatures.add(sig);
    int sigRef = signatures.size() - 1;
    if (firstSignature != null) {
      firstSignature.putIfAbsent(sig, sigRef);
    }
    return sigRef;
  }

  /** The first signature reference equal to {@code sig}, or -1. */
  public int findSignature(Signature sig) {
    if (firstSignature == null) {
      firstSignature = new HashMap<>();
      for (int s = 0; s < signatures.size(); s++) {
        firstSignature.putIfAbsent(signatures.get(s), s);
      }
    }
    return firstSignature.getOrDefault(sig, -1);
  }

  public Signature signature(int sigRef) {
    return signatures.get(sigRef);
  }

  public int signatureCount() {
    return signatures.size();
  }

  public int addExtFunc(ExtFuncData data) {
    if (data.sigRef() < 0 || data.sigRef() >= signatures.size()) {
      throw new IllegalArgumentException("no signature sig" + data.sigRef());
    }
    extFuncs.add(data);
    int funcRef = extFuncs.size() - 1;
    if (firstExtFunc != null) {
      firstExtFunc.putIfAbsent(data, funcRef);
    }
    return funcRef;
  }

  /** The first function reference equal to {@code data}, or -1. */
  public int findExtFunc(ExtFuncData data) {
    if (firstExtFunc == null) {
      firstExtFunc = new HashMap<>();
      for (int f = 0; f < extFuncs.size(); f++) {
        firstExtFunc.putIfAbsent(extFuncs.get(f), f);
      }
    }
    return firstExtFunc.getOrDefault(data, -1);
  }

  public ExtFuncData extFunc(int funcRef) {
    return extFuncs.get(funcRef);
  }

  public int extFuncCount() {
    return extFuncs.size();
  }

  /**
   * Makes call {@code inst} a safepoint whose stack map is {@code slots}: the stack slots ({@link
   * Opcode#STACK_ADDR}) that hold the GC references live across the call, which a collection under
   * the call may rewrite (the translator reloads them after it), besides the function's resident
   * slots ({@link #setResidentSlots}), which every map names. An empty map still marks a safepoint:
   * the frame holds no reference there but in its resident slots.
   */
  public void setStackMap(int inst, int[] slots) {
    if (!opcode(inst).isCall()) {
      throw new IllegalArgumentException("inst" + inst + " is not a call");
    }
    for (int slot : slots) {
      if (slot < 0) {
        throw new IllegalArgumentException("negative stack slot " + slot);
      }
    }
    stackMaps.put(inst, slots.clone());
  }

  /** The stack map of call {@code inst} ({@link #setStackMap}), or null when it is no safepoint. */
  public int[] stackMap(int inst) {
    int[] slots = stackMaps.get(inst);
    return slots == null ? null : slots.clone();
  }

  /**
   * Declares {@code slots} the function's resident slots: stack slots that hold GC references for
   * the whole function (frame-resident locals), which every stack map of the function names besides
   * its own ({@link #setStackMap}), so a collection under any safepoint rewrites them. Kept once for
   * the function rather than copied into each map: K resident slots across M safepoints are K + M
   * ints here and in the artifact ({@code .kiln.stackmaps}' resident sets), not K x M.
   */
  public void setResidentSlots(int[] slots) {
    for (int slot : slots) {
      if (slot < 0) {
        throw new IllegalArgumentException("negative stack slot " + slot);
      }
    }
    residentSlots = slots.clone();
  }

  /** The slots every stack map of the function names besides its own ({@link #setResidentSlots}); empty when none. */
  public int[] residentSlots() {
    return residentSlots.clone();
  }

  /** Whether any call has a stack map. */
  public boolean hasStackMaps() {
    return !stackMaps.isEmpty();
  }

  /**
   * Declares an inlined call; returns its index. A site's parent is declared before it, so the
   * sites form a forest whose walk from any site to {@link InlineSite#NONE} ends.
   */
  public int addInlineSite(InlineSite site) {
    if (site.parent() >= inlineSites.size()) {
      throw new IllegalArgumentException("inline site parent " + site.parent() + " is not declared yet");
    }
    inlineSites.add(site);
    return inlineSites.size() - 1;
  }

  public InlineSite inlineSite(int index) {
    return inlineSites.get(index);
  }

  public int inlineSiteCount() {
    return inlineSites.size();
  }

  /** Every inline site, by index. */
  public List<InlineSite> inlineSites() {
    return List.copyOf(inlineSites);
  }

  /** The signature an instruction calls with (CALL: the callee's, CALL_INDIRECT: the declared). */
  public Signature callSignature(int inst) {
    return switch (opcode(inst).format()) {
      case CALL -> signature(extFunc(aux(inst)).sigRef());
      case CALL_INDIRECT -> signature(aux(inst));
      default -> throw new IllegalArgumentException("inst" + inst + " is not a call");
    };
  }

  // ------------------------------------------------------------------ vector constants

  /**
   * A 128-bit constant as its two little-endian halves: bytes 0-7 and bytes 8-15.
   *
   * <p>Comparable because the pool's index is a {@link HashMap} keyed by the guest's constants: a
   * record's hash of two longs is easy to make collide (every {@code i32x4 k k k k} hashes alike), and
   * HashMap searches a bin of equal hashes in O(log n) only when its keys are Comparable, linearly
   * otherwise (red team 6, F2: 20,000 such constants took minutes).
   */
  public record VectorConstant(long low, long high) implements Comparable<VectorConstant> {
    @Override
    public int compareTo(VectorConstant other) {
      int byHigh = Long.compare(high, other.high);
      return byHigh != 0 ? byHigh : Long.compare(low, other.low);
    }
  }

  /**
   * The pool index of the 128-bit constant with halves {@code low} (bytes 0-7) and {@code high}
   * (bytes 8-15), added if it is new.
   */
  public int vectorConstant(long low, long high) {
    return vectorConstantIndex.computeIfAbsent(new VectorConstant(low, high), c -> {
      vectorConstants.add(c);
      return vectorConstants.size() - 1;
    });
  }

  /** The constant at pool index {@code index}. */
  public VectorConstant vectorConstantAt(int index) {
    if (index < 0 || index >= vectorConstants.size()) {
      throw new IllegalArgumentException("no vector constant " + index);
    }
    return vectorConstants.get(index);
  }

  /** Number of constants in the pool; indexes are {@code 0 .. vectorConstantCount()-1}. */
  public int vectorConstantCount() {
    return vectorConstants.size();
  }

  // ------------------------------------------------------------------ checks

  private void checkValue(int v) {
    if (v < 0 || v >= valueCount) {
      throw new IllegalArgumentException("no value v" + v);
    }
  }

  private void checkInst(int inst) {
    if (inst < 0 || inst >= instCount) {
      throw new IllegalArgumentException("no instruction inst" + inst);
    }
  }

  private void checkBlock(int block) {
    if (!isBlockValid(block)) {
      throw new IllegalArgumentException("no block block" + block);
    }
  }
}
