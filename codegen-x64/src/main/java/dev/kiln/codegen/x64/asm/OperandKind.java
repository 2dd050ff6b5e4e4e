package dev.kiln.codegen.x64.asm;

/**
 * What a form accepts in one operand position, in the vocabulary of the SDM opcode tables (Vol. 2A
 * section 3.1.1.3): {@code r32} is a register, {@code r/m32} a register or memory, {@code imm8} an
 * immediate byte. Each kind knows what operand values it accepts and, for immediates, their range and
 * encoded width.
 */
public enum OperandKind {
  R8(Size.BYTE, Gpr.class), R16(Size.WORD, Gpr.class),
  R32(Size.DWORD, Gpr.class), R64(Size.QWORD, Gpr.class),
  RM8(Size.BYTE, Gpr.class, true), RM16(Size.WORD, Gpr.class, true),
  RM32(Size.DWORD, Gpr.class, true), RM64(Size.QWORD, Gpr.class, true),
  /** A memory operand whose size does not matter (lea, multi-byte nop). */
  MEM(null, null, true),
  /** The fixed count register of shifts ({@code %cl}); not encoded. */
  CL(Size.BYTE),
  /** An SSE register. */
  X(null, Xmm.class),
  /** An SSE register or 32-, 64- or 128-bit memory. */
  XM32(null, Xmm.class, true), XM64(null, Xmm.class, true), XM128(null, Xmm.class, true),
  /** An 8-bit immediate used as a byte (byte-sized operations, shift counts, rounding modes): -128..255. */
  IMM8(Size.BYTE, -128, 255),
  /** An 8-bit immediate sign-extended to the operand size: -128..127. */
  SIMM8(Size.BYTE, -128, 127),
  /** A 16-bit immediate of a WORD operation: -32768..65535. */
  IMM16(Size.WORD, -32768, 65535),
  /** A 32-bit immediate of a DWORD operation: -2^31..2^32-1 (same bits either way). */
  IMM32(Size.DWORD, Integer.MIN_VALUE, 0xFFFF_FFFFL),
  /** A 32-bit immediate sign-extended to 64 bits: -2^31..2^31-1. */
  SIMM32(Size.DWORD, Integer.MIN_VALUE, Integer.MAX_VALUE),
  /** A full 64-bit immediate (movabs). */
  IMM64(Size.QWORD, Long.MIN_VALUE, Long.MAX_VALUE),
  /** A condition code, merged into the opcode's low four bits. */
  CC(null, Cond.class),
  /** A label within rel8 reach. */
  REL8(null, LabelTarget.class),
  /** A label, or another function (a relocation). */
  REL32(null, LabelTarget.class),
  /** The length, 1 to 9 bytes, of a recommended multi-byte NOP (SDM Vol. 2B, NOP, table 4-12). */
  NOP_LENGTH(null, 1, 9);

  private final Size size;
  /**
   * A class every operand of which this kind takes (a register type, {@code Cond}, {@code
   * LabelTarget}), or null: {@link #accepts} answers for such an operand, most operands, with one
   * class compare instead of {@link #mismatch}'s switch, a call too large to inline that runs per
   * operand of every instruction.
   */
  private final Class<? extends Operand> operandType;
  /** Whether this kind takes any memory operand ({@link Amode}): {@link #accepts}'s second quick answer. */
  private final boolean takesMemory;
  /** Whether this kind takes an immediate in [{@link #min}, {@link #max}]: its third quick answer. */
  private final boolean takesImmediate;
  private final long min;
  private final long max;

  OperandKind(Size size) {
    this(size, null);
  }

  OperandKind(Size size, Class<? extends Operand> operandType) {
    this(size, operandType, false);
  }

  OperandKind(Size size, Class<? extends Operand> operandType, boolean takesMemory) {
    this(size, operandType, takesMemory, false, 0, 0);
  }

  OperandKind(Size size, long min, long max) {
    this(size, null, false, true, min, max);
  }

  OperandKind(Size size, Class<? extends Operand> operandType, boolean takesMemory, boolean takesImmediate,
      long min, long max) {
    this.size = size;
    this.operandType = operandType;
    this.takesMemory = takesMemory;
    this.takesImmediate = takesImmediate;
    this.min = min;
    this.max = max;
  }

  /** Register or immediate size, or null where it does not apply. */
  public Size size() {
    return size;
  }

  /** True for the kinds encoded as an immediate field. */
  public boolean isImmediate() {
    return switch (this) {
      case IMM8, SIMM8, IMM16, IMM32, SIMM32, IMM64 -> true;
      default -> false;
    };
  }

  /** True if a general-purpose register in this position is a byte register. */
  public boolean isByteRegister() {
    return this == R8 || this == RM8;
  }

  /**
   * Whether {@code operand} fits this kind ({@link #mismatch} is null): an operand of the kind's
   * {@link #operandType}, a memory operand or an immediate in range of a kind that takes it answered
   * here, anything else (and every misfit) by {@link #mismatch}.
   */
  public boolean accepts(Operand operand) {
    // The first two answers here, the rest apart: small enough for the launcher's C2 to inline into
    // X64Inst.check, which asks for every operand of every instruction (InlineSizeTest).
    return operand.getClass() == operandType || takesMemory && operand instanceof Amode || acceptsOther(operand);
  }

  private boolean acceptsOther(Operand operand) {
    if (takesImmediate && operand instanceof Imm(long value) && value >= min && value <= max) {
      return true;
    }
    return mismatch(operand) == null;
  }

  /**
   * Null if {@code operand} fits this kind, else why not (used for the constructor's error message).
   */
  public String mismatch(Operand operand) {
    return switch (this) {
      case R8, R16, R32, R64 -> operand instanceof Gpr ? null : "needs a general-purpose register";
      case RM8, RM16, RM32, RM64 ->
          operand instanceof Gpr || operand instanceof Amode ? null : "needs a register or memory";
      case MEM -> operand instanceof Amode ? null : "needs a memory operand";
      case CL -> operand == Gpr.RCX ? null : "must be %cl (Gpr.RCX)";
      case X -> operand instanceof Xmm ? null : "needs an xmm register";
      case XM32, XM64, XM128 ->
          operand instanceof Xmm || operand instanceof Amode ? null : "needs an xmm register or memory";
      case IMM8, SIMM8, IMM16, IMM32, SIMM32, NOP_LENGTH -> immediateIn(operand, min, max);
      case IMM64 -> operand instanceof Imm ? null : "needs an immediate";
      case CC -> operand instanceof Cond ? null : "needs a condition code";
      case REL8 -> operand instanceof LabelTarget ? null : "needs a label (rel8 cannot reach another function)";
      case REL32 ->
          operand instanceof LabelTarget || operand instanceof FunctionTarget ? null : "needs a label or function";
    };
  }

  private static String immediateIn(Operand operand, long min, long max) {
    if (!(operand instanceof Imm(long value))) {
      return "needs an immediate";
    }
    return value >= min && value <= max ? null
        : "immediate " + value + " is out of range [" + min + ", " + max + "]";
  }

  /** Width in bytes of the immediate field; 0 for non-immediates. */
  public int immediateBytes() {
    return isImmediate() ? size.bytes() : 0;
  }
}
