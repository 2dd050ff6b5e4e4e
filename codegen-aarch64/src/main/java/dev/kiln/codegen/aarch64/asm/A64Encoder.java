package dev.kiln.codegen.aarch64.asm;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.RelocKind;

/**
 * Encodes {@link Inst}s into 32-bit little-endian words (Arm ARM A64 instruction encodings, C4.1,
 * with each form's page in C6.2/C7.2). Each field has an {@code enc} helper named by the bit range
 * it fills, so the switch over shapes reads like the encoding diagrams.
 */
public final class A64Encoder {
  private A64Encoder() {}

  /**
   * Checks {@code form} and {@code operands} as {@link Inst#of} does and emits the instruction at the
   * end of {@code buf}. For the emitters, which encode each instruction as they make it and keep
   * none: it reads {@code operands} where they are and makes no {@link Inst} (an object per machine
   * instruction: 2.5% of an AArch64 compile's allocation), where {@code Inst.of} copies them in case
   * the caller reuses its array.
   */
  public static void encode(Form form, Operand[] operands, CodeBuffer buf) {
    Inst.check(form, operands);
    emit(form, operands, buf);
  }

  /** Emits {@code inst} at the end of {@code buf}, registering its label use or relocation. */
  public static void encode(Inst inst, CodeBuffer buf) {
    emit(inst.form(), inst.operandsInPlace(), buf);
  }

  /** Emits checked {@code ops} of {@code f}, registering their label use or relocation. */
  private static void emit(Form f, Operand[] ops, CodeBuffer buf) {
    int at = buf.offset();
    Target target = target(f, ops);
    int word = word(f, ops, target instanceof Target.PcOffset(int bytes) ? bytes : 0);
    buf.put32(word);
    switch (target) {
      case Target.ToLabel(var label) -> buf.useLabel(at, label, labelUse(f.shape()));
      case Target.Function(long key) -> {
        if (f != Form.BL && f != Form.B) {
          throw new IllegalArgumentException(f + " cannot reach another function");
        }
        buf.addReloc(at, RelocKind.AARCH64_CALL26, key, 0);
      }
      case Target.PcOffset p -> { }
      case null -> { }
    }
  }

  /** The instruction's PC-relative target, or null: where the shape says it is ({@link Shape#targetIndex}). */
  private static Target target(Form f, Operand[] ops) {
    int index = f.shape().targetIndex();
    return index < 0 ? null : (Target) ops[index];
  }

  /** The label-use kind of a shape's PC-relative field. */
  public static A64LabelUse labelUse(Shape shape) {
    return switch (shape) {
      case BRANCH26 -> A64LabelUse.BRANCH26;
      case BCOND, CBZ -> A64LabelUse.BRANCH19;
      case ADR -> A64LabelUse.ADR21;
      case LDR_LITERAL -> A64LabelUse.LDR19;
      default -> throw new IllegalArgumentException(shape + " has no PC-relative field");
    };
  }

  /**
   * The instruction word of {@code inst}; a PC-relative field holds its {@link Target.PcOffset},
   * or 0 for a label or relocation, which are patched later.
   */
  public static int word(Inst inst) {
    Operand[] ops = inst.operandsInPlace();
    return word(inst.form(), ops, target(inst.form(), ops) instanceof Target.PcOffset(int bytes) ? bytes : 0);
  }

  private static int word(Form f, Operand[] ops, int pcBytes) {
    int w = f.bits();
    return switch (f.shape()) {
      case ADDSUB_IMM -> {
        AddSubImm imm = (AddSubImm) ops[2];
        if (imm.value() == 0 && (ops[0] == Gpr.SP || ops[1] == Gpr.SP)) {
          throw new IllegalArgumentException("add #0 to or from sp is MOV_X_SP");
        }
        yield w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encSh22(imm) | encImm12_21_10(imm);
      }
      case CMP_IMM -> {
        AddSubImm imm = (AddSubImm) ops[1];
        yield w | encRn9_5(ops[0]) | encSh22(imm) | encImm12_21_10(imm);
      }
      case MOV_SP -> {
        if (ops[0] != Gpr.SP && ops[1] != Gpr.SP) {
          throw new IllegalArgumentException("MOV_X_SP needs sp on one side; use MOV_X");
        }
        yield w | encRd4_0(ops[0]) | encRn9_5(ops[1]);
      }
      case RRR, FP_RRR -> w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encRm20_16(ops[2]);
      case RRR_SHIFTED -> w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encRm20_16(ops[2])
          | shiftAmount(f, ops[3], f.wide() ? 64 : 32) << 10;
      case RD_RM -> w | encRd4_0(ops[0]) | encRm20_16(ops[1]);
      case RN_RM, FP_CMP -> w | encRn9_5(ops[0]) | encRm20_16(ops[1]);
      case LOGIC_IMM -> {
        LogicalImm imm = checkWidth(f, (LogicalImm) ops[2]);
        yield w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encN22(imm.n()) | encImmr21_16(imm.immr())
            | encImms15_10(imm.imms());
      }
      case TST_IMM -> {
        LogicalImm imm = checkWidth(f, (LogicalImm) ops[1]);
        yield w | encRn9_5(ops[0]) | encN22(imm.n()) | encImmr21_16(imm.immr())
            | encImms15_10(imm.imms());
      }
      case MOVE_WIDE -> {
        MoveWideImm imm = (MoveWideImm) ops[1];
        if (!f.wide() && imm.shift() > 16) {
          throw new IllegalArgumentException(f + ": a W register takes shift 0 or 16");
        }
        yield w | encRd4_0(ops[0]) | encHw22_21(imm.shift() / 16) | encImm16_20_5(imm.imm16());
      }
      case RRRR -> w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encRm20_16(ops[2])
          | encRa14_10(ops[3]);
      case RR, FP_RR -> w | encRd4_0(ops[0]) | encRn9_5(ops[1]);
      case LSL_IMM -> {
        int size = f.wide() ? 64 : 32;
        int sh = shiftAmount(f, ops[2], size);
        yield w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encImmr21_16((size - sh) % size)
            | encImms15_10(size - 1 - sh);
      }
      case BITFIELD_EXTRACT -> {
        int size = f.wide() ? 64 : 32;
        int lsb = ((UImm) ops[2]).value();
        int width = ((UImm) ops[3]).value();
        if (lsb < 1 || width < 1 || lsb + width >= size) {
          throw new IllegalArgumentException(f + ": bit field #" + lsb + ", #" + width
              + " is not a ubfx of a " + size + "-bit register");
        }
        yield w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encImmr21_16(lsb)
            | encImms15_10(lsb + width - 1);
      }
      case SHR_IMM -> {
        int size = f.wide() ? 64 : 32;
        int sh = shiftAmount(f, ops[2], size);
        yield w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encImmr21_16(sh)
            | encImms15_10(size - 1);
      }
      case ROR_IMM -> {
        int sh = shiftAmount(f, ops[2], f.wide() ? 64 : 32);
        yield w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encRm20_16(ops[1])
            | encImms15_10(sh);
      }
      case CSEL, FP_CSEL -> w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encRm20_16(ops[2])
          | encCond15_12(usable((Cond) ops[3]));
      case CSET -> w | encRd4_0(ops[0]) | encCond15_12(usable((Cond) ops[1]).invert());
      case CCMP_IMM -> {
        int imm5 = ((UImm) ops[1]).value();
        int nzcv = ((UImm) ops[2]).value();
        if (imm5 > 31 || nzcv > 15) {
          throw new IllegalArgumentException(f + ": imm5 " + imm5 + " or nzcv " + nzcv + " too big");
        }
        yield w | encRn9_5(ops[0]) | encImm5_20_16(imm5) | encCond15_12((Cond) ops[3])
            | encNzcv3_0(nzcv);
      }
      case LDST_UIMM -> {
        ScaledOffset off = (ScaledOffset) ops[2];
        if (off.size() != f.accessSize()) {
          throw new IllegalArgumentException(f + " scales by " + f.accessSize() + ", offset by "
              + off.size());
        }
        yield w | encRt4_0(ops[0]) | encRn9_5(ops[1]) | encImm12_21_10(off.imm12());
      }
      case LDST_REG, LDST_REG_SCALED -> w | encRt4_0(ops[0]) | encRn9_5(ops[1])
          | encRm20_16(ops[2]);
      case PAIR_PRE, PAIR_POST, PAIR_OFF -> {
        if (ops[0] == ops[1] && (f == Form.LDP_X_POST || f == Form.LDP_X_OFF)) {
          throw new IllegalArgumentException(f + " with Rt == Rt2 is CONSTRAINED UNPREDICTABLE");
        }
        yield w | encRt4_0(ops[0]) | encRt2_14_10(ops[1]) | encRn9_5(ops[2])
            | encImm7_21_15(((PairOffset) ops[3]).imm7());
      }
      case BRANCH26 -> A64LabelUse.BRANCH26.patchWord(w, pcBytes);
      case BCOND -> A64LabelUse.BRANCH19.patchWord(w | encCond3_0(usable((Cond) ops[0])), pcBytes);
      case CBZ -> A64LabelUse.BRANCH19.patchWord(w | encRt4_0(ops[0]), pcBytes);
      case ADR -> A64LabelUse.ADR21.patchWord(w | encRd4_0(ops[0]), pcBytes);
      case BR_REG -> w | encRn9_5(ops[0]);
      case NONE -> w;
      case BRK -> w | encImm16_20_5(((UImm) ops[0]).value());
      case LDR_LITERAL -> A64LabelUse.LDR19.patchWord(w | encRt4_0(ops[0]), pcBytes);
      case VEC_RRR -> w | encArr(f, (VArr) ops[3]) | encRd4_0(ops[0]) | encRn9_5(ops[1])
          | encRm20_16(ops[2]);
      case VEC_RR -> w | encArr(f, (VArr) ops[2]) | encRd4_0(ops[0]) | encRn9_5(ops[1]);
      case VEC_MOV -> w | encArr(f, (VArr) ops[2]) | encRd4_0(ops[0]) | encRn9_5(ops[1])
          | encRm20_16(ops[1]);
      case VEC_DUP_GEN -> {
        VArr arr = (VArr) ops[2];
        yield w | encQ30(arr) | encImm5_20_16(1 << arr.size()) | encRd4_0(ops[0])
            | encRn9_5(ops[1]);
      }
      case VEC_TO_GEN -> w | encElementImm5_20_16(f, (VArr) ops[2], ops[3])
          | encRd4_0(ops[0]) | encRn9_5(ops[1]);
      case VEC_FROM_GEN -> w | encElementImm5_20_16(f, (VArr) ops[1], ops[2])
          | encRd4_0(ops[0]) | encRn9_5(ops[3]);
      case VEC_SHL_IMM, VEC_SHR_IMM -> {
        VArr arr = (VArr) ops[2];
        int bits = 8 << arr.size();
        int sh = ((UImm) ops[3]).value();
        boolean left = f.shape() == Shape.VEC_SHL_IMM;
        if (left ? sh >= bits : sh < 1 || sh > bits) {
          throw new IllegalArgumentException(f + ": shift " + sh + " outside " + (left ? "0.." + (bits - 1)
              : "1.." + bits));
        }
        yield w | encQ30(arr) | encImmhImmb22_16(left ? bits + sh : 2 * bits - sh)
            | encRd4_0(ops[0]) | encRn9_5(ops[1]);
      }
      case VEC_DUP_ELEM -> {
        VArr arr = (VArr) ops[2];
        yield w | encQ30(arr) | encElementImm5_20_16(f, VArr.full(8 << arr.size()), ops[3])
            | encRd4_0(ops[0]) | encRn9_5(ops[1]);
      }
      case VEC_SCALAR_ELEM -> w | encElementImm5_20_16(f, (VArr) ops[2], ops[3])
          | encRd4_0(ops[0]) | encRn9_5(ops[1]);
      case VEC_INS_ELEM -> {
        VArr arr = (VArr) ops[1];
        int from = ((UImm) ops[4]).value();
        if (from >= arr.lanes()) {
          throw new IllegalArgumentException(f + ": lane " + from + " of " + arr.lanes());
        }
        yield w | encElementImm5_20_16(f, arr, ops[2]) | encImm4_14_11(from << arr.size())
            | encRd4_0(ops[0]) | encRn9_5(ops[3]);
      }
      case VEC_TBL -> w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encRm20_16(ops[2]);
      case VEC_EXT -> {
        int index = ((UImm) ops[4]).value();
        if (index > 15) {
          throw new IllegalArgumentException(f + ": byte index " + index + " is more than 15");
        }
        yield w | encRd4_0(ops[0]) | encRn9_5(ops[1]) | encRm20_16(ops[2])
            | encImm4_14_11(index);
      }
      case VEC_MOVI -> {
        int imm8 = ((UImm) ops[2]).value();
        if (imm8 > 0xFF) {
          throw new IllegalArgumentException(f + ": imm8 " + imm8 + " is more than 8 bits");
        }
        yield w | encAbc18_16(imm8 >>> 5) | encDefgh9_5(imm8 & 0x1F) | encRd4_0(ops[0]);
      }
    };
  }

  /**
   * The imm5 field of the copy instructions (Arm ARM C7.2 "INS (general)", "UMOV"): the lane size
   * as the position of its lowest set bit, the index above it.
   */
  private static int encElementImm5_20_16(Form f, VArr arr, Operand index) {
    int i = ((UImm) index).value();
    if (i >= arr.lanes()) {
      throw new IllegalArgumentException(f + ": lane " + i + " of " + arr.lanes());
    }
    return encImm5_20_16((i << (arr.size() + 1)) | (1 << arr.size()));
  }

  /** Q (bit 30) and the lane size as the form's {@link Form.ArrBits} say. */
  private static int encArr(Form f, VArr arr) {
    return switch (f.arrBits()) {
      case INT -> encQ30(arr) | arr.size() << 22;
      case FP -> encQ30(arr) | (arr.size() == 3 ? 1 << 22 : 0);
      case FIXED, FIXED_ELEMENT -> 0;
    };
  }

  static int encImmhImmb22_16(int immhImmb) {
    return immhImmb << 16;
  }

  static int encImm4_14_11(int imm4) {
    return imm4 << 11;
  }

  static int encQ30(VArr arr) {
    return arr.q() << 30;
  }

  static int encAbc18_16(int abc) {
    return abc << 16;
  }

  static int encDefgh9_5(int defgh) {
    return defgh << 5;
  }

  private static LogicalImm checkWidth(Form f, LogicalImm imm) {
    if (imm.wide() != f.wide()) {
      throw new IllegalArgumentException(f + " needs a " + (f.wide() ? "64" : "32")
          + "-bit bitmask immediate");
    }
    return imm;
  }

  private static int shiftAmount(Form f, Operand o, int size) {
    int sh = ((UImm) o).value();
    if (sh < 1 || sh >= size) {
      throw new IllegalArgumentException(f + ": shift " + sh + " outside 1.." + (size - 1));
    }
    return sh;
  }

  private static Cond usable(Cond c) {
    if (c == Cond.AL || c == Cond.NV) {
      throw new IllegalArgumentException("condition " + c + " is not used by Kiln");
    }
    return c;
  }

  private static int reg(Operand o) {
    return switch (o) {
      case Gpr g -> g.enc();
      case FpReg v -> v.enc();
      default -> throw new IllegalArgumentException("not a register: " + o);
    };
  }

  static int encRd4_0(Operand r) {
    return reg(r);
  }

  static int encRt4_0(Operand r) {
    return reg(r);
  }

  static int encRn9_5(Operand r) {
    return reg(r) << 5;
  }

  static int encRt2_14_10(Operand r) {
    return reg(r) << 10;
  }

  static int encRa14_10(Operand r) {
    return reg(r) << 10;
  }

  static int encRm20_16(Operand r) {
    return reg(r) << 16;
  }

  static int encImm12_21_10(AddSubImm imm) {
    return imm.imm12() << 10;
  }

  static int encImm12_21_10(int imm12) {
    return (imm12 & 0xFFF) << 10;
  }

  static int encSh22(AddSubImm imm) {
    return imm.shifted() ? 1 << 22 : 0;
  }

  static int encN22(int n) {
    return n << 22;
  }

  static int encImmr21_16(int immr) {
    return (immr & 0x3F) << 16;
  }

  static int encImms15_10(int imms) {
    return (imms & 0x3F) << 10;
  }

  static int encHw22_21(int hw) {
    return (hw & 3) << 21;
  }

  static int encImm16_20_5(int imm16) {
    return (imm16 & 0xFFFF) << 5;
  }

  static int encCond15_12(Cond c) {
    return c.enc() << 12;
  }

  static int encCond3_0(Cond c) {
    return c.enc();
  }

  static int encImm5_20_16(int imm5) {
    return (imm5 & 0x1F) << 16;
  }

  static int encNzcv3_0(int nzcv) {
    return nzcv & 0xF;
  }

  static int encImm7_21_15(int imm7) {
    return (imm7 & 0x7F) << 15;
  }
}
