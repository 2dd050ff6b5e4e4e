package dev.kiln.ir;

import java.util.List;

/**
 * Typed constructors for every instruction format; subclasses decide where the new instruction
 * goes ({@link FuncCursor} at a layout position, the SSA builder at the end of its current block).
 * Methods with one result return the result value; others return the instruction.
 */
public abstract class InstBuilder {
  /** For subclasses, which decide where instructions go. */
  protected InstBuilder() {}

  /** The data-flow graph instructions are created in. */
  protected abstract DataFlowGraph dfg();

  /**
   * Creates the instruction (see {@link DataFlowGraph#makeInst}), places it, returns its id.
   * {@code args} and {@code blockCalls} may be this builder's own arrays, filled again for its next
   * instruction: read them during the call, keep neither.
   */
  protected abstract int build(Opcode opcode, Type ctrlType, long imm, int aux, int[] args,
      int[] blockCalls);

  private static final int[] NO_ARGS = new int[0];
  // The operands and destinations of the instruction being built, in arrays reused for the next
  // (build copies them into the graph): an array per instruction made was 2.5% of the bytes a
  // yosys compile allocated.
  private final int[] oneArg = new int[1];
  private final int[] twoArgs = new int[2];
  private final int[] threeArgs = new int[3];
  private final int[] oneDest = new int[1];
  private final int[] twoDests = new int[2];

  private int[] args(int x) {
    oneArg[0] = x;
    return oneArg;
  }

  private int[] args(int x, int y) {
    twoArgs[0] = x;
    twoArgs[1] = y;
    return twoArgs;
  }

  private int[] args(int x, int y, int z) {
    threeArgs[0] = x;
    threeArgs[1] = y;
    threeArgs[2] = z;
    return threeArgs;
  }

  private int buildValue(Opcode opcode, Type ctrlType, long imm, int aux, int[] args) {
    return dfg().firstResult(build(opcode, ctrlType, imm, aux, args, null));
  }

  private void requireFormat(Opcode opcode, InstFormat format) {
    if (opcode.format() != format) {
      throw new IllegalArgumentException(opcode.text() + " is not of format " + format);
    }
  }

  /** Checks that {@code opcode} takes a lane shape exactly when {@code lanes} is given. */
  private static int lanesAux(Opcode opcode, Lanes lanes) {
    if (opcode.hasLanes() != (lanes != null)) {
      throw new IllegalArgumentException(opcode.hasLanes() ? opcode.text() + " needs a lane shape"
          : opcode.text() + " takes no lane shape");
    }
    return lanes == null ? 0 : lanes.ordinal();
  }

  // ---- constants

  /** An integer constant; {@code I32} keeps the low 32 bits, stored sign-extended. */
  public int iconst(Type type, long value) {
    long bits = type == Type.I32 ? (int) value : value;
    return buildValue(Opcode.ICONST, type, bits, 0, NO_ARGS);
  }

  /** The address (i64) of the function's stack slot {@code slot} ({@link Opcode#STACK_ADDR}). */
  public int stackAddr(int slot) {
    if (slot < 0) {
      throw new IllegalArgumentException("negative stack slot " + slot);
    }
    return buildValue(Opcode.STACK_ADDR, Type.I64, slot, 0, NO_ARGS);
  }

  public int f32const(float value) {
    return f32constBits(Float.floatToRawIntBits(value));
  }

  /** An f32 constant by bit pattern (keeps NaN payloads). */
  public int f32constBits(int bits) {
    return buildValue(Opcode.F32CONST, null, Integer.toUnsignedLong(bits), 0, NO_ARGS);
  }

  public int f64const(double value) {
    return f64constBits(Double.doubleToRawLongBits(value));
  }

  public int f64constBits(long bits) {
    return buildValue(Opcode.F64CONST, null, bits, 0, NO_ARGS);
  }

  /** A 128-bit constant: {@code low} holds bytes 0-7 (lane 0 first), {@code high} bytes 8-15. */
  public int vconst(long low, long high) {
    return buildValue(Opcode.VCONST, null, dfg().vectorConstant(low, high), 0, NO_ARGS);
  }

  // ---- generic forms, by opcode

  /** Any {@link InstFormat#UNARY} opcode; {@code type} is the controlling type, null if none. */
  public int unary(Opcode opcode, Type type, int x) {
    requireFormat(opcode, InstFormat.UNARY);
    return buildValue(opcode, type, 0, lanesAux(opcode, null), args(x));
  }

  /** Any {@link InstFormat#BINARY} opcode. */
  public int binary(Opcode opcode, Type type, int x, int y) {
    requireFormat(opcode, InstFormat.BINARY);
    return buildValue(opcode, type, 0, lanesAux(opcode, null), args(x, y));
  }

  /** Any {@link InstFormat#TERNARY} opcode. */
  public int ternary(Opcode opcode, Type type, int x, int y, int z) {
    requireFormat(opcode, InstFormat.TERNARY);
    return buildValue(opcode, type, 0, lanesAux(opcode, null), args(x, y, z));
  }

  /** A lane-shaped {@link InstFormat#UNARY} vector opcode. */
  public int vunary(Opcode opcode, Lanes lanes, int x) {
    requireFormat(opcode, InstFormat.UNARY);
    return buildValue(opcode, null, 0, lanesAux(opcode, lanes), args(x));
  }

  /** A lane-shaped {@link InstFormat#BINARY} vector opcode. */
  public int vbinary(Opcode opcode, Lanes lanes, int x, int y) {
    requireFormat(opcode, InstFormat.BINARY);
    return buildValue(opcode, null, 0, lanesAux(opcode, lanes), args(x, y));
  }

  /** A lane-shaped {@link InstFormat#TERNARY} vector opcode. */
  public int vternary(Opcode opcode, Lanes lanes, int x, int y, int z) {
    requireFormat(opcode, InstFormat.TERNARY);
    return buildValue(opcode, null, 0, lanesAux(opcode, lanes), args(x, y, z));
  }

  public int iadd(int x, int y) {
    return binary(Opcode.IADD, dfg().valueType(x), x, y);
  }

  public int isub(int x, int y) {
    return binary(Opcode.ISUB, dfg().valueType(x), x, y);
  }

  public int imul(int x, int y) {
    return binary(Opcode.IMUL, dfg().valueType(x), x, y);
  }

  public int band(int x, int y) {
    return binary(Opcode.BAND, dfg().valueType(x), x, y);
  }

  public int eqz(int x) {
    return unary(Opcode.EQZ, null, x);
  }

  public int icmp(IntCC cond, int x, int y) {
    return buildValue(Opcode.ICMP, null, 0, cond.ordinal(), args(x, y));
  }

  public int fcmp(FloatCC cond, int x, int y) {
    return buildValue(Opcode.FCMP, null, 0, cond.ordinal(), args(x, y));
  }

  /** Lane {@code lane} of {@code x} ({@link Opcode#VEXTRACTLANE} or {@link Opcode#VSEXTRACTLANE}). */
  public int vextractlane(Opcode opcode, Lanes lanes, int x, int lane) {
    requireFormat(opcode, InstFormat.EXTRACT_LANE);
    return buildValue(opcode, null, lane, lanesAux(opcode, lanes), args(x));
  }

  /** {@code x} with lane {@code lane} replaced by the scalar {@code y}. */
  public int vinsertlane(Lanes lanes, int x, int y, int lane) {
    return buildValue(Opcode.VINSERTLANE, null, lane, lanesAux(Opcode.VINSERTLANE, lanes),
        args(x, y));
  }

  /**
   * The bytes of {@code x} and {@code y} picked by 16 indexes below 32, byte i's index in byte i of
   * {@code low} (i < 8) or {@code high}.
   */
  public int vshuffle(int x, int y, long low, long high) {
    return buildValue(Opcode.VSHUFFLE, null, dfg().vectorConstant(low, high), 0, args(x, y));
  }

  /** Lane-wise integer comparison: all ones in each lane where {@code cond} holds. */
  public int vicmp(IntCC cond, Lanes lanes, int x, int y) {
    return buildValue(Opcode.VICMP, null, cond.ordinal(), lanesAux(Opcode.VICMP, lanes),
        args(x, y));
  }

  /** Lane-wise float comparison: all ones in each lane where {@code cond} holds. */
  public int vfcmp(FloatCC cond, Lanes lanes, int x, int y) {
    return buildValue(Opcode.VFCMP, null, cond.ordinal(), lanesAux(Opcode.VFCMP, lanes),
        args(x, y));
  }

  public int select(int cond, int x, int y) {
    return ternary(Opcode.SELECT, dfg().valueType(x), cond, x, y);
  }

  // ---- memory

  /** Any load opcode: {@code type} is the result type, the address is {@code addr + offset}. */
  public int load(Opcode opcode, Type type, MemFlags flags, int addr, long offset) {
    requireFormat(opcode, InstFormat.LOAD);
    return buildValue(opcode, type, offset, flags.bits(), args(addr));
  }

  /** Any store opcode: stores {@code value} (or its low bytes) at {@code addr + offset}. */
  public int store(Opcode opcode, MemFlags flags, int value, int addr, long offset) {
    requireFormat(opcode, InstFormat.STORE);
    return build(opcode, null, offset, flags.bits(), args(value, addr), null);
  }

  /** Traps with {@code code} unless {@code index + end <= bound}, all unsigned. */
  public int boundsCheck(int index, int bound, long end, TrapCode code) {
    return build(Opcode.BOUNDS_CHECK, null, end, code.ordinal(), args(index, bound), null);
  }

  // ---- traps

  public int trap(TrapCode code) {
    return build(Opcode.TRAP, null, 0, code.ordinal(), NO_ARGS, null);
  }

  public int trapz(int cond, TrapCode code) {
    return build(Opcode.TRAPZ, null, 0, code.ordinal(), args(cond), null);
  }

  public int trapnz(int cond, TrapCode code) {
    return build(Opcode.TRAPNZ, null, 0, code.ordinal(), args(cond), null);
  }

  // ---- control flow

  public int jump(int block, int... args) {
    oneDest[0] = dfg().makeBlockCall(block, args);
    return build(Opcode.JUMP, null, 0, 0, NO_ARGS, oneDest);
  }

  public int brif(int cond, BranchTarget then, BranchTarget otherwise) {
    twoDests[0] = dfg().makeBlockCall(then.block(), then.args());
    twoDests[1] = dfg().makeBlockCall(otherwise.block(), otherwise.args());
    return build(Opcode.BRIF, null, 0, 0, args(cond), twoDests);
  }

  /**
   * The exceptional edge of the call just built ({@link Opcode#UNWIND_EDGE}): on to {@code normal}
   * when it returns, to {@code landing} when an exception thrown under it is caught here.
   */
  public int unwindEdge(int normal, BranchTarget landing) {
    twoDests[0] = dfg().makeBlockCall(normal, NO_ARGS);
    twoDests[1] = dfg().makeBlockCall(landing.block(), landing.args());
    return build(Opcode.UNWIND_EDGE, null, 0, 0, NO_ARGS, twoDests);
  }

  /** Shorthand for a {@code brif} whose destinations take no arguments. */
  public int brif(int cond, int thenBlock, int elseBlock) {
    return brif(cond, new BranchTarget(thenBlock), new BranchTarget(elseBlock));
  }

  public int brTable(int index, BranchTarget defaultTarget, List<BranchTarget> table) {
    int[] dests = new int[table.size() + 1];
    dests[0] = dfg().makeBlockCall(defaultTarget.block(), defaultTarget.args());
    for (int i = 0; i < table.size(); i++) {
      dests[i + 1] = dfg().makeBlockCall(table.get(i).block(), table.get(i).args());
    }
    return build(Opcode.BR_TABLE, null, 0, 0, args(index), dests);
  }

  public int ret(int... values) {
    return build(Opcode.RETURN, null, 0, 0, values, null);
  }

  // ---- calls (return the instruction: a call may define any number of results)

  public int call(int funcRef, int... args) {
    return build(Opcode.CALL, null, 0, funcRef, args, null);
  }

  public int callIndirect(int sigRef, int callee, int... args) {
    return build(Opcode.CALL_INDIRECT, null, 0, sigRef, prepend(callee, args), null);
  }

  public int returnCall(int funcRef, int... args) {
    return build(Opcode.RETURN_CALL, null, 0, funcRef, args, null);
  }

  public int returnCallIndirect(int sigRef, int callee, int... args) {
    return build(Opcode.RETURN_CALL_INDIRECT, null, 0, sigRef, prepend(callee, args), null);
  }

  private static int[] prepend(int first, int[] rest) {
    int[] all = new int[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
