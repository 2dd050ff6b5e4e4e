package dev.kiln.codegen.lower;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.codegen.regalloc.BlockLoops;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.vcode.VCodeInst;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.InlineSite;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.analysis.NaturalLoops;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Drives the lowering of one IR function to {@link VCode}: use counts, block numbering with
 * critical-edge splitting, block parameters as vregs, and the walk over the IR blocks in layout
 * order, and constants rematerialized at each {@link #use}. Its subclass {@link LowerBackend}
 * implements {@link #lowerInst}, {@link #lowerEntryArgs} and {@link #materializeInt} and its float
 * and vector twins by routing to the ISA's hooks; the ISA supplies {@link #jump} and {@link
 * #lowerParamsMark} itself. This class decides nothing that depends on the ISA.
 *
 * <p>One instance lowers one function: construct it, then call {@link #lowerFunction()} once.
 *
 * @param <I> the ISA's machine instruction
 */
public abstract class LoweringDriver<I extends VCodeInst> {
  /** What folds into what: the shifts an ISA may take as an operand, the instructions taking them or a not. */
  private static final Set<Opcode> SHIFTS =
      EnumSet.of(Opcode.ISHL, Opcode.USHR, Opcode.SSHR, Opcode.ROTL, Opcode.ROTR);
  private static final Set<Opcode> LOGICAL = EnumSet.of(Opcode.BAND, Opcode.BOR, Opcode.BXOR);
  private static final Set<Opcode> AND = EnumSet.of(Opcode.BAND);
  private static final Set<Opcode> ADD_SUB = EnumSet.of(Opcode.IADD, Opcode.ISUB);

  protected final Function func;
  protected final DataFlowGraph dfg;
  protected final Layout layout;
  protected final VCode<I> vc;
  /** The wasm offset of the IR instruction being lowered, for trap sites and refusals. */
  protected int sourceLoc = DataFlowGraph.NO_SOURCE_LOC;
  /** The inline site of the IR instruction being lowered ({@code sourceLoc} is in its callee). */
  protected int inlineSite = InlineSite.NONE;

  private final VReg[] vregs;
  private final int[] uses;
  private final int[] condUses;
  private final int[] addrUses;
  /** Per value: the instruction of its last use in layout order (its only one when uses is 1). */
  private final int[] lastUser;
  /**
   * Per IR block, its VCode block (-1 for a block not in the layout). Arrays, not maps of boxed
   * numbers: every edge and jump of the function looks them up, and C1 (kiln compile's JIT under 24 MB)
   * inlines neither the hashing nor the boxing.
   */
  private final int[] machineBlock;
  /**
   * Per IR block whose terminator has a split edge, per destination index: the split block on that
   * edge, or -1 (null for the other blocks). By block, not by instruction: an array as long as the
   * function's instructions, made per function for its few terminators, was 0.7% of yosys's sampled
   * allocation.
   */
  private final int[][] splitBlocks;
  /**
   * The function's calls and {@code stack_addr}s in layout order, the first {@link #frameUserCount}:
   * what places its stack slots ({@link CallLowering}), found by {@link #countUses}'s walk over every
   * instruction rather than by a walk of its own.
   */
  private int[] frameUsers = new int[8];
  private int frameUserCount;
  /**
   * Whether an operand of a placed instruction may still name an alias. Lowering changes no IR, so
   * what the graph says when lowering starts holds throughout; after the pass pipeline (which ends
   * resolving every operand) or a builder's finish it is false, and {@link #resolved} looks nothing
   * up: a lookup per operand, per use count, per fold a lowering asks about.
   */
  private final boolean operandsMayNameAliases;
  /**
   * Per IR block ending in a {@code br_table} with destinations sharing an edge: each destination's
   * {@link #edgeOf}; null while no table shares one (most functions). Indexed by block, not kept in a
   * map by terminator: a boxed key per edge looked up was 0.9% of a Go program's compile allocation.
   */
  private int[][] sharedTableEdges;
  /**
   * Per IR block, the first destination of the {@code br_table} being read that reaches it without
   * arguments; -1 elsewhere (each table clears what it set).
   */
  private int[] firstWithoutArgs;

  protected LoweringDriver(Function func) {
    this.func = func;
    this.dfg = func.dfg();
    operandsMayNameAliases = dfg.operandsMayNameAliases();
    this.layout = func.layout();
    vc = new VCode<>(dfg.instCount());
    machineBlock = new int[dfg.blockCount()];
    java.util.Arrays.fill(machineBlock, -1);
    splitBlocks = new int[dfg.blockCount()][];
    int n = dfg.valueCount();
    vregs = new VReg[n];
    uses = new int[n];
    condUses = new int[n];
    addrUses = new int[n];
    lastUser = new int[n];
  }

  // ------------------------------------------------------------------ what the ISA supplies

  /** Moves the entry block's incoming arguments (by the ISA's calling convention) into vregs. */
  protected abstract void lowerEntryArgs(int entryBlock);

  /** Lowers one IR instruction at the current position. */
  protected abstract void lowerInst(int inst);

  /** Appends an unconditional branch to VCode block {@code target} passing {@code args}. */
  protected abstract void jump(int target, List<VReg> args);

  /** Puts integer constant {@code value} of type {@code type} into {@code into}. */
  protected abstract void materializeInt(VReg into, Type type, long value);

  /** Puts the f32 or f64 constant with raw bits {@code bits} into {@code into}. */
  protected abstract void materializeFloat(VReg into, Type type, long bits);

  /** Puts a v128 constant into {@code into}. */
  protected abstract void materializeVector(VReg into, DataFlowGraph.VectorConstant value);

  /**
   * A register holding IR value {@code v} at the current position. A constant is materialized into
   * a fresh vreg at each use instead of living in a register from its definition, so it never
   * occupies a register across a loop (the ISA may instead fold it into an immediate where it is
   * used, and then never calls this).
   */
  public final VReg use(int v) {
    Opcode def = defOpcode(v);
    if (def == Opcode.ICONST) {
      VReg t = vc.newVReg(RegClass.INT);
      materializeInt(t, type(v), constValue(v));
      return t;
    }
    if (def == Opcode.F32CONST || def == Opcode.F64CONST) {
      VReg t = vc.newVReg(RegClass.FLOAT);
      materializeFloat(t, type(v), constValue(v));
      return t;
    }
    if (def == Opcode.VCONST) {
      VReg t = vc.newVReg(RegClass.FLOAT);
      materializeVector(t, vectorConstValue(v));
      return t;
    }
    return vreg(v);
  }

  /**
   * Whether {@code v} is known to be below 2^32: {@code uextend.i64} of an i32, or a constant below
   * 2^32 (a constant address, once {@code ArithmeticSimplification} has folded its extension). A
   * bounds check of such an index plus an offset below 2^32 cannot overflow 64 bits (every 32-bit
   * memory's address, wasm spec 4.4.7), which lets both ISAs drop the carry check.
   */
  protected final boolean isBelow2To32(int v) {
    if (dfg.valueKind(v) != DataFlowGraph.VALUE_RESULT) {
      return false;
    }
    int def = dfg.valueDef(v);
    return switch (dfg.opcode(def)) {
      case UEXTEND -> dfg.valueType(resolved(dfg.arg(def, 0))) == Type.I32;
      case ICONST -> dfg.valueType(v) == Type.I32 ? dfg.imm(def) >= 0 : (dfg.imm(def) >>> 32) == 0;
      default -> false;
    };
  }

  // ------------------------------------------------------------------ the driver

  /**
   * Adds an instruction that reads and writes nothing and emits no code, at the top of every block
   * but the entry that has more than a terminator. It gives the block's parameters and live-in values
   * a program point before its first real instruction: there the allocator can let a two-address
   * (REUSE) output take the register of an input the instruction consumes, copying in the gap before
   * it (regalloc {@code IntervalBuilder}: a block's first instruction has no such gap of its own).
   * Loop headers and bodies start with exactly that ({@code acc = acc + x}, {@code acc *= n});
   * without the mark the input and the result sit in two registers and the back edge copies one into
   * the other on every iteration. A block that is only a jump gets none, so it stays an empty
   * forwarding block.
   */
  protected abstract void lowerParamsMark();

  /** Lowers the whole function and returns its finished VCode. */
  protected final VCode<I> lowerFunction() {
    // The layout order, walked once: layout.blocks() follows the block list and copies it out.
    int[] order = layout.blocks();
    countUses(order);
    numberBlocks(order);
    int entry = layout.entryBlock();
    for (int b : order) {
      CompileDeadline.poll();
      List<VReg> params = List.of();
      if (b != entry) {
        // A block parameter has no instruction of its own: report one at the block's first.
        int first = layout.firstInst(b);
        sourceLoc = first >= 0 ? dfg.sourceLoc(first) : DataFlowGraph.NO_SOURCE_LOC;
        inlineSite = first >= 0 ? dfg.inlineSiteOf(first) : InlineSite.NONE;
        params = vregs(b);
      }
      vc.startBlock(machineBlock[b], params);
      if (b == entry) {
        lowerEntryArgs(entry);
      } else if (layout.firstInst(b) != layout.lastInst(b)) {
        sourceLoc = DataFlowGraph.NO_SOURCE_LOC; // emits nothing: no address map entry of its own
        inlineSite = InlineSite.NONE;
        lowerParamsMark();
      }
      for (int inst = layout.firstInst(b); inst >= 0; inst = layout.nextInst(inst)) {
        sourceLoc = dfg.sourceLoc(inst);
        inlineSite = dfg.inlineSiteOf(inst);
        lowerInst(inst);
      }
      int term = layout.lastInst(b);
      for (int d = 0; d < dfg.destCount(term); d++) {
        int split = edgeOf(term, d) == d ? splitBlock(term, d) : -1;
        if (split >= 0) {
          vc.startBlock(split, List.of());
          int call = dfg.dest(term, d);
          jump(machineBlock[dfg.blockCallBlock(call)], argRegs(call));
        }
      }
    }
    // The IR passes' loops, where they found them: the allocator's own search would find the same.
    NaturalLoops loops = func.loopsFromPasses();
    if (loops != null) {
      vc.keepLoops(loops.isEmpty() ? BlockLoops.NONE
          : LoweredLoops.of(loops, vc.numBlocks(), order, machineBlock, splitBlocks, dfg, layout));
    }
    return vc.finish();
  }

  // Operands and branch arguments read in place by the graph (countOperandUses), which resolves
  // them only when one may name an alias, not fetched one call each: this walks every operand of
  // the function. The condition and the address, one operand of a few opcodes, are read apart.
  private void countUses(int[] order) {
    for (int b : order) {
      for (int inst = layout.firstInst(b); inst >= 0; inst = layout.nextInst(inst)) {
        Opcode op = dfg.opcode(inst);
        if (op == Opcode.CALL || op == Opcode.CALL_INDIRECT || op == Opcode.STACK_ADDR) {
          if (frameUserCount == frameUsers.length) {
            frameUsers = java.util.Arrays.copyOf(frameUsers, 2 * frameUserCount);
          }
          frameUsers[frameUserCount++] = inst;
        }
        dfg.countOperandUses(inst, uses, lastUser);
        if (isConditionConsumer(op)) {
          condUses[resolved(dfg.arg(inst, 0))]++;
        }
        int addressOperand = addressOperand(op);
        if (addressOperand >= 0) {
          addrUses[resolved(dfg.arg(inst, addressOperand))]++;
        }
      }
    }
  }

  /** How many calls and {@code stack_addr}s the function has ({@link #frameUser}). */
  final int frameUserCount() {
    return frameUserCount;
  }

  /** The {@code i}th call or {@code stack_addr} of the function in layout order. */
  final int frameUser(int i) {
    return frameUsers[i];
  }

  /** Operators whose first operand is a condition an ISA may fuse a compare into. */
  private static boolean isConditionConsumer(Opcode op) {
    return op == Opcode.BRIF || op == Opcode.SELECT || op == Opcode.TRAPZ || op == Opcode.TRAPNZ;
  }

  /** Which operand of an {@code op} instruction is a memory address, or -1. */
  private static int addressOperand(Opcode op) {
    return switch (op.format()) {
      case LOAD -> 0;
      case STORE -> 1;
      default -> -1;
    };
  }

  /**
   * Gives every IR block a VCode block in layout order, and every edge from a block with several
   * successors into a block with several incoming edges an empty block of its own: the allocator
   * places edge moves at the end of a single-successor block or the start of a single-predecessor
   * one, which needs no critical edges. Edges are counted as VCode has them ({@link #edgeOf}).
   */
  private void numberBlocks(int[] order) {
    int entry = layout.entryBlock();
    // Per IR block, the VCode edges into it.
    int[] edges = new int[dfg.blockCount()];
    for (int b : order) {
      int term = layout.lastInst(b);
      if (dfg.opcode(term) == Opcode.BR_TABLE) {
        shareTableEdges(term);
      }
      for (int d = 0; d < dfg.destCount(term); d++) {
        if (edgeOf(term, d) == d) {
          edges[dfg.blockCallBlock(dfg.dest(term, d))]++;
        }
      }
    }
    if (edges[entry] > 0) {
      throw new IllegalArgumentException("the entry block of " + func.name().text()
          + " has predecessors; the lowering needs an entry block without them");
    }
    for (int b : order) {
      machineBlock[b] = vc.newBlock();
      int term = layout.lastInst(b);
      int n = dfg.destCount(term);
      int successors = 0;
      for (int d = 0; d < n; d++) {
        successors += edgeOf(term, d) == d ? 1 : 0;
      }
      if (successors > 1) {
        for (int d = 0; d < n; d++) {
          if (edgeOf(term, d) == d && edges[dfg.blockCallBlock(dfg.dest(term, d))] > 1) {
            if (splitBlocks[b] == null) {
              splitBlocks[b] = new int[n];
              java.util.Arrays.fill(splitBlocks[b], -1);
            }
            splitBlocks[b][d] = vc.newBlock();
          }
        }
      }
    }
  }

  /**
   * The destination of terminator {@code term} whose VCode edge destination {@code d} takes: the
   * first of a {@code br_table}'s destinations that name the same block without arguments, else
   * {@code d} itself. Such destinations go to one place with the same (no) values, so they are one
   * edge, and the table's dispatch ({@link #tableEdges}) tells its cases apart. The translator gives
   * a label that a table names more than once a landing block without parameters, so a table's
   * VCode edges, their split blocks, the allocator's liveness and edge moves grow with the labels it
   * names, not with its entries (one edge per entry into a landing block would make each entry a
   * block the landing block's live values are live out of: entries x values again).
   */
  private int edgeOf(int term, int d) {
    if (sharedTableEdges == null) {
      return d;
    }
    int[] shared = sharedTableEdges[layout.instBlock(term)];
    return shared == null ? d : shared[d];
  }

  /** Records {@link #edgeOf} for the destinations of {@code br_table} {@code term}. */
  private void shareTableEdges(int term) {
    int n = dfg.destCount(term);
    int[] edgeOf = new int[n];
    if (firstWithoutArgs == null) {
      firstWithoutArgs = new int[dfg.blockCount()];
      java.util.Arrays.fill(firstWithoutArgs, -1);
    }
    boolean shared = false;
    for (int d = 0; d < n; d++) {
      int call = dfg.dest(term, d);
      int first = -1;
      if (dfg.blockCallArgCount(call) == 0) {
        int target = dfg.blockCallBlock(call);
        first = firstWithoutArgs[target];
        if (first < 0) {
          firstWithoutArgs[target] = d;
        }
      }
      edgeOf[d] = first < 0 ? d : first;
      shared |= first >= 0;
    }
    for (int d = 0; d < n; d++) { // cleared for the next table: only the entries this one set
      firstWithoutArgs[dfg.blockCallBlock(dfg.dest(term, d))] = -1;
    }
    if (shared) {
      if (sharedTableEdges == null) {
        sharedTableEdges = new int[dfg.blockCount()][];
      }
      sharedTableEdges[layout.instBlock(term)] = edgeOf;
    }
  }

  /** The split block on terminator {@code inst}'s edge to destination {@code dest}, or -1. */
  private int splitBlock(int inst, int dest) {
    int[] split = splitBlocks[layout.instBlock(inst)];
    return split == null ? -1 : split[dest];
  }

  // ------------------------------------------------------------------ edges

  /** The VCode block of IR block {@code irBlock}. */
  protected final int machineBlock(int irBlock) {
    int block = machineBlock[irBlock];
    if (block < 0) {
      throw new IllegalStateException("IR block " + irBlock + " has no VCode block");
    }
    return block;
  }

  // The two lists below read the IR's lists in place and are immutable lists, which VCode keeps
  // as they are (its List.copyOf): one copy per block and per edge, not a copy of the IR's list, a
  // growing list and a copy of that.

  /** The registers of block {@code b}'s parameters, in order. */
  private List<VReg> vregs(int b) {
    int n = dfg.blockParamCount(b);
    if (n == 0) {
      return List.of();
    }
    VReg[] params = new VReg[n];
    for (int k = 0; k < n; k++) {
      params[k] = vreg(dfg.blockParam(b, k));
    }
    return List.of(params);
  }

  /** The registers of a block call's arguments, in order. */
  protected final List<VReg> argRegs(int blockCall) {
    int n = dfg.blockCallArgCount(blockCall);
    if (n == 0) {
      return List.of();
    }
    VReg[] args = new VReg[n];
    for (int k = 0; k < n; k++) {
      args[k] = use(dfg.blockCallArg(blockCall, k));
    }
    return List.of(args);
  }

  /**
   * The VCode block where an exception thrown under call {@code inst} lands: the landing destination
   * of the {@code unwind_edge} right after it (its split block when it has one), or -1 when the call
   * has no exceptional edge.
   */
  protected final int landingBlock(int inst) {
    int next = layout.nextInst(inst);
    if (next < 0 || dfg.opcode(next) != Opcode.UNWIND_EDGE) {
      return -1;
    }
    return edge(next, 1).block();
  }

  /** Lowers a terminator with one destination (a {@code jump}) as a jump along it. */
  protected final void edgeJump(int inst) {
    int call = dfg.dest(inst, 0);
    jump(machineBlock(dfg.blockCallBlock(call)), argRegs(call));
  }

  /**
   * Where destination {@code d} of terminator {@code inst} goes in VCode: the edge's split block
   * (which passes the arguments itself) or the destination block with its arguments.
   */
  protected final VCode.Target edge(int inst, int d) {
    int e = edgeOf(inst, d);
    int split = splitBlock(inst, e);
    if (split >= 0) {
      return new VCode.Target(split, List.of());
    }
    int call = dfg.dest(inst, e);
    return new VCode.Target(machineBlock(dfg.blockCallBlock(call)), argRegs(call));
  }

  /**
   * A {@code br_table}'s dispatch and its VCode edges ({@link #edgeOf}): per case, the default
   * first, the VCode block it goes to; and each edge once, in the order the cases first take it.
   * With one edge every case goes the same way, and the ISA jumps.
   */
  protected final TableEdges tableEdges(int inst) {
    int n = dfg.destCount(inst);
    int[] blocks = new int[n];
    List<VCode.Target> targets = new ArrayList<>();
    for (int d = 0; d < n; d++) {
      int e = edgeOf(inst, d);
      if (e == d) {
        VCode.Target t = edge(inst, d);
        targets.add(t);
        blocks[d] = t.block();
      } else {
        blocks[d] = blocks[e];
      }
    }
    return new TableEdges(new BranchTable(blocks), targets);
  }

  /** A {@code br_table}'s dispatch by case and its distinct VCode edges ({@link #tableEdges}). */
  public record TableEdges(BranchTable dispatch, List<VCode.Target> edges) {
    public TableEdges {
      edges = List.copyOf(edges);
    }
  }

  // ------------------------------------------------------------------ calls

  /** The vregs of a call's results, in order. */
  protected final List<VReg> resultRegs(int call) {
    List<VReg> results = new ArrayList<>();
    for (int r : dfg.results(call)) {
      results.add(vreg(r));
    }
    return results;
  }

  /** The FuncKey of a direct call's callee ({@link #funcKey}). */
  protected final long calleeKey(int call) {
    return funcKey(dfg.extFunc(dfg.aux(call)).name());
  }

  /**
   * The raw FuncKey a direct callee's name stands for: {@code u<namespace>:<index>} is the key
   * with that namespace (the FuncKeyKind) in the high half and the index in the low half, so the
   * linker resolves the call's relocation by key.
   */
  public static long funcKey(ExternalName name) {
    if (name instanceof ExternalName.User(int namespace, int index)) {
      return (long) namespace << 32 | Integer.toUnsignedLong(index);
    }
    throw new IllegalArgumentException("direct calls need a FuncKey name (u<ns>:<index>): "
        + name.text());
  }

  // ------------------------------------------------------------------ values

  /**
   * The register class of an IR type: INT for integers, FLOAT for f32, f64 and v128, which share
   * one register file on both ISAs (xmm, V); a FLOAT register or spill slot always holds all 128
   * bits, so the allocator needs no class of its own for vectors (as in Cranelift's regalloc2 use,
   * whose float class spills 16 bytes).
   */
  public static RegClass regClass(Type t) {
    return t.isInt() ? RegClass.INT : RegClass.FLOAT;
  }

  /** The value {@code v}, an operand or result of a placed instruction, stands for. */
  protected final int resolved(int v) {
    return operandsMayNameAliases ? dfg.resolveAliases(v) : v;
  }

  /** The vreg of an IR value that lives in a register (created on first mention). */
  public final VReg vreg(int v) {
    v = resolved(v);
    if (vregs[v] == null) {
      vregs[v] = vc.newVReg(regClass(dfg.valueType(v)));
    }
    return vregs[v];
  }

  /**
   * Gives IR value {@code v}, which has no vreg yet, the register {@code r}: for a value that is the
   * same bits as another, like {@code ireduce} taking a register's low half.
   */
  protected final void bindVReg(int v, VReg r) {
    v = resolved(v);
    if (vregs[v] != null) {
      throw new IllegalStateException("value v" + v + " already has " + vregs[v]);
    }
    vregs[v] = r;
  }

  /**
   * Lowers {@code inst} by giving its result its operand's register, when the result is the same
   * bits on every ISA: an {@code ireduce} (an i32 is the low half of the i64's register), the
   * lane-0 extract of a float shape (an f32 or f64 value is the low lane of its vector register), or
   * the {@code uextend} to i64 of an i32 whose upper half is already zero ({@link #upperHalfZero}).
   * Returns false, emitting nothing, when {@code inst} is neither, or its result has a register
   * already (a use came first), and the ISA must lower it as an instruction.
   */
  protected final boolean aliasOperand(int inst) {
    Opcode op = dfg.opcode(inst);
    boolean sameBits = op == Opcode.IREDUCE || op == Opcode.VEXTRACTLANE
        && dfg.lanes(inst).isFloat() && dfg.imm(inst) == 0
        || op == Opcode.UEXTEND && upperHalfZero(dfg.arg(inst, 0));
    int r = dfg.firstResult(inst);
    if (!sameBits || hasVReg(r)) {
      return false;
    }
    bindVReg(r, use(dfg.arg(inst, 0)));
    return true;
  }

  /**
   * Whether the register of the i32 value {@code v} holds zeros in its upper 32 bits: {@code v} is
   * the result of an operator that both lowerings compute with a 32-bit instruction, and every
   * 32-bit register write zero-extends into the whole register (x86-64: SDM Vol. 1 section 3.4.1.1,
   * "32-bit operands generate a 32-bit result, zero-extended to a 64-bit result"; AArch64: a write to
   * a W register zeroes bits 63:32, Arm ARM C1.2.5), while allocator moves and spills copy all 64
   * bits. Cranelift's x64 backend makes the same test ({@code value32_zeros_upper32}). Not so: block
   * parameters and call results (any producer), {@code ireduce} (the i64's upper half), and
   * operators some lowering computes with a 64-bit or conditional instruction (select, rotates).
   */
  public final boolean upperHalfZero(int v) {
    Opcode op = defOpcode(v);
    if (op == null || type(v) != Type.I32) {
      return false;
    }
    return switch (op) {
      case IADD, ISUB, IMUL, BAND, BOR, BXOR, ISHL, USHR, SSHR,
          LOAD, ULOAD8, SLOAD8, ULOAD16, SLOAD16 -> true;
      default -> false;
    };
  }

  /** Whether {@code v} already has a vreg (some use mentioned it before its definition). */
  protected final boolean hasVReg(int v) {
    return vregs[resolved(v)] != null;
  }

  /**
   * Whether the bitwise {@code inst} (a {@code band} or {@code bxor}) emits nothing itself because
   * the instruction using its value computes it: an and used only as a condition ({@link
   * #andFoldsIntoTest}), a not under an and ({@link #notFoldsIntoAnd}). Both ISAs lower these
   * opcodes only when this is false.
   */
  protected final boolean bitwiseFoldsIntoUse(int inst) {
    int r = dfg.firstResult(inst);
    return switch (dfg.opcode(inst)) {
      case BAND -> andFoldsIntoTest(r);
      case BXOR -> notFoldsIntoAnd(r);
      default -> false;
    };
  }

  /**
   * Whether {@code v} is an integer {@code band} used only as a condition, by a brif, select, trapz
   * or trapnz or through an {@code eqz} that is itself only a condition: an ISA then tests the two
   * operands (x86-64's TEST, AArch64's TST) where the condition is consumed, and the and itself is
   * not lowered. Its operands then stay plain values: a not or a shift does not also fold into it.
   */
  public final boolean andFoldsIntoTest(int v) {
    v = resolved(v);
    Type type = dfg.valueType(v);
    if (defOpcode(v) != Opcode.BAND || type != Type.I32 && type != Type.I64 || uses[v] == 0) {
      return false;
    }
    if (uses[v] == condUses[v]) {
      return true;
    }
    int user = lastUser[v];
    return uses[v] == 1 && dfg.opcode(user) == Opcode.EQZ && onlyUsedAsCondition(dfg.firstResult(user));
  }

  /** Whether every use of {@code v} is the condition of a brif, select, trapz or trapnz. */
  public final boolean onlyUsedAsCondition(int v) {
    v = resolved(v);
    return uses[v] == condUses[v];
  }

  /**
   * Whether {@code v} is an {@code iadd.i64} of two non-constant values used only as load/store
   * addresses: the ISA folds it into each access's addressing mode instead of computing it.
   */
  public final boolean isAddressOnly(int v) {
    v = resolved(v);
    // The use counts first: two loads that rule out most values (every add but an address's has a
    // use that is none), before the definition's opcode and type are looked up.
    if (uses[v] != addrUses[v] || defOpcode(v) != Opcode.IADD || dfg.valueType(v) != Type.I64) {
      return false;
    }
    int def = dfg.valueDef(v);
    return !isConst(dfg.arg(def, 0)) && !isConst(dfg.arg(def, 1));
  }

  /**
   * Whether {@code v} is a {@code stack_addr} used only as load/store addresses: each access
   * addresses the slot from the stack pointer ({@link LowerBackend.Address#fromStackPointer}), where
   * the address was computed into a register first (a {@code lea} or {@code mov x, sp} before every
   * spill and reload of a GC reference).
   */
  public final boolean isStackAddressOnly(int v) {
    v = resolved(v);
    return uses[v] == addrUses[v] && defOpcode(v) == Opcode.STACK_ADDR;
  }

  /**
   * The constant count of {@code v}, an {@code ishl} by a constant whose only use is an
   * {@code iadd} of another non-constant value (not one folded into an addressing mode), when the
   * ISA {@code folds} that count into the add; else -1. Such an add is {@code x + (y << count)},
   * wasm's array indexing ({@code base + i * 4} as {@code i32.shl} and {@code i32.add}), and an ISA
   * with an add that shifts one operand folds the shift into it; the count is the one the shift
   * uses, taken modulo the width (spec 4.3.2, "ishl"). When both operands of the add are such
   * shifts, only the second folds: the first is computed, so the add has a register to shift into.
   */
  public final int shiftIntoAddCount(int v, IntPredicate folds) {
    v = resolved(v);
    int count = shiftCountIfSoleAddOperand(v);
    if (count < 0 || !folds.test(count)) {
      return -1;
    }
    int add = lastUser[v];
    if (resolved(dfg.arg(add, 0)) == v) {
      int second = shiftCountIfSoleAddOperand(resolved(dfg.arg(add, 1)));
      if (second >= 0 && folds.test(second)) {
        return -1;
      }
    }
    return count;
  }

  /**
   * An {@code iadd} as {@code addend + (shifted << count)}: the value added, the shift's operand
   * and its count, for an ISA instruction that shifts one operand of an add.
   */
  public record ShiftedAdd(VReg addend, VReg shifted, int count) {}

  /**
   * The {@code iadd} {@code add} with one operand a shift the ISA {@code folds} into it ({@link
   * #shiftIntoAddCount}; the shift itself is then not lowered), or null when neither operand is.
   */
  public final ShiftedAdd shiftedAdd(int add, IntPredicate folds) {
    for (int i = 0; i < 2; i++) {
      int count = shiftIntoAddCount(dfg.arg(add, i), folds);
      if (count >= 0) {
        int shift = dfg.valueDef(resolved(dfg.arg(add, i)));
        return new ShiftedAdd(use(dfg.arg(add, 1 - i)), use(dfg.arg(shift, 0)), count);
      }
    }
    return null;
  }

  /**
   * Whether {@code v} is a bitwise not, {@code bxor} with all ones (wasm has no not of its own:
   * {@code i32.xor x, -1}), whose only use is a {@code band} with another non-constant value: an
   * ISA with an and-not ({@code x & ~y}: x86-64 BMI1's andn, AArch64's bic) folds the not into that
   * and, and the not itself is not lowered. When both operands of the and are such nots, only the
   * second folds, as for {@link #shiftIntoAddCount}.
   */
  public final boolean notFoldsIntoAnd(int v) {
    v = resolved(v);
    return hasAndNot() && isSoleAndOperandNot(v) && isTheFoldedOperand(v, this::isSoleAndOperandNot);
  }

  /**
   * Whether this ISA, on the CPU compiled for, has an and-not to fold a not into ({@link
   * #notFoldsIntoAnd}); an ISA without one on every CPU says so.
   */
  protected boolean hasAndNot() {
    return true;
  }

  /** A {@code band} as {@code kept & ~inverted}, for an ISA's and-not. */
  public record AndNot(VReg kept, VReg inverted) {}

  /**
   * The {@code band} {@code and} with one operand a not the ISA folds into it ({@link
   * #notFoldsIntoAnd}), or null when neither operand is.
   */
  public final AndNot andNot(int and) {
    for (int i = 0; i < 2; i++) {
      if (notFoldsIntoAnd(dfg.arg(and, i))) {
        return new AndNot(use(dfg.arg(and, 1 - i)), use(notOperand(resolved(dfg.arg(and, i)))));
      }
    }
    return null;
  }

  /**
   * Whether {@code v} is a shift or rotate by a constant other than a multiple of its width
   * ({@code ishl}, {@code ushr}, {@code sshr}, {@code rotl}, {@code rotr}) whose only use is a
   * {@code band}, {@code bor} or {@code bxor} with another non-constant value: an ISA whose logical
   * instructions shift their second operand (AArch64's shifted-register forms, C6.2 "AND (shifted
   * register)") folds it into that instruction, and the shift itself is not lowered. Crypto and
   * hash code is made of these ({@code x ^ rotl(y, k)}). When both operands are such shifts only the
   * second folds; an and whose other operand is a not that folds ({@link #notFoldsIntoAnd}) keeps
   * its shift.
   */
  public final boolean shiftFoldsIntoLogical(int v) {
    v = resolved(v);
    return isSoleLogicalOperandShift(v) && isTheFoldedOperand(v, this::isSoleLogicalOperandShift);
  }

  /**
   * A {@code band}/{@code bor}/{@code bxor} as {@code other OP shift(shifted, amount)}: the shift's
   * opcode and its amount modulo the width, for an ISA's shifted-operand form.
   */
  public record ShiftedOperand(VReg other, VReg shifted, Opcode shift, int amount) {}

  /**
   * The logical instruction {@code logical} with one operand a shift the ISA folds into it ({@link
   * #shiftFoldsIntoLogical}), or null when neither operand is.
   */
  public final ShiftedOperand shiftedLogical(int logical) {
    for (int i = 1; i >= 0; i--) {
      if (shiftFoldsIntoLogical(dfg.arg(logical, i))) {
        int shift = dfg.valueDef(resolved(dfg.arg(logical, i)));
        return new ShiftedOperand(use(dfg.arg(logical, 1 - i)), use(dfg.arg(shift, 0)), dfg.opcode(shift),
            shiftAmount(shift));
      }
    }
    return null;
  }

  /** {@link #shiftFoldsIntoLogical} without the rule for two such operands. */
  private boolean isSoleLogicalOperandShift(int v) {
    if (!SHIFTS.contains(defOpcode(v)) || !isConst(dfg.arg(dfg.valueDef(v), 1))
        || shiftAmount(dfg.valueDef(v)) == 0 || !isSoleBinaryOperand(v, LOGICAL)) {
      return false;
    }
    int logical = lastUser[v];
    int x = resolved(dfg.arg(logical, 0));
    int other = x == v ? resolved(dfg.arg(logical, 1)) : x;
    return dfg.opcode(logical) != Opcode.BAND
        || !isSoleAndOperandNot(other) && !andFoldsIntoTest(dfg.firstResult(logical));
  }

  /**
   * Whether {@code v}'s only use is an instruction of {@code users}, of {@code v}'s type, whose
   * other operand is another value and not a constant: the operand an ISA can fold into a
   * two-operand instruction.
   */
  private boolean isSoleBinaryOperand(int v, Set<Opcode> users) {
    if (uses[v] != 1) {
      return false;
    }
    int user = lastUser[v];
    if (!users.contains(dfg.opcode(user)) || dfg.ctrlType(user) != dfg.valueType(v)) {
      return false;
    }
    int x = resolved(dfg.arg(user, 0));
    int other = x == v ? dfg.arg(user, 1) : x;
    return !isConst(other) && resolved(other) != v;
  }

  /**
   * Whether {@code v}, an operand that {@code qualifies} to fold into its only user, is the one
   * that folds: when both operands qualify, the second (the first is computed, so the instruction
   * has a register to start from).
   */
  private boolean isTheFoldedOperand(int v, IntPredicate qualifies) {
    int user = lastUser[v];
    return resolved(dfg.arg(user, 0)) != v || !qualifies.test(resolved(dfg.arg(user, 1)));
  }

  /** The constant amount of shift or rotate {@code shift}, modulo its width (spec 4.3.2). */
  private int shiftAmount(int shift) {
    return (int) (constValue(dfg.arg(shift, 1)) & (dfg.ctrlType(shift) == Type.I64 ? 63 : 31));
  }

  /**
   * Whether {@code v} is an {@code imul} whose only use is an {@code iadd} with another non-constant
   * value, or the subtrahend of an {@code isub} from one: an ISA with a multiply-add (AArch64's MADD
   * and MSUB, C6.2) folds the multiply into it, and the multiply itself is not lowered. Not into an
   * add that is only an address (the ISA folds that into the access) or whose other operand is a
   * shift the ISA {@code shiftFolds} into the add ({@link #shiftIntoAddCount} goes first); of two
   * multiplies into one add, the second.
   */
  public final boolean mulFoldsIntoAdd(int v, IntPredicate shiftFolds) {
    v = resolved(v);
    IntPredicate qualifies = w -> isSoleAddendProduct(w, shiftFolds);
    return qualifies.test(v) && isTheFoldedOperand(v, qualifies);
  }

  /** An {@code iadd} as {@code addend + left * right}, or an {@code isub} as {@code addend - left * right}. */
  public record MultiplyAdd(VReg addend, VReg left, VReg right, boolean subtract) {}

  /**
   * The {@code iadd} or {@code isub} {@code inst} with an operand a multiply the ISA folds into it
   * ({@link #mulFoldsIntoAdd}), or null when it has none.
   */
  public final MultiplyAdd multiplyAdd(int inst, IntPredicate shiftFolds) {
    for (int i = 1; i >= 0; i--) {
      if (mulFoldsIntoAdd(dfg.arg(inst, i), shiftFolds)) {
        int mul = dfg.valueDef(resolved(dfg.arg(inst, i)));
        return new MultiplyAdd(use(dfg.arg(inst, 1 - i)), use(dfg.arg(mul, 0)), use(dfg.arg(mul, 1)),
            dfg.opcode(inst) == Opcode.ISUB);
      }
    }
    return null;
  }

  /**
   * Whether {@code v} is a {@code ushr} by a constant amount (1 or more) whose only use is a
   * {@code band} with a constant 2^width - 1: the pair takes bits {@code lsb} up to {@code lsb +
   * width} of the shifted value, which an ISA with a bit-field extract (AArch64's UBFX) does in one
   * instruction, the shift not lowered. Not for an and used only as a condition ({@link
   * #andFoldsIntoTest} tests the shifted value).
   */
  public final boolean shiftFoldsIntoBitField(int v) {
    v = resolved(v);
    if (defOpcode(v) != Opcode.USHR || uses[v] != 1 || !isConst(dfg.arg(dfg.valueDef(v), 1))
        || shiftAmount(dfg.valueDef(v)) == 0) {
      return false;
    }
    int band = lastUser[v];
    return dfg.opcode(band) == Opcode.BAND && dfg.ctrlType(band) == dfg.valueType(v)
        && lowOnesMaskWidth(band, v) > 0 && !andFoldsIntoTest(dfg.firstResult(band));
  }

  /**
   * The {@code band} {@code band} as bits {@code lsb} up to {@code lsb + width} of {@code source}
   * ({@link #shiftFoldsIntoBitField}); {@code width} is at most the bits the shift leaves, a mask
   * wider than them changing nothing. Null when the and is no such extract.
   */
  public final BitField bitField(int band) {
    for (int i = 0; i < 2; i++) {
      int v = resolved(dfg.arg(band, i));
      if (shiftFoldsIntoBitField(v)) {
        int shift = dfg.valueDef(v);
        int lsb = shiftAmount(shift);
        int size = dfg.valueType(v) == Type.I64 ? 64 : 32;
        return new BitField(use(dfg.arg(shift, 0)), lsb, Math.min(lowOnesMaskWidth(band, v), size - lsb));
      }
    }
    return null;
  }

  /** Bits {@code lsb} up to {@code lsb + width} of {@code source}, as an and of a shift takes them. */
  public record BitField(VReg source, int lsb, int width) {}

  /** The width n when {@code band}'s operand other than {@code v} is the constant 2^n - 1 (n > 0), else 0. */
  private int lowOnesMaskWidth(int band, int v) {
    int x = resolved(dfg.arg(band, 0));
    int other = x == v ? dfg.arg(band, 1) : dfg.arg(band, 0);
    if (!isConst(other) || resolved(other) == v) {
      return 0;
    }
    long mask = constValue(other) & (dfg.valueType(v) == Type.I64 ? -1L : 0xFFFF_FFFFL);
    return mask != 0 && (mask & (mask + 1)) == 0 ? 64 - Long.numberOfLeadingZeros(mask) : 0;
  }

  /** {@link #mulFoldsIntoAdd} without the rule for two such operands. */
  private boolean isSoleAddendProduct(int v, IntPredicate shiftFolds) {
    if (defOpcode(v) != Opcode.IMUL || !isSoleBinaryOperand(v, ADD_SUB)) {
      return false;
    }
    int add = lastUser[v];
    int x = resolved(dfg.arg(add, 0));
    if (dfg.opcode(add) == Opcode.ISUB) {
      return x != v; // x - a*b only: MSUB subtracts the product
    }
    return !isAddressOnly(dfg.firstResult(add))
        && shiftIntoAddCount(x == v ? dfg.arg(add, 1) : x, shiftFolds) < 0;
  }

  /** {@link #notFoldsIntoAnd} without the rule for two such operands. */
  private boolean isSoleAndOperandNot(int v) {
    return notOperand(v) >= 0 && isSoleBinaryOperand(v, AND) && !andFoldsIntoTest(dfg.firstResult(lastUser[v]));
  }

  /** The value {@code v} inverts when {@code v} is an integer {@code bxor} with all ones, else -1. */
  private int notOperand(int v) {
    Type type = dfg.valueType(v);
    if (defOpcode(v) != Opcode.BXOR || type != Type.I32 && type != Type.I64) {
      return -1;
    }
    int xor = dfg.valueDef(v);
    for (int i = 0; i < 2; i++) {
      int k = dfg.arg(xor, i);
      if (isConst(k) && (type == Type.I32 ? (int) constValue(k) == -1 : constValue(k) == -1)) {
        return dfg.arg(xor, 1 - i);
      }
    }
    return -1;
  }

  /** {@link #shiftIntoAddCount} without the ISA's range and the rule for two such operands. */
  private int shiftCountIfSoleAddOperand(int v) {
    if (defOpcode(v) != Opcode.ISHL || uses[v] != 1) {
      return -1;
    }
    int shift = dfg.valueDef(v);
    int add = lastUser[v];
    if (!isConst(dfg.arg(shift, 1)) || dfg.opcode(add) != Opcode.IADD
        || dfg.ctrlType(add) != dfg.valueType(v) || isAddressOnly(dfg.firstResult(add))) {
      return -1;
    }
    int x = resolved(dfg.arg(add, 0));
    int other = x == v ? dfg.arg(add, 1) : x;
    if (isConst(other) || resolved(other) == v) {
      return -1;
    }
    return (int) (constValue(dfg.arg(shift, 1)) & (dfg.valueType(v) == Type.I64 ? 63 : 31));
  }

  /** The opcode defining {@code v}, or null for a block parameter. */
  public final Opcode defOpcode(int v) {
    v = resolved(v);
    return dfg.valueKind(v) == DataFlowGraph.VALUE_RESULT ? dfg.opcode(dfg.valueDef(v)) : null;
  }

  /** The two operands of an instruction, in the order an ISA's form takes them. */
  public record Operands(int x, int y) {}

  /**
   * The operands of the commutative {@code inst} with a constant second, where an ISA's immediate
   * goes, unless both are constants.
   */
  public final Operands constantSecond(int inst) {
    int x = dfg.arg(inst, 0);
    int y = dfg.arg(inst, 1);
    return isConst(x) && !isConst(y) ? new Operands(y, x) : new Operands(x, y);
  }

  /**
   * The operands of the binary {@code inst}: as {@link #constantSecond} orders them when the operator
   * is {@code commutative}, else in order.
   */
  public final Operands operands(int inst, boolean commutative) {
    return commutative ? constantSecond(inst) : new Operands(dfg.arg(inst, 0), dfg.arg(inst, 1));
  }

  /** Whether {@code v} is an {@code iconst}. */
  public final boolean isConst(int v) {
    return defOpcode(v) == Opcode.ICONST;
  }

  /** Whether {@code v} is a {@code vconst}. */
  public final boolean isVectorConst(int v) {
    return defOpcode(v) == Opcode.VCONST;
  }

  /**
   * Whether every lane of the vector {@code v} is all ones or all zeros: a lane comparison's result
   * (spec 4.4.3 "vrelop": -1 where true, 0 where false), or a not, and, or or of such masks. A
   * bit-wise select by such a mask is a lane-wise select, which an ISA may do with a byte blend.
   */
  public final boolean isLaneMask(int v) {
    Opcode op = defOpcode(v);
    if (op == Opcode.VICMP || op == Opcode.VFCMP) {
      return true;
    }
    int def = dfg.valueDef(resolved(v));
    return op == Opcode.VNOT ? isLaneMask(dfg.arg(def, 0))
        : (op == Opcode.VAND || op == Opcode.VOR) && isLaneMask(dfg.arg(def, 0)) && isLaneMask(dfg.arg(def, 1));
  }

  /** The 128-bit constant of the {@code vconst} defining {@code v}. */
  public final DataFlowGraph.VectorConstant vectorConstValue(int v) {
    return dfg.vectorConstantAt((int) constValue(v));
  }

  /** The immediate of the constant defining {@code v} (float constants as raw bits). */
  public final long constValue(int v) {
    return dfg.imm(dfg.valueDef(resolved(v)));
  }

  /** The IR type of {@code v}. */
  public final Type type(int v) {
    return dfg.valueType(resolved(v));
  }

  /** The function's data-flow graph (for the ISA's instruction-family lowerings). */
  public final DataFlowGraph dfg() {
    return dfg;
  }

  /** The VCode being built (for the ISA's instruction-family lowerings). */
  public final VCode<I> vcode() {
    return vc;
  }
}
