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

  /** Appends {@code form} with {@code ops}, which fit its row {@code spec}; returns the length in bytes. */
  private static int encode(Form form, FormSpec spec, Operand[] ops, CodeBuffer buf) {
    int start = buf.offset();

    int first = 0;
    int opcodeAdd = 0;
    if (spec.operandCount() > 0 && spec.kind(0) == OperandKind.CC) {
      opcodeAdd = ((Cond) ops[0]).code();
      first = 1;
    }

    Operand reg = null;        // goes to ModRM.reg
    Operand rm = null;         // goes to ModRM.r/m
    Operand vvvv = null;       // goes to VEX.vvvv: an xmm, or a general register for BMI
    Xmm is4 = null;            // goes to bits 7:4 of the byte after ModRM
    Gpr opcodeReg = null;      // goes to the opcode's low three bits
    int immIndex = -1;
    Operand target = null;
    switch (spec.encoding()) {
      case RM, VRM -> {
        reg = ops[first];
        rm = ops[first + 1];
      }
      case RMV -> {
        reg = ops[first];
        rm = ops[first + 1];
        vvvv = ops[first + 2];
      }
      case RMI, VRMI -> {
        reg = ops[first];
        rm = ops[first + 1];
        immIndex = first + 2;
      }
      case MR -> {
        rm = ops[first];
        reg = ops[first + 1];
      }
      case MRI -> {
        rm = ops[first];
        reg = ops[first + 1];
        immIndex = first + 2;
      }
      case MI, MI8 -> {
        rm = ops[first];
        immIndex = first + 1;
      }
      case MC, M -> rm = ops[first];
      case O -> opcodeReg = (Gpr) ops[first];
      case OI -> {
        opcodeReg = (Gpr) ops[first];
        immIndex = first + 1;
      }
      case D -> target = ops[first];
      case I -> immIndex = first;
      case RVM, RVMI, RVMR -> {
        reg = ops[first];
        vvvv = ops[first + 1];
        rm = ops[first + 2];
        immIndex = spec.encoding() == Encoding.RVMI ? first + 3 : -1;
        is4 = spec.encoding() == Encoding.RVMR ? (Xmm) ops[first + 3] : null;
      }
      case VMI -> {
        vvvv = ops[first];
        rm = ops[first + 1];
        immIndex = first + 2;
      }
      case ZO -> { }
      case NOP_SEQUENCE -> {
        for (int b : NOPS[(int) ((Imm) ops[first]).value() - 1]) {
          buf.put8(b);
        }
        return buf.offset() - start;
      }
    }

    // REX = 0100WRXB (section 2.2.1.2, table 2-4). R extends ModRM.reg, X extends SIB.index, B extends
    // ModRM.r/m, SIB.base or the opcode register.
    boolean rexR = isExtended(reg);
    boolean rexX = rm instanceof Amode.BaseIndexScaleDisp m && m.index().isExtended();
    boolean rexB = opcodeReg != null && opcodeReg.isExtended()
        || rm instanceof Amode.BaseDisp m && m.base().isExtended()
        || rm instanceof Amode.BaseIndexScaleDisp m && m.base().isExtended()
        || !(rm instanceof Amode) && isExtended(rm);
    int opcodeLength = spec.opcodeLength();
    int opcodeFrom = 0;
    if (spec.encoding().isVex()) {
      emitVex(buf, spec, rexR, rexX, rexB, vvvv);
      opcodeFrom = opcodeLength - 1; // the escape bytes are VEX.mmmmm
    } else {
      // Legacy / mandatory prefix comes before REX (SDM Vol. 2A section 2.2.1: REX must immediately
      // precede the opcode).
      if (spec.prefix() != Prefix.NONE) {
        buf.put8(spec.prefix().value());
      }
      boolean forceRex = false;
      for (int i = first; i < ops.length; i++) {
        // spl/bpl/sil/dil exist only with some REX prefix (section 2.2.1, "byte registers").
        if (spec.kind(i).isByteRegister() && ops[i] instanceof Gpr g && g.byteNeedsRex()) {
          forceRex = true;
        }
      }
      if (spec.rexW() || rexR || rexX || rexB || forceRex) {
        buf.put8(0x40 | (spec.rexW() ? 8 : 0) | (rexR ? 4 : 0) | (rexX ? 2 : 0) | (rexB ? 1 : 0));
      }
    }

    for (int i = opcodeFrom; i < opcodeLength; i++) {
      int b = spec.opcodeByte(i);
      if (i == opcodeLength - 1) {
        b += opcodeAdd + (opcodeReg != null ? opcodeReg.low3() : 0);
      }
      buf.put8(b);
    }

    int immBytes = immIndex >= 0 ? spec.kind(immIndex).immediateBytes() : 0;
    if (spec.fixedImm8() >= 0 || is4 != null) {
      immBytes += 1;
    }
    if (rm != null) {
      int regBits = reg != null ? low3(reg) : spec.digit();
      emitModRm(buf, regBits, rm, immBytes);
    }
    if (immIndex >= 0) {
      emitImmediate(buf, ((Imm) ops[immIndex]).value(), spec.kind(immIndex).immediateBytes());
    }
    if (spec.fixedImm8() >= 0) {
      buf.put8(spec.fixedImm8());
    }
    if (is4 != null) {
      buf.put8(is4.enc() << 4);
    }
    if (target != null) {
      emitTarget(buf, target, spec.kind(first));
      allowShortForm(buf, form, ops, start, opcodeAdd);
    }
    return buf.offset() - start;
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
      buf.allowShortForm(start, new byte[] {(byte) (0x70 + cc)}, X64LabelUse.REL8);
    } else if (form == ControlForm.JMP_REL32) {
      buf.allowShortForm(start, new byte[] {(byte) 0xEB}, X64LabelUse.REL8);
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
    int map = switch (spec.opcodeLength()) {
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

  private static int low3(Operand op) {
    if (op instanceof Gpr g) {
      return g.low3();
    }
    if (op instanceof Xmm x) {
      return x.low3();
    }
    throw new IllegalStateException("not a register: " + op);
  }
}
