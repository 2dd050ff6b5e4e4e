package dev.kiln.ir;

/**
 * The shape of an instruction's operands: which of the immediate slot, the auxiliary slot
 * (condition code, trap code, memory flags, function or signature reference), the value list
 * and the branch destinations it uses. The printer, parser and verifier switch on the format, so
 * adding an opcode of an existing format needs no change there.
 */
public enum InstFormat {
  /** {@code v = iconst.i32 42}: immediate only. */
  CONST(0),
  /**
   * {@code v = vconst 0x000102030405060708090a0b0c0d0e0f}: immediate is the index of a 128-bit
   * constant in the function's pool ({@link DataFlowGraph#vectorConstant}), printed as one
   * hexadecimal number whose least significant byte is lane 0 of an i8x16.
   */
  VCONST(0),
  /** {@code v = clz.i32 x}. */
  UNARY(1),
  /** {@code v = iadd.i32 x, y}. */
  BINARY(2),
  /** {@code v = select.i32 c, x, y}. */
  TERNARY(3),
  /** {@code v = icmp slt x, y}: aux holds the {@link IntCC}. */
  INT_COMPARE(2),
  /** {@code v = fcmp lt x, y}: aux holds the {@link FloatCC}. */
  FLOAT_COMPARE(2),
  /**
   * {@code v = vicmp.i32x4 slt x, y}: aux holds the {@link Lanes}, immediate the {@link IntCC}.
   */
  VINT_COMPARE(2),
  /** {@code v = vfcmp.f32x4 lt x, y}: aux holds the {@link Lanes}, immediate the {@link FloatCC}. */
  VFLOAT_COMPARE(2),
  /** {@code v = vextractlane.i32x4 x, 3}: aux holds the {@link Lanes}, immediate the lane. */
  EXTRACT_LANE(1),
  /** {@code v = vinsertlane.i32x4 x, y, 3}: aux holds the {@link Lanes}, immediate the lane. */
  INSERT_LANE(2),
  /**
   * {@code v = vshuffle x, y, 0x1f1e...0100}: immediate is the index in the vector constant pool of
   * the 16 byte indexes, each below 32, printed as a {@link #VCONST}'s is.
   */
  SHUFFLE(2),
  /** {@code v = load.i32 heap p+16}: aux holds {@link MemFlags#bits()}, immediate the offset. */
  LOAD(1),
  /** {@code store heap x, p+16}: aux holds the flags, immediate the offset. */
  STORE(2),
  /**
   * {@code bounds_check index, bound, 8, heap_oob}: immediate is the access end, aux the trap code.
   */
  BOUNDS_CHECK(2),
  /** {@code trap unreachable}: aux holds the trap code. */
  TRAP(0),
  /** {@code trapz c, int_divz}: aux holds the trap code. */
  COND_TRAP(1),
  /** {@code jump block1(v1)}: one destination. */
  JUMP(0),
  /** {@code brif c, block1(v1), block2}: a condition and two destinations. */
  BRIF(1),
  /** {@code br_table i, block9, [block1, block2]}: default destination first, then the table. */
  BR_TABLE(1),
  /**
   * {@code unwind_edge block1, block2(v1)}: after a call, the block the call returns to and the block
   * an exception thrown under the call lands in; no operands.
   */
  UNWIND_EDGE(0),
  /** {@code return v1, v2}: any number of values. */
  MULTIARY(-1),
  /** {@code v = call fn0(v1, v2)}: aux holds the function reference. */
  CALL(-1),
  /** {@code v = call_indirect sig0, p(v1, v2)}: aux holds the signature reference. */
  CALL_INDIRECT(-1);

  private final int fixedArgs;

  InstFormat(int fixedArgs) {
    this.fixedArgs = fixedArgs;
  }

  /** How many value operands the format has, or -1 when the count varies. */
  public int fixedArgs() {
    return fixedArgs;
  }
}
