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
public record FormSpec(String mnemonic, Encoding encoding, Prefix prefix, boolean rexW, int opcode,
    int digit, List<OperandKind> operands, Set<FormFlag> flags, int fixedImm8) {

  /** Table shorthand: REX.W set (64-bit operand size). */
  public static final boolean REX_W = true;
  /** Table shorthand: REX.W clear. */
  public static final boolean NO_W = false;
  /** Table shorthand: ModRM.reg holds a register, not a /digit. */
  public static final int NO_DIGIT = -1;

  public FormSpec {
    Objects.requireNonNull(mnemonic, "mnemonic");
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(prefix, "prefix");
    operands = new Kinds(operands.toArray(new OperandKind[0]));
    flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    if (digit < -1 || digit > 7) {
      throw new IllegalArgumentException("/digit must be 0-7 or -1: " + digit);
    }
    if (opcode < 0 || opcode > 0xFFFFFF) {
      throw new IllegalArgumentException("opcode must be 1-3 bytes: " + Integer.toHexString(opcode));
    }
    if (fixedImm8 < -1 || fixedImm8 > 0xFF) {
      throw new IllegalArgumentException("a fixed immediate is one byte: " + fixedImm8);
    }
  }

  /**
   * The operand kind at {@code index}: read per operand when an instruction is made and encoded,
   * through {@link Kinds}, a final class C1 (kiln compile's JIT under 24 MB) inlines, where a {@code List}'s
   * {@code get} is an interface call it does not.
   */
  public OperandKind kind(int index) {
    return ((Kinds) operands).kinds[index];
  }

  /** How many operands the form takes ({@code operands().size()}, read as {@link #kind} is). */
  public int operandCount() {
    return ((Kinds) operands).kinds.length;
  }

  /** The operand kinds: an immutable list over an array of its own. */
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

  /**
   * How many opcode bytes there are (1-3). Multi-byte opcodes start with 0F, so leading bytes are
   * never 0. With {@link #opcodeByte} the encoder reads them without an array per instruction.
   */
  public int opcodeLength() {
    return opcode > 0xFFFF ? 3 : opcode > 0xFF ? 2 : 1;
  }

  /** Opcode byte {@code i} in emission order, {@code 0 <= i < opcodeLength()}. */
  public int opcodeByte(int i) {
    return opcode >>> (8 * (opcodeLength() - 1 - i)) & 0xFF;
  }

  public boolean has(FormFlag flag) {
    return flags.contains(flag);
  }
}
