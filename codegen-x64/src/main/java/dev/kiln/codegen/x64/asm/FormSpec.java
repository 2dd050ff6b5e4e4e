package dev.kiln.codegen.x64.asm;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * One row of an opcode table: everything the encoder and printer need to know about a form.
 *
 * <p>A class rather than a record so that the row also carries what the encoder derives from it
 * (which operand goes to ModRM.reg, which to r/m, the opcode's length, the bytes after ModRM): the
 * same answers for every instruction of the form, worked out once when the table is made instead of
 * per instruction encoded.
 */
public final class FormSpec {

  /** Table shorthand: REX.W set (64-bit operand size). */
  public static final boolean REX_W = true;
  /** Table shorthand: REX.W clear. */
  public static final boolean NO_W = false;
  /** Table shorthand: ModRM.reg holds a register, not a /digit. */
  public static final int NO_DIGIT = -1;
  /** An operand slot of the encoding that this form does not have. */
  static final int NONE = -1;

  private final String mnemonic;
  private final Encoding encoding;
  private final Prefix prefix;
  private final boolean rexW;
  private final int opcode;
  private final int digit;
  private final Kinds operands;
  private final Set<FormFlag> flags;
  private final int fixedImm8;

  // What the encoder reads per instruction, derived from the row above (X64Encoder).
  /** The operand kinds, in operand order. */
  final OperandKind[] kinds;
  /** How many opcode bytes there are (1-3). */
  final int opcodeLength;
  /** Whether the form takes a VEX prefix ({@link Encoding#isVex}, too large to inline per instruction). */
  final boolean vex;
  /** Whether operand 0 is a condition code, added to the last opcode byte (the +cc forms). */
  final boolean conditionFirst;
  /** The operand that goes to ModRM.reg, or {@link #NONE}. */
  final int regIndex;
  /** The operand that goes to ModRM.r/m, or {@link #NONE}. */
  final int rmIndex;
  /** The operand that goes to VEX.vvvv, or {@link #NONE}. */
  final int vvvvIndex;
  /** The register that goes to bits 7:4 of the byte after ModRM (/is4), or {@link #NONE}. */
  final int is4Index;
  /** The register added to the last opcode byte (+rd), or {@link #NONE}. */
  final int opcodeRegIndex;
  /** The immediate operand, or {@link #NONE}. */
  final int immIndex;
  /** The width in bytes of the immediate operand's field, 0 without one. */
  final int immBytes;
  /** The branch target operand, or {@link #NONE}. */
  final int targetIndex;
  /**
   * The bytes after ModRM and its displacement: the immediate, and the fixed immediate or the /is4
   * byte, which a RIP-relative displacement counts past (SDM Vol. 2A section 2.2.1.6).
   */
  final int bytesAfterModRm;
  /** Whether some operand is a byte register, which may need a REX prefix of its own (spl-dil). */
  final boolean byteRegisterOperands;

  /**
   * @param mnemonic AT&amp;T mnemonic as Capstone prints it; {@code {cc}} stands for the condition suffix
   * @param encoding where the operands go
   * @param prefix legacy or mandatory prefix
   * @param rexW whether REX.W (64-bit operand size, SDM Vol. 2A section 2.2.1.2) is set
   * @param opcode opcode bytes packed big-endian: {@code 0x01}, {@code 0x0FAF}, {@code 0x0F3A0A}; a
   *     register (+rd) or condition (+cc) is added to the last byte
   * @param digit the ModRM.reg extension {@code /digit}, or -1 when ModRM.reg holds a register
   * @param operands operand kinds in Intel order (destination first)
   * @param flags printing properties
   * @param fixedImm8 an immediate byte that belongs to the form, not to an operand (the predicate of
   *     {@code cmpltps}, which assemblers spell as part of the mnemonic), or -1
   */
  public FormSpec(String mnemonic, Encoding encoding, Prefix prefix, boolean rexW, int opcode,
      int digit, List<OperandKind> operands, Set<FormFlag> flags, int fixedImm8) {
    this.mnemonic = Objects.requireNonNull(mnemonic, "mnemonic");
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.kinds = operands.toArray(new OperandKind[0]);
    this.operands = new Kinds(kinds);
    this.flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    if (digit < -1 || digit > 7) {
      throw new IllegalArgumentException("/digit must be 0-7 or -1: " + digit);
    }
    if (opcode < 0 || opcode > 0xFFFFFF) {
      throw new IllegalArgumentException("opcode must be 1-3 bytes: " + Integer.toHexString(opcode));
    }
    if (fixedImm8 < -1 || fixedImm8 > 0xFF) {
      throw new IllegalArgumentException("a fixed immediate is one byte: " + fixedImm8);
    }
    this.rexW = rexW;
    this.opcode = opcode;
    this.digit = digit;
    this.fixedImm8 = fixedImm8;

    // Multi-byte opcodes start with 0F, so leading bytes are never 0.
    opcodeLength = opcode > 0xFFFF ? 3 : opcode > 0xFF ? 2 : 1;
    vex = encoding.isVex();
    conditionFirst = kinds.length > 0 && kinds[0] == OperandKind.CC;
    int first = conditionFirst ? 1 : 0;
    // Where each operand goes, by the encoding's Op/En column (SDM Vol. 2A section 3.1.1.6).
    int reg = NONE;
    int rm = NONE;
    int vvvv = NONE;
    int is4 = NONE;
    int opcodeReg = NONE;
    int imm = NONE;
    int target = NONE;
    switch (encoding) {
      case RM, VRM, RMV, RMI, VRMI -> {
        reg = first;
        rm = first + 1;
        vvvv = encoding == Encoding.RMV ? first + 2 : NONE;
        imm = encoding == Encoding.RMI || encoding == Encoding.VRMI ? first + 2 : NONE;
      }
      case MR, MRI -> {
        rm = first;
        reg = first + 1;
        imm = encoding == Encoding.MRI ? first + 2 : NONE;
      }
      case MI, MI8 -> {
        rm = first;
        imm = first + 1;
      }
      case MC, M -> rm = first;
      case O -> opcodeReg = first;
      case OI -> {
        opcodeReg = first;
        imm = first + 1;
      }
      case D -> target = first;
      case I -> imm = first;
      case RVM, RVMI, RVMR -> {
        reg = first;
        vvvv = first + 1;
        rm = first + 2;
        imm = encoding == Encoding.RVMI ? first + 3 : NONE;
        is4 = encoding == Encoding.RVMR ? first + 3 : NONE;
      }
      case VMI -> {
        vvvv = first;
        rm = first + 1;
        imm = first + 2;
      }
      case ZO, NOP_SEQUENCE -> { }
    }
    regIndex = reg;
    rmIndex = rm;
    vvvvIndex = vvvv;
    is4Index = is4;
    opcodeRegIndex = opcodeReg;
    immIndex = imm;
    targetIndex = target;
    immBytes = imm != NONE ? kinds[imm].immediateBytes() : 0;
    bytesAfterModRm = immBytes + (fixedImm8 >= 0 || is4 != NONE ? 1 : 0);
    boolean byteRegisters = false;
    for (int i = first; i < kinds.length; i++) {
      byteRegisters |= kinds[i].isByteRegister();
    }
    byteRegisterOperands = byteRegisters;
  }

  public String mnemonic() {
    return mnemonic;
  }

  public Encoding encoding() {
    return encoding;
  }

  public Prefix prefix() {
    return prefix;
  }

  public boolean rexW() {
    return rexW;
  }

  public int opcode() {
    return opcode;
  }

  public int digit() {
    return digit;
  }

  /** The operand kinds: an immutable list. */
  public List<OperandKind> operands() {
    return operands;
  }

  public Set<FormFlag> flags() {
    return flags;
  }

  public int fixedImm8() {
    return fixedImm8;
  }

  /** The operand kind at {@code index}. */
  public OperandKind kind(int index) {
    return kinds[index];
  }

  /** How many operands the form takes ({@code operands().size()}). */
  public int operandCount() {
    return kinds.length;
  }

  /** The operand kinds: an immutable list over the row's array. */
  private static final class Kinds extends AbstractList<OperandKind> implements RandomAccess {
    private final OperandKind[] kinds;

    Kinds(OperandKind[] kinds) {
      for (OperandKind kind : kinds) {
        Objects.requireNonNull(kind, "operand kind");
      }
      this.kinds = kinds;
    }

    @Override
    public OperandKind get(int index) {
      return kinds[index];
    }

    @Override
    public int size() {
      return kinds.length;
    }
  }

  /** A row without flags. */
  public static FormSpec of(String mnemonic, Encoding encoding, Prefix prefix, boolean rexW, int opcode,
      int digit, OperandKind... operands) {
    return new FormSpec(mnemonic, encoding, prefix, rexW, opcode, digit, Arrays.asList(operands),
        Set.of(), -1);
  }

  /** This row with {@code flag} added. */
  public FormSpec with(FormFlag flag) {
    EnumSet<FormFlag> more = flags.isEmpty() ? EnumSet.noneOf(FormFlag.class) : EnumSet.copyOf(flags);
    more.add(flag);
    return new FormSpec(mnemonic, encoding, prefix, rexW, opcode, digit, operands, more, fixedImm8);
  }

  /** This row with {@code imm8} as its fixed immediate byte, emitted after ModRM and never printed. */
  public FormSpec withFixedImm8(int imm8) {
    return new FormSpec(mnemonic, encoding, prefix, rexW, opcode, digit, operands, flags, imm8);
  }

  public boolean has(FormFlag flag) {
    return flags.contains(flag);
  }

  @Override
  public String toString() {
    return "FormSpec[" + mnemonic + " " + encoding + " " + prefix + (rexW ? " W" : "") + " "
        + Integer.toHexString(opcode) + (digit >= 0 ? " /" + digit : "") + " " + operands + "]";
  }
}
