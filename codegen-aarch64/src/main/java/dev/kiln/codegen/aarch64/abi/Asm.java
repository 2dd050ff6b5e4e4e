package dev.kiln.codegen.aarch64.abi;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.aarch64.asm.A64Encoder;
import dev.kiln.codegen.aarch64.asm.AddSubImm;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.Inst;
import dev.kiln.codegen.aarch64.asm.MoveWideImm;
import dev.kiln.codegen.aarch64.asm.Operand;
import dev.kiln.codegen.aarch64.asm.ScaledOffset;

/**
 * Short sequences every code generator here needs: one instruction, a 32- or 64-bit constant, an
 * addition of any constant, and a load or store at any offset.
 */
public final class Asm {
  private Asm() {}

  public static void asm(CodeBuffer buf, Form form, Operand... operands) {
    A64Encoder.encode(form, operands, buf);
  }

  /**
   * {@code rd = value} in the fewest move-wide instructions (Arm ARM C6.2 "MOVZ", "MOVN", "MOVK"):
   * MOVN when more 16-bit chunks are all ones than all zeros, else MOVZ, then MOVK for every chunk
   * the first instruction did not already produce. A W destination zero-extends to 64 bits.
   */
  public static void movConst(CodeBuffer buf, Gpr rd, boolean wide, long value) {
    int chunks = wide ? 4 : 2;
    long v = wide ? value : value & 0xFFFF_FFFFL;
    int zeros = 0;
    int ones = 0;
    for (int i = 0; i < chunks; i++) {
      int c = chunk(v, i);
      zeros += c == 0 ? 1 : 0;
      ones += c == 0xFFFF ? 1 : 0;
    }
    boolean inverted = ones > zeros;
    int skip = inverted ? 0xFFFF : 0;
    int first = -1;
    for (int i = 0; i < chunks; i++) {
      if (chunk(v, i) != skip) {
        first = i;
        break;
      }
    }
    if (first < 0) {
      first = 0; // all chunks equal the skipped pattern: 0 (movz #0) or all ones (movn #0)
    }
    int c0 = chunk(v, first);
    asm(buf, inverted ? (wide ? Form.MOVN_X : Form.MOVN_W) : (wide ? Form.MOVZ_X : Form.MOVZ_W), rd,
        MoveWideImm.of(inverted ? ~c0 & 0xFFFF : c0, 16 * first));
    for (int i = first + 1; i < chunks; i++) {
      int c = chunk(v, i);
      if (c != skip) {
        asm(buf, wide ? Form.MOVK_X : Form.MOVK_W, rd, MoveWideImm.of(c, 16 * i));
      }
    }
  }

  private static int chunk(long v, int i) {
    return (int) (v >>> (16 * i)) & 0xFFFF;
  }

  /**
   * {@code rd = rn + value} (64-bit) for any {@code value}; {@code temp} (distinct from {@code rn})
   * holds the constant when it is not an add/sub immediate. Either register may be SP.
   */
  public static void addConst(CodeBuffer buf, Gpr rd, Gpr rn, long value, Gpr temp) {
    if (value == 0) {
      if (rd != rn) {
        asm(buf, rd == Gpr.SP || rn == Gpr.SP ? Form.MOV_X_SP : Form.MOV_X, rd, rn);
      }
      return;
    }
    Form form = value > 0 ? Form.ADD_X_IMM : Form.SUB_X_IMM;
    long magnitude = Math.abs(value);
    var imm = AddSubImm.of(magnitude);
    if (imm.isPresent()) {
      asm(buf, form, rd, rn, imm.get());
      return;
    }
    if (magnitude < (1L << 24)) {
      // Two immediates: the high 12 bits shifted, then the low 12.
      asm(buf, form, rd, rn, AddSubImm.require(magnitude & 0xFFF_000L));
      asm(buf, form, rd, rd, AddSubImm.require(magnitude & 0xFFF));
      return;
    }
    if (rd == Gpr.SP || rn == Gpr.SP || temp == rn) {
      throw new IllegalArgumentException("constant " + value + " too large for an SP adjustment");
    }
    movConst(buf, temp, true, value);
    asm(buf, Form.ADD_X, rd, rn, temp);
  }

  /**
   * A load or store of {@code rt} at {@code base + offset}: the scaled unsigned-offset form when
   * the offset fits it, otherwise the offset in {@code temp} and the register-offset form.
   *
   * @param form an unsigned-offset form (Shape.LDST_UIMM)
   */
  public static void access(CodeBuffer buf, Form form, Operand rt, Gpr base, long offset, Gpr temp) {
    var scaled = ScaledOffset.of(offset, form.accessSize());
    if (scaled.isPresent()) {
      asm(buf, form, rt, base, scaled.get());
      return;
    }
    movConst(buf, temp, true, offset);
    asm(buf, registerOffsetForm(form), rt, base, temp);
  }

  /** The register-offset form of an unsigned-offset load or store. */
  public static Form registerOffsetForm(Form form) {
    return switch (form) {
      case STRB_IMM -> Form.STRB_REG;
      case LDRB_IMM -> Form.LDRB_REG;
      case LDRSB_W_IMM -> Form.LDRSB_W_REG;
      case LDRSB_X_IMM -> Form.LDRSB_X_REG;
      case STRH_IMM -> Form.STRH_REG;
      case LDRH_IMM -> Form.LDRH_REG;
      case LDRSH_W_IMM -> Form.LDRSH_W_REG;
      case LDRSH_X_IMM -> Form.LDRSH_X_REG;
      case STR_W_IMM -> Form.STR_W_REG;
      case LDR_W_IMM -> Form.LDR_W_REG;
      case LDRSW_IMM -> Form.LDRSW_REG;
      case STR_X_IMM -> Form.STR_X_REG;
      case LDR_X_IMM -> Form.LDR_X_REG;
      case STR_S_IMM -> Form.STR_S_REG;
      case LDR_S_IMM -> Form.LDR_S_REG;
      case STR_D_IMM -> Form.STR_D_REG;
      case LDR_D_IMM -> Form.LDR_D_REG;
      case STR_Q_IMM -> Form.STR_Q_REG;
      case LDR_Q_IMM -> Form.LDR_Q_REG;
      default -> throw new IllegalArgumentException(form + " is not an unsigned-offset load/store");
    };
  }
}
