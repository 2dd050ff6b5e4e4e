package dev.kiln.codegen.aarch64.asm;

import dev.kiln.codegen.LabelUse;

/**
 * The PC-relative fields of AArch64 that refer to labels (Cranelift's {@code LabelUse} for
 * AArch64). Every field is measured from the address of the instruction that holds it (Arm ARM
 * C6.2 "B": "offset from the address of this instruction"), and every use patches a whole
 * instruction word, keeping the opcode bits. Branches get a veneer when their target is out of
 * reach: TBZ/TBNZ, B.cond and CBZ/CBNZ an unconditional {@code b} (+-128 MiB); B and BL a sequence
 * that reaches +-2 GiB through x16 and x17, which Kiln never keeps a value in across instructions
 * (the intra-procedure-call scratch registers, AAPCS64 section 6.1.1).
 */
public enum A64LabelUse implements LabelUse {
  /** B, BL: imm26, bits 25:0, in words: +-128 MiB. */
  BRANCH26(26, 0, 2),
  /** B.cond, CBZ, CBNZ: imm19, bits 23:5, in words: +-1 MiB. */
  BRANCH19(19, 5, 2),
  /**
   * LDR (literal): imm19, bits 23:5, in words: +-1 MiB. The field of B.cond, but a load has no
   * veneer (a constant out of reach is an error, not a jump).
   */
  LDR19(19, 5, 2),
  /** TBZ, TBNZ: imm14, bits 18:5, in words: +-32 KiB. */
  BRANCH14(14, 5, 2),
  /** ADR: immhi:immlo (bits 23:5 and 30:29), in bytes: +-1 MiB. */
  ADR21(21, 0, 0),
  /**
   * A 32-bit data word (jump tables) holding addend + target - use, the addend being what the
   * encoder left in the word.
   */
  PC_REL32(32, 0, 0);

  private final int bits;
  private final int shift;
  private final int scale;

  A64LabelUse(int bits, int shift, int scale) {
    this.bits = bits;
    this.shift = shift;
    this.scale = scale;
  }

  @Override
  public long maxPositiveRange() {
    return this == PC_REL32 ? Integer.MAX_VALUE : ((1L << (bits - 1)) - 1) << scale;
  }

  @Override
  public long maxNegativeRange() {
    return this == PC_REL32 ? Integer.MAX_VALUE : (1L << (bits - 1)) << scale;
  }

  @Override
  public int patchSize() {
    return 4;
  }

  @Override
  public void patch(byte[] code, int useOffset, int labelOffset) {
    long delta = (long) labelOffset - useOffset;
    if (delta > maxPositiveRange() || -delta > maxNegativeRange()
        || (delta & ((1L << scale) - 1)) != 0) {
      throw new IllegalArgumentException(this + " cannot reach " + delta + " bytes");
    }
    int word = read(code, useOffset);
    write(code, useOffset, patchWord(word, delta));
  }

  /** {@code word} with its field set to the displacement {@code delta} (bytes). */
  public int patchWord(int word, long delta) {
    return switch (this) {
      case PC_REL32 -> word + (int) delta;
      case ADR21 -> {
        int imm = (int) delta & 0x1F_FFFF;
        yield (word & ~(0x3 << 29) & ~(0x7_FFFF << 5)) | ((imm & 3) << 29) | ((imm >>> 2) << 5);
      }
      default -> {
        int mask = ((1 << bits) - 1) << shift;
        int field = ((int) (delta >> scale) << shift) & mask;
        yield (word & ~mask) | field;
      }
    };
  }

  /** Bytes of the veneer of B and BL: four instructions and the 32-bit distance they read. */
  static final int LONG_VENEER_SIZE = 20;

  @Override
  public boolean supportsVeneer() {
    return this == BRANCH19 || this == BRANCH14 || this == BRANCH26;
  }

  @Override
  public int veneerSize() {
    return this == BRANCH26 ? LONG_VENEER_SIZE : supportsVeneer() ? 4 : 0;
  }

  @Override
  public int veneerAlignment() {
    return 4;
  }

  /**
   * The veneer of a short branch is {@code b label}: the branch lands on it and it jumps on (+-128
   * MiB). The veneer of B or BL reads the signed distance from the word after it to the label and
   * adds it to that word's address: {@code ldrsw x16, #16; adr x17, #12; add x16, x16, x17; br x16;
   * .word label - .} (Arm ARM C6.2 LDRSW (literal), ADR, ADD (shifted register), BR). A BL that
   * lands on it keeps its return address in x30, which the veneer does not touch.
   */
  @Override
  public VeneerUse generateVeneer(byte[] code, int veneerOffset) {
    if (!supportsVeneer()) {
      throw new UnsupportedOperationException(this + " has no veneer");
    }
    if (this != BRANCH26) {
      write(code, veneerOffset, Form.B.bits());
      return new VeneerUse(veneerOffset, BRANCH26);
    }
    int word = veneerOffset + 16;
    write(code, veneerOffset, A64Encoder.word(Inst.of(Form.LDRSW_LIT, Gpr.X16, new Target.PcOffset(word - veneerOffset))));
    write(code, veneerOffset + 4, A64Encoder.word(Inst.of(Form.ADR, Gpr.X17, new Target.PcOffset(word - veneerOffset - 4))));
    write(code, veneerOffset + 8, A64Encoder.word(Inst.of(Form.ADD_X, Gpr.X16, Gpr.X16, Gpr.X17)));
    write(code, veneerOffset + 12, A64Encoder.word(Inst.of(Form.BR, Gpr.X16)));
    write(code, word, 0);
    return new VeneerUse(word, PC_REL32);
  }

  static int read(byte[] code, int at) {
    return (code[at] & 0xFF) | (code[at + 1] & 0xFF) << 8 | (code[at + 2] & 0xFF) << 16
        | (code[at + 3] & 0xFF) << 24;
  }

  static void write(byte[] code, int at, int word) {
    for (int i = 0; i < 4; i++) {
      code[at + i] = (byte) (word >>> (8 * i));
    }
  }
}
