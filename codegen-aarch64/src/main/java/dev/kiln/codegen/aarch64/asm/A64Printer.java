package dev.kiln.codegen.aarch64.asm;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints an {@link Inst} the way Capstone 4 prints its encoding (the test suite checks the two
 * agree for every form): lower-case mnemonics, register names by the form's view, immediates in
 * decimal up to 9 and in hex above, move-wide immediates and BRK comments in hex, branch targets
 * as absolute addresses (unsigned 64-bit).
 */
public final class A64Printer {
  /** The shifted-register forms' shift types by their field value (bits 23:22). */
  private static final String[] SHIFT_TYPES = {"lsl", "lsr", "asr", "ror"};

  private A64Printer() {}

  /**
   * The text of {@code inst} placed at {@code address}; a label target prints as {@code label}, a
   * function target as {@code <key>}.
   */
  public static String print(Inst inst, long address) {
    Form f = inst.form();
    List<Operand> o = inst.operands();
    List<String> regs = new ArrayList<>();
    int view = 0;
    VArr arr = inst.arrangement();
    for (int i = 0; i < o.size(); i++) {
      if (f.shape().operands().get(i) == Shape.Kind.R) {
        regs.add(reg(o.get(i), f.views().charAt(view++), arr));
      }
    }
    String m = f.mnemonic();
    return switch (f.shape()) {
      case ADDSUB_IMM -> m + " " + regs.get(0) + ", " + regs.get(1) + ", " + addSub((AddSubImm) o.get(2));
      case CMP_IMM -> m + " " + regs.get(0) + ", " + addSub((AddSubImm) o.get(1));
      case MOV_SP, RD_RM, RN_RM, RR, FP_RR, FP_CMP -> m + " " + regs.get(0) + ", " + regs.get(1);
      case RRR, FP_RRR -> m + " " + String.join(", ", regs);
      // Capstone prints a register operand's shift amount in decimal, unlike immediates.
      case RRR_SHIFTED -> m + " " + String.join(", ", regs) + ", " + SHIFT_TYPES[f.bits() >>> 22 & 3] + " #"
          + ((UImm) o.get(3)).value();
      case LOGIC_IMM -> m + " " + regs.get(0) + ", " + regs.get(1) + ", "
          + unsigned(((LogicalImm) o.get(2)).value());
      case TST_IMM -> m + " " + regs.get(0) + ", " + unsigned(((LogicalImm) o.get(1)).value());
      case MOVE_WIDE -> {
        MoveWideImm imm = (MoveWideImm) o.get(1);
        yield m + " " + regs.get(0) + ", " + hex(imm.imm16())
            + (imm.shift() != 0 ? ", lsl #" + imm.shift() : "");
      }
      case RRRR -> m + " " + String.join(", ", regs);
      case BITFIELD_EXTRACT -> m + " " + regs.get(0) + ", " + regs.get(1) + ", "
          + imm(((UImm) o.get(2)).value()) + ", " + imm(((UImm) o.get(3)).value());
      case LSL_IMM, SHR_IMM, ROR_IMM -> m + " " + regs.get(0) + ", " + regs.get(1) + ", "
          + imm(((UImm) o.get(2)).value());
      case CSEL, FP_CSEL -> m + " " + String.join(", ", regs) + ", " + ((Cond) o.get(3)).text();
      case CSET -> m + " " + regs.get(0) + ", " + ((Cond) o.get(1)).text();
      case CCMP_IMM -> m + " " + regs.get(0) + ", " + imm(((UImm) o.get(1)).value()) + ", "
          + imm(((UImm) o.get(2)).value()) + ", " + ((Cond) o.get(3)).text();
      case LDST_UIMM -> {
        int off = ((ScaledOffset) o.get(2)).bytes();
        yield m + " " + regs.get(0) + ", [" + regs.get(1) + (off == 0 ? "" : ", " + imm(off)) + "]";
      }
      case LDST_REG -> m + " " + regs.get(0) + ", [" + regs.get(1) + ", " + regs.get(2) + "]";
      case LDST_REG_SCALED -> m + " " + regs.get(0) + ", [" + regs.get(1) + ", " + regs.get(2)
          + ", lsl #" + Integer.numberOfTrailingZeros(f.accessSize()) + "]";
      case PAIR_PRE -> m + " " + regs.get(0) + ", " + regs.get(1) + ", [" + regs.get(2) + ", "
          + imm(((PairOffset) o.get(3)).bytes()) + "]!";
      case PAIR_POST -> m + " " + regs.get(0) + ", " + regs.get(1) + ", [" + regs.get(2) + "], "
          + imm(((PairOffset) o.get(3)).bytes());
      case PAIR_OFF -> {
        int off = ((PairOffset) o.get(3)).bytes();
        yield m + " " + regs.get(0) + ", " + regs.get(1) + ", [" + regs.get(2)
            + (off == 0 ? "" : ", " + imm(off)) + "]";
      }
      case BRANCH26 -> m + " " + target((Target) o.get(0), address);
      case BCOND -> m + "." + ((Cond) o.get(0)).text() + " " + target((Target) o.get(1), address);
      case CBZ, ADR -> m + " " + regs.get(0) + ", " + target((Target) o.get(1), address);
      case BR_REG -> m + " " + regs.get(0);
      case NONE -> m;
      case BRK -> m + " " + hex(((UImm) o.get(0)).value());
      case LDR_LITERAL -> m + " " + regs.get(0) + ", " + target((Target) o.get(1), address);
      case VEC_RRR, VEC_RR, VEC_MOV, VEC_DUP_GEN -> m + " " + String.join(", ", regs);
      case VEC_SHL_IMM, VEC_SHR_IMM -> m + " " + String.join(", ", regs) + ", "
          + imm(((UImm) o.get(3)).value());
      case VEC_TBL -> m + " " + regs.get(0) + ", {" + regs.get(1) + "}, " + regs.get(2);
      case VEC_EXT -> m + " " + String.join(", ", regs) + ", " + imm(((UImm) o.get(4)).value());
      case VEC_MOVI -> m + " " + regs.get(0) + ", " + byteMask(((UImm) o.get(2)).value());
      case VEC_TO_GEN, VEC_SCALAR_ELEM -> m + " " + regs.get(0) + ", " + element(o.get(1), arr, o.get(3));
      case VEC_DUP_ELEM -> m + " " + regs.get(0) + ", " + element(o.get(1), arr, o.get(3));
      case VEC_INS_ELEM -> m + " " + element(o.get(0), arr, o.get(2)) + ", " + element(o.get(3), arr, o.get(4));
      case VEC_FROM_GEN -> m + " " + element(o.get(0), arr, o.get(2)) + ", " + regs.get(1);
    };
  }

  /**
   * MOVI's 64-bit immediate, each of the 8 bits a byte of ones, as Capstone prints it: C's {@code
   * %#016llx}, sixteen characters wide with zero padding after the {@code 0x}, which zero lacks.
   */
  private static String byteMask(int imm8) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      if ((imm8 >>> i & 1) != 0) {
        v |= 0xFFL << (8 * i);
      }
    }
    return v == 0 ? "#0000000000000000" : "#" + String.format("0x%014x", v);
  }

  /** One lane of a V register, {@code v1.s[2]} (the index as Capstone prints numbers). */
  private static String element(Operand v, VArr arr, Operand index) {
    return "v" + ((FpReg) v).enc() + "." + arr.elementText() + "[" + imm(((UImm) index).value())
        .substring(1) + "]";
  }

  private static String reg(Operand o, char view, VArr arr) {
    return switch (view) {
      case 'V' -> "v" + ((FpReg) o).enc() + "." + arr.text();
      case 'L' -> "v" + ((FpReg) o).enc() + "." + arr.longer().text();
      case 'E' -> arr.elementText() + ((FpReg) o).enc();
      case 'w', 'W' -> ((Gpr) o).name(false);
      case 'x', 'X' -> ((Gpr) o).name(true);
      case 's' -> "s" + ((FpReg) o).enc();
      case 'd' -> "d" + ((FpReg) o).enc();
      case 'q' -> "q" + ((FpReg) o).enc();
      default -> throw new IllegalStateException("view " + view);
    };
  }

  private static String addSub(AddSubImm imm) {
    return imm(imm.imm12()) + (imm.shifted() ? ", lsl #12" : "");
  }

  /** Capstone's threshold rule: decimal for magnitudes up to 9, hex above. */
  static String imm(long v) {
    if (v < 0) {
      return v < -9 ? "#-0x" + Long.toHexString(-v) : "#" + v;
    }
    return v > 9 ? "#0x" + Long.toHexString(v) : "#" + v;
  }

  /** A 64-bit pattern as an unsigned number under the same threshold rule (bitmask immediates). */
  static String unsigned(long v) {
    return v >= 0 && v <= 9 ? "#" + v : "#0x" + Long.toHexString(v);
  }

  /** Hex whatever the size, except zero (move-wide immediates, the BRK comment). */
  static String hex(long v) {
    return v == 0 ? "#0" : "#0x" + Long.toHexString(v);
  }

  private static String target(Target t, long address) {
    return switch (t) {
      case Target.PcOffset(int bytes) -> unsigned(address + bytes); // an address, printed unsigned
      case Target.ToLabel(var label) -> label.toString();
      case Target.Function(long key) -> "<0x" + Long.toHexString(key) + ">";
    };
  }
}
