package dev.kiln.codegen.aarch64.asm;

import java.util.List;

/**
 * An encoding class: which operands a form takes, in order, and (in {@link A64Encoder} and {@link
 * A64Printer}) where their bits go and how Capstone prints them. Register operands are named
 * {@code R}; which register file and view they use is the form's {@link Form#views()}. Field names
 * follow the Arm ARM encoding diagrams: Rd 4:0, Rn 9:5, Rm 20:16, Ra/Rt2 14:10. Vector shapes
 * also take an arrangement ({@link VArr}); the form's views say how each register prints against it.
 */
public enum Shape {
  /** Rd|SP, Rn|SP, imm12{, lsl #12}. */
  ADDSUB_IMM(Kind.R, Kind.R, Kind.ADDSUB_IMM),
  /** SUBS/ADDS with Rd = ZR: Rn|SP, imm12. */
  CMP_IMM(Kind.R, Kind.ADDSUB_IMM),
  /** ADD Rd, Rn, #0 with SP on one side, printed {@code mov}. */
  MOV_SP(Kind.R, Kind.R),
  /** Rd, Rn, Rm. */
  RRR(Kind.R, Kind.R, Kind.R),
  /**
   * Rd, Rn, Rm, shift #imm6: the shift type (23:22: LSL, LSR, ASR, ROR) is fixed in the form, the
   * amount (15:10) is 1 to size - 1.
   */
  RRR_SHIFTED(Kind.R, Kind.R, Kind.R, Kind.UIMM),
  /** Rd, Rm with Rn = ZR fixed in the form ({@code mov}, {@code neg}). */
  RD_RM(Kind.R, Kind.R),
  /** Rn, Rm with Rd = ZR fixed in the form ({@code cmp}, {@code tst}). */
  RN_RM(Kind.R, Kind.R),
  /** Rd, Rn, bitmask immediate. */
  LOGIC_IMM(Kind.R, Kind.R, Kind.LOGICAL_IMM),
  /** ANDS with Rd = ZR: Rn, bitmask immediate ({@code tst}). */
  TST_IMM(Kind.R, Kind.LOGICAL_IMM),
  /** Rd, imm16{, lsl #hw*16}. */
  MOVE_WIDE(Kind.R, Kind.MOVE_WIDE_IMM),
  /** Rd, Rn, Rm, Ra. */
  RRRR(Kind.R, Kind.R, Kind.R, Kind.R),
  /** Rd, Rn. */
  RR(Kind.R, Kind.R),
  /** UBFM alias {@code lsl #sh}: immr = -sh mod size, imms = size - 1 - sh. */
  LSL_IMM(Kind.R, Kind.R, Kind.UIMM),
  /** UBFM/SBFM alias {@code lsr/asr #sh}: immr = sh, imms = size - 1. */
  SHR_IMM(Kind.R, Kind.R, Kind.UIMM),
  /**
   * UBFM alias {@code ubfx Rd, Rn, #lsb, #width}: immr = lsb, imms = lsb + width - 1, with lsb at
   * least 1 and lsb + width below the size (else Capstone prints the lsr or uxt alias).
   */
  BITFIELD_EXTRACT(Kind.R, Kind.R, Kind.UIMM, Kind.UIMM),
  /** EXTR alias {@code ror #sh}: Rm = Rn, imms = sh. */
  ROR_IMM(Kind.R, Kind.R, Kind.UIMM),
  /** Rd, Rn, Rm, cond. */
  CSEL(Kind.R, Kind.R, Kind.R, Kind.COND),
  /** CSINC Rd, ZR, ZR, invert(cond), printed {@code cset Rd, cond}. */
  CSET(Kind.R, Kind.COND),
  /** Rn, #imm5, #nzcv, cond. */
  CCMP_IMM(Kind.R, Kind.UIMM, Kind.UIMM, Kind.COND),
  /** Rt, [Rn|SP, #imm12 * size]. */
  LDST_UIMM(Kind.R, Kind.R, Kind.SCALED_OFFSET),
  /** Rt, [Rn|SP, Rm] (option LSL, S = 0). */
  LDST_REG(Kind.R, Kind.R, Kind.R),
  /** Rt, [Rn|SP, Rm, lsl #log2(size)] (option LSL, S = 1). */
  LDST_REG_SCALED(Kind.R, Kind.R, Kind.R),
  /** Rt, Rt2, [Rn|SP, #imm7 * 8]! */
  PAIR_PRE(Kind.R, Kind.R, Kind.R, Kind.PAIR_OFFSET),
  /** Rt, Rt2, [Rn|SP], #imm7 * 8. */
  PAIR_POST(Kind.R, Kind.R, Kind.R, Kind.PAIR_OFFSET),
  /** Rt, Rt2, [Rn|SP{, #imm7 * 8}]. */
  PAIR_OFF(Kind.R, Kind.R, Kind.R, Kind.PAIR_OFFSET),
  /** imm26 word offset: B, BL. */
  BRANCH26(Kind.TARGET),
  /** cond, imm19 word offset: B.cond. */
  BCOND(Kind.COND, Kind.TARGET),
  /** Rt, imm19 word offset: CBZ, CBNZ. */
  CBZ(Kind.R, Kind.TARGET),
  /** Rd, 21-bit byte offset: ADR. */
  ADR(Kind.R, Kind.TARGET),
  /** Rn: BR, BLR. */
  BR_REG(Kind.R),
  /** No operands (RET with its x30 fixed in the form). */
  NONE(),
  /** imm16 comment: BRK. */
  BRK(Kind.UIMM),
  /** FP Rd, Rn (general register to or from an FP register, or two FP registers). */
  FP_RR(Kind.R, Kind.R),
  /** FP Rd, Rn, Rm. */
  FP_RRR(Kind.R, Kind.R, Kind.R),
  /** FCMP Rn, Rm. */
  FP_CMP(Kind.R, Kind.R),
  /** FCSEL Rd, Rn, Rm, cond. */
  FP_CSEL(Kind.R, Kind.R, Kind.R, Kind.COND),
  /** Rt, imm19 word offset: LDR (literal), a PC-relative load of a constant. */
  LDR_LITERAL(Kind.R, Kind.TARGET),
  /** Vd.T, Vn.T, Vm.T: Advanced SIMD three same, three different. */
  VEC_RRR(Kind.R, Kind.R, Kind.R, Kind.ARR),
  /** Vd.T, Vn.T: Advanced SIMD two-register miscellaneous. */
  VEC_RR(Kind.R, Kind.R, Kind.ARR),
  /** ORR Vd.T, Vn.T, Vn.T, printed {@code mov Vd.T, Vn.T}. */
  VEC_MOV(Kind.R, Kind.R, Kind.ARR),
  /** DUP Vd.T, Rn: a general register into every lane (imm5 holds the lane size). */
  VEC_DUP_GEN(Kind.R, Kind.R, Kind.ARR),
  /** SHL Vd.T, Vn.T, #shift: immh:immb (22:16) = lane bits + shift, 0 to lane bits - 1. */
  VEC_SHL_IMM(Kind.R, Kind.R, Kind.ARR, Kind.UIMM),
  /** USHR/SSHR Vd.T, Vn.T, #shift: immh:immb = 2 * lane bits - shift, 1 to lane bits. */
  VEC_SHR_IMM(Kind.R, Kind.R, Kind.ARR, Kind.UIMM),
  /** MOVI Vd.2D, #imm: 8 immediate bits, each filling one byte with zeros or ones. */
  VEC_MOVI(Kind.R, Kind.ARR, Kind.UIMM),
  /** UMOV/SMOV Rd, Vn.T[index]: one lane to a general register (imm5 holds size and index). */
  VEC_TO_GEN(Kind.R, Kind.R, Kind.ARR, Kind.UIMM),
  /** INS Vd.T[index], Rn: a general register into one lane. */
  VEC_FROM_GEN(Kind.R, Kind.ARR, Kind.UIMM, Kind.R),
  /** DUP Vd.T, Vn.Ts[index]: one lane into every lane. */
  VEC_DUP_ELEM(Kind.R, Kind.R, Kind.ARR, Kind.UIMM),
  /** DUP Vd, Vn.T[index] (scalar, printed {@code mov s0, v1.s[2]}): one lane to a scalar register. */
  VEC_SCALAR_ELEM(Kind.R, Kind.R, Kind.ARR, Kind.UIMM),
  /** INS Vd.T[index], Vn.T[index2]: one lane into one lane. */
  VEC_INS_ELEM(Kind.R, Kind.ARR, Kind.UIMM, Kind.R, Kind.UIMM),
  /** TBL/TBX Vd.16B, {Vn.16B}, Vm.16B: a one-register table lookup. */
  VEC_TBL(Kind.R, Kind.R, Kind.R, Kind.ARR),
  /** EXT Vd.16B, Vn.16B, Vm.16B, #index: bytes index.. of the pair Vm:Vn (imm4 in 14:11). */
  VEC_EXT(Kind.R, Kind.R, Kind.R, Kind.ARR, Kind.UIMM);

  /** What one operand position holds. */
  public enum Kind {
    R, COND, ADDSUB_IMM, LOGICAL_IMM, MOVE_WIDE_IMM, UIMM, SCALED_OFFSET, PAIR_OFFSET, TARGET, ARR;

    boolean accepts(Operand o) {
      return switch (this) {
        case R -> o instanceof Gpr || o instanceof FpReg;
        case COND -> o instanceof Cond;
        case ADDSUB_IMM -> o instanceof AddSubImm;
        case LOGICAL_IMM -> o instanceof LogicalImm;
        case MOVE_WIDE_IMM -> o instanceof MoveWideImm;
        case UIMM -> o instanceof UImm;
        case SCALED_OFFSET -> o instanceof ScaledOffset;
        case PAIR_OFFSET -> o instanceof PairOffset;
        case TARGET -> o instanceof Target;
        case ARR -> o instanceof VArr;
      };
    }
  }

  private final List<Kind> operands;
  /**
   * The same kinds in an array of the shape's own, read per operand by {@link #kind} whenever an
   * {@link Inst} is made: C1 (a small module's compile JIT) inlines an array read, where a {@code
   * List}'s {@code get} and {@code size} are interface calls it does not.
   */
  private final Kind[] kinds;
  /**
   * The operand that is a PC-relative target ({@link Kind#TARGET}), or -1: found once per shape, not
   * by looking at every operand of every instruction encoded.
   */
  private final int targetIndex;

  Shape(Kind... operands) {
    this.operands = List.of(operands);
    this.kinds = operands.clone();
    this.targetIndex = this.operands.indexOf(Kind.TARGET);
  }

  public List<Kind> operands() {
    return operands;
  }

  /** The kind of operand {@code index} ({@code operands().get(index)}). */
  public Kind kind(int index) {
    return kinds[index];
  }

  /** The index of the shape's PC-relative target operand, or -1 when it has none. */
  public int targetIndex() {
    return targetIndex;
  }

  /** How many operands the shape takes ({@code operands().size()}). */
  public int operandCount() {
    return kinds.length;
  }

  /** Number of register operands, which is the length of a form's view string. */
  public int registerCount() {
    return (int) operands.stream().filter(k -> k == Kind.R).count();
  }
}
