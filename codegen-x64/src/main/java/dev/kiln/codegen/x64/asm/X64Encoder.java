package dev.kiln.codegen.x64.asm;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.x64.asm.forms.ControlForm;

/**
 * Encodes any {@link X64Inst} from its form's row. The layout is SDM Vol. 2A section 2.1, figure 2-1:
 *
 * <pre>
 *   [legacy prefix] [REX] opcode (1-3 bytes) [ModRM] [SIB] [disp8 | disp32] [immediate | rel]
 * </pre>
 *
 * <p>One routine serves every form: the form's encoding names which operand goes to ModRM.reg, which to
 * ModRM.r/m, which into the opcode byte and which is an immediate; the rest is mechanical.
 */
public final class X64Encoder {
  private X64Encoder() {}

  /** The recommended multi-byte NOPs, lengths 1-9 (SDM Vol. 2B, NOP, table 4-12). */
  private static final int[][] NOPS = {
      {0x90},
      {0x66, 0x90},
      {0x0F, 0x1F, 0x00},
      {0x0F, 0x1F, 0x40, 0x00},
      {0x0F, 0x1F, 0x44, 0x00, 0x00},
      {0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00},
      {0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00},
      {0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
      {0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
  };

  /** REX.X and REX.B, as they sit in the REX byte 0100WRXB (SDM Vol. 2A section 2.2.1.2). */
  private static final int REX_X = 2;
  private static final int REX_B = 1;

  /**
   * Checks {@code form} and {@code operands} as {@link X64Inst#of} does and appends the instruction
   * to {@code buf}; returns its length in bytes. For the emitters, which encode each instruction as
   * they make it and keep none: no instruction is made, the operands are read where they are (where
   * {@code X64Inst.of} copies them in case the caller reuses its array) and the form's row is looked
   * up once (an interface call on the form).
   */
  public static int encode(Form form, Operand[] operands, CodeBuffer buf) {
    FormSpec spec = form.spec();
    X64Inst.check(form, spec, operands);
    return encode(form, spec, operands, buf);
  }

  /** Appends {@code inst} to {@code buf} and returns its length in bytes. */
  public static int encode(X64Inst inst, CodeBuffer buf) {
    return encode(inst.form(), inst.spec(), inst.operandsInPlace(), buf);
  }

  /**
   * Appends {@code form} with {@code ops}, which fit its row {@code spec}; returns the length in bytes.
   * Where each operand goes, the opcode's length and the bytes after ModRM are the row's, worked out
   * once per form ({@link FormSpec}), not per instruction.
   */
  private static int encode(Form form, FormSpec spec, Operand[] ops, CodeBuffer buf) {
    int start = buf.offset();
    if (spec.encoding() == Encoding.NOP_SEQUENCE) {
      for (int b : NOPS[(int) ((Imm) ops[0]).value() - 1]) {
        buf.put8(b);
      }
      return buf.offset() - start;
    }
    int opcodeAdd = spec.conditionFirst ? ((Cond) ops[0]).code() : 0;
    Operand reg = spec.regIndex != FormSpec.NONE ? ops[spec.regIndex] : null;    // ModRM.reg
    Operand rm = spec.rmIndex != FormSpec.NONE ? ops[spec.rmIndex] : null;       // ModRM.r/m
    Gpr opcodeReg = spec.opcodeRegIndex != FormSpec.NONE ? (Gpr) ops[spec.opcodeRegIndex] : null;

    // REX = 0100WRXB (section 2.2.1.2, table 2-4). R extends ModRM.reg, X extends SIB.index, B extends
    // ModRM.r/m, SIB.base or the opcode register.
    boolean rexR = isExtended(reg);
    int rmRex = rm != null ? rmRexBits(rm) : opcodeReg != null && opcodeReg.isExtended() ? REX_B : 0;
    boolean rexX = (rmRex & REX_X) != 0;
    boolean rexB = (rmRex & REX_B) != 0;
    int opcodeLength = spec.opcodeLength;
    int opcode = spec.opcode();
    if (spec.vex) {
      // the escape bytes are VEX.mmmmm: only the last opcode byte follows the prefix
      emitVex(buf, spec, rexR, rexX, rexB, spec.vvvvIndex != FormSpec.NONE ? ops[spec.vvvvIndex] : null);
    } else {
      // Legacy / mandatory prefix comes before REX (SDM Vol. 2A section 2.2.1: REX must immediately
      // precede the opcode).
      if (spec.prefix() != Prefix.NONE) {
        buf.put8(spec.prefix().value());
      }
      boolean forceRex = spec.byteRegisterOperands && byteRegisterNeedsRex(spec, ops);
      if (spec.rexW() || rmRex != 0 || rexR || forceRex) {
        buf.put8(0x40 | (spec.rexW() ? 8 : 0) | (rexR ? 4 : 0) | rmRex);
      }
      if (opcodeLength == 3) {
        buf.put8(opcode >>> 16);
      }
      if (opcodeLength >= 2) {
        buf.put8(opcode >>> 8);
      }
    }
    buf.put8(opcode + opcodeAdd + (opcodeReg != null ? opcodeReg.low3() : 0));

    if (rm != null) {
      int regBits = reg != null ? low3(reg) : spec.digit();
      emitModRm(buf, regBits, rm, spec.bytesAfterModRm);
    }
    if (spec.immIndex != FormSpec.NONE) {
      emitImmediate(buf, ((Imm) ops[spec.immIndex]).value(), spec.immBytes);
    }
    if (spec.fixedImm8() >= 0) {
      buf.put8(spec.fixedImm8());
    }
    if (spec.is4Index != FormSpec.NONE) {
      buf.put8(((Xmm) ops[spec.is4Index]).enc() << 4);
    }
    if (spec.targetIndex != FormSpec.NONE) {
      emitTarget(buf, ops[spec.targetIndex], spec.kind(spec.targetIndex));
      allowShortForm(buf, form, ops, start, opcodeAdd);
    }
    return buf.offset() - start;
  }

  /**
   * The REX.X and REX.B bits of r/m operand {@code rm}: B for an extended register or base, X for an
   * extended index (section 2.2.1.2, table 2-4). A general register here, the rest apart: small
   * enough for the launcher's C2 to inline into {@link #encode} (InlineSizeTest).
   */
  private static int rmRexBits(Operand rm) {
    return rm instanceof Gpr g ? g.isExtended() ? REX_B : 0 : memoryOrXmmRexBits(rm);
  }

  private static int memoryOrXmmRexBits(Operand rm) {
    if (rm instanceof Xmm x) {
      return x.isExtended() ? REX_B : 0;
    }
    if (rm instanceof Amode.BaseDisp m) {
      return m.base().isExtended() ? REX_B : 0;
    }
    if (rm instanceof Amode.BaseIndexScaleDisp m) {
      return (m.index().isExtended() ? REX_X : 0) | (m.base().isExtended() ? REX_B : 0);
    }
    return 0; // RIP-relative: no register to extend
  }

  /**
   * Whether a byte-register operand is spl, bpl, sil or dil, which exist only with some REX prefix
   * (section 2.2.1, "byte registers"); asked only of forms with byte-register operands.
   */
  private static boolean byteRegisterNeedsRex(FormSpec spec, Operand[] ops) {
    for (int i = spec.conditionFirst ? 1 : 0; i < ops.length; i++) {
      if (spec.kinds[i].isByteRegister() && ops[i] instanceof Gpr g && g.byteNeedsRex()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A {@code jcc rel32} or {@code jmp rel32} to a label in this buffer may become {@code jcc rel8}
   * (70+cc cb) or {@code jmp rel8} (EB cb), 2 bytes instead of 6 or 5, when its target turns out to be
   * within a signed byte of its end (SDM Vol. 2A "Jcc", "JMP"); the buffer decides once every label is
   * bound ({@link CodeBuffer#allowShortForm}).
   */
  private static void allowShortForm(CodeBuffer buf, Form form, Operand[] ops, int start, int cc) {
    if (!(ops[ops.length - 1] instanceof LabelTarget)) {
      return;
    }
    if (form == ControlForm.JCC_REL32) {
      buf.allowShortForm(start, JCC_REL8_OPCODES[cc], X64LabelUse.REL8);
    } else if (form == ControlForm.JMP_REL32) {
      buf.allowShortForm(start, JMP_REL8_OPCODE, X64LabelUse.REL8);
    }
  }

  /**
   * The short forms' opcodes, per condition code {@code jcc rel8} (70+cc) and {@code jmp rel8} (EB),
   * made once: the buffer keeps the array it is given, which nothing changes, so no branch makes one.
   */
  private static final byte[][] JCC_REL8_OPCODES = new byte[16][];
  private static final byte[] JMP_REL8_OPCODE = {(byte) 0xEB};

  static {
    for (int cc = 0; cc < JCC_REL8_OPCODES.length; cc++) {
      JCC_REL8_OPCODES[cc] = new byte[] {(byte) (0x70 + cc)};
    }
  }

  /**
   * The VEX prefix (SDM Vol. 2A section 2.3.5, figure 2-9): R, X, B inverted; mmmmm the opcode map
   * the escape bytes named (0F, 0F38, 0F3A); W; vvvv the inverted second source (1111 when none),
   * an xmm or, for the BMI forms, a general register; L = 0 (128 bits, and the BMI forms' LZ); pp
   * the mandatory prefix it replaces. The two-byte form C5 serves when X, B and W are clear and the
   * map is 0F.
   */
  private static void emitVex(CodeBuffer buf, FormSpec spec, boolean r, boolean x, boolean b,
      Operand vvvv) {
    int map = switch (spec.opcodeLength) {
      case 2 -> 1; // 0F
      default -> (spec.opcode() >>> 8 & 0xFF) == 0x38 ? 2 : 3; // 0F 38, 0F 3A
    };
    int pp = switch (spec.prefix()) {
      case NONE -> 0;
      case P66 -> 1;
      case PF3 -> 2;
      case PF2 -> 3;
    };
    int v = switch (vvvv) {
      case null -> 0;
      case Xmm xmm -> xmm.enc();
      case Gpr gpr -> gpr.enc();
      default -> throw new IllegalArgumentException("VEX.vvvv names a register, not " + vvvv);
    };
    int notV = ~v & 0xF;
    if (!x && !b && !spec.rexW() && map == 1) {
      buf.put8(0xC5);
      buf.put8((r ? 0 : 0x80) | notV << 3 | pp);
    } else {
      buf.put8(0xC4);
      buf.put8((r ? 0 : 0x80) | (x ? 0 : 0x40) | (b ? 0 : 0x20) | map);
      buf.put8((spec.rexW() ? 0x80 : 0) | notV << 3 | pp);
    }
  }

  /**
   * ModRM, optional SIB, optional displacement (SDM Vol. 2A section 2.1.5, tables 2-2 and 2-3).
   *
   * <pre>
   *   ModRM = mod(2) reg(3) r/m(3)      SIB = scale(2) index(3) base(3)
   *   mod 11: r/m is a register         r/m 100 (mod != 11): a SIB byte follows
   *   mod 00: no displacement           mod 00, r/m 101: RIP + disp32
   *   mod 01: disp8                     SIB base 101 with mod 00: no base, disp32
   *   mod 10: disp32                    SIB index 100 (no REX.X): no index
   * </pre>
   *
   * Hence rsp/r12 as a base always take a SIB byte, and rbp/r13 as a base take mod 01 with disp8 0
   * rather than mod 00.
   */
  // instanceof tests, not a pattern switch: C1 (kiln compile's JIT under 24 MB) does not inline the
  // switch's invokedynamic type test, and this runs for almost every instruction.
  private static void emitModRm(CodeBuffer buf, int regBits, Operand rm, int immBytesAfter) {
    if (rm instanceof Gpr g) {
      buf.put8(modRm(0b11, regBits, g.low3()));
    } else if (rm instanceof Xmm x) {
      buf.put8(modRm(0b11, regBits, x.low3()));
    } else if (rm instanceof Amode.BaseDisp(Gpr base, int disp)) {
      int mod = modFor(disp, base);
      if (base.low3() == 0b100) {
        buf.put8(modRm(mod, regBits, 0b100));
        buf.put8(sib(0, 0b100, 0b100));
      } else {
        buf.put8(modRm(mod, regBits, base.low3()));
      }
      emitDisp(buf, mod, disp);
    } else if (rm instanceof Amode.BaseIndexScaleDisp m) {
      int mod = modFor(m.disp(), m.base());
      buf.put8(modRm(mod, regBits, 0b100));
      buf.put8(sib(m.scaleBits(), m.index().low3(), m.base().low3()));
      emitDisp(buf, mod, m.disp());
    } else if (rm instanceof Amode.RipRelative(var label)) {
      buf.put8(modRm(0b00, regBits, 0b101));
      int field = buf.offset();
      // RIP points past any immediate that follows; X64LabelUse.REL32 adds this addend.
      buf.put32(-immBytesAfter);
      buf.useLabel(field, label, X64LabelUse.REL32);
    } else {
      throw new IllegalStateException("not an r/m operand: " + rm);
    }
  }

  private static int modFor(int disp, Gpr base) {
    if (disp == 0 && base.low3() != 0b101) {
      return 0b00;
    }
    return disp == (byte) disp ? 0b01 : 0b10;
  }

  private static void emitDisp(CodeBuffer buf, int mod, int disp) {
    if (mod == 0b01) {
      buf.put8(disp);
    } else if (mod == 0b10) {
      buf.put32(disp);
    }
  }

  private static void emitImmediate(CodeBuffer buf, long value, int bytes) {
    switch (bytes) {
      case 1 -> buf.put8((int) value);
      case 2 -> buf.put16((int) value);
      case 4 -> buf.put32((int) value);
      case 8 -> buf.put64(value);
      default -> throw new IllegalStateException("immediate width " + bytes);
    }
  }

  private static void emitTarget(CodeBuffer buf, Operand target, OperandKind kind) {
    int field = buf.offset();
    if (kind == OperandKind.REL8) {
      buf.put8(0);
      buf.useLabel(field, ((LabelTarget) target).label(), X64LabelUse.REL8);
      return;
    }
    buf.put32(0);
    switch (target) {
      case LabelTarget(var label) -> buf.useLabel(field, label, X64LabelUse.REL32);
      // rel32 counts from the end of the field, 4 bytes after P: S + (-4) - P.
      case FunctionTarget(long key) -> buf.addReloc(field, RelocKind.X86_CALL_PC_REL4, key, -4);
      default -> throw new IllegalStateException("not a branch target: " + target);
    }
  }

  private static int modRm(int mod, int reg, int rm) {
    return mod << 6 | (reg & 7) << 3 | (rm & 7);
  }

  private static int sib(int scale, int index, int base) {
    return scale << 6 | (index & 7) << 3 | (base & 7);
  }

  private static boolean isExtended(Operand op) {
    return op instanceof Gpr g && g.isExtended() || op instanceof Xmm x && x.isExtended();
  }

  /** The low three bits of register {@code op}'s encoding; small enough to inline (InlineSizeTest). */
  private static int low3(Operand op) {
    return op instanceof Gpr g ? g.low3() : op instanceof Xmm x ? x.low3() : notARegister(op);
  }

  private static int notARegister(Operand op) {
    throw new IllegalStateException("not a register: " + op);
  }
}
