package dev.kiln.codegen.x64.asm;

import dev.kiln.codegen.regalloc.MachineRegister;
import dev.kiln.codegen.regalloc.RegClass;

/**
 * The sixteen general-purpose registers, in hardware-encoding order (SDM Vol. 2A section 2.1.5,
 * table 2-2; registers 8-15 need a REX.R, REX.X or REX.B bit, section 2.2.1.2).
 *
 * <p>As byte registers, encodings 4-7 name {@code spl}, {@code bpl}, {@code sil}, {@code dil} only when a
 * REX prefix is present; without one they would mean {@code ah}, {@code ch}, {@code dh}, {@code bh},
 * which Kiln never uses (SDM Vol. 1 section 3.4.1.1). The encoder therefore emits REX whenever such a
 * register is a byte operand.
 */
public enum Gpr implements Operand, MachineRegister {
  RAX("rax", "eax", "ax", "al"),
  RCX("rcx", "ecx", "cx", "cl"),
  RDX("rdx", "edx", "dx", "dl"),
  RBX("rbx", "ebx", "bx", "bl"),
  RSP("rsp", "esp", "sp", "spl"),
  RBP("rbp", "ebp", "bp", "bpl"),
  RSI("rsi", "esi", "si", "sil"),
  RDI("rdi", "edi", "di", "dil"),
  R8("r8", "r8d", "r8w", "r8b"),
  R9("r9", "r9d", "r9w", "r9b"),
  R10("r10", "r10d", "r10w", "r10b"),
  R11("r11", "r11d", "r11w", "r11b"),
  R12("r12", "r12d", "r12w", "r12b"),
  R13("r13", "r13d", "r13w", "r13b"),
  R14("r14", "r14d", "r14w", "r14b"),
  R15("r15", "r15d", "r15w", "r15b");

  private final String name64;
  private final String name32;
  private final String name16;
  private final String name8;

  Gpr(String name64, String name32, String name16, String name8) {
    this.name64 = name64;
    this.name32 = name32;
    this.name16 = name16;
    this.name8 = name8;
  }

  /** {@link #values()} copies its array on every call; encodings are looked up once per operand. */
  private static final Gpr[] BY_ENCODING = values();

  /** The register whose 4-bit hardware encoding is {@code enc}. */
  public static Gpr ofEncoding(int enc) {
    return BY_ENCODING[enc];
  }

  /** The 4-bit hardware encoding. */
  @Override
  public int enc() {
    return ordinal();
  }

  /** The low three bits, which go into ModRM, SIB or the opcode byte. */
  public int low3() {
    return ordinal() & 7;
  }

  /** True for r8-r15, whose fourth encoding bit lives in a REX prefix. */
  public boolean isExtended() {
    return ordinal() >= 8;
  }

  /** True if, as a byte operand, this register can only be named with a REX prefix (spl, bpl, sil, dil). */
  public boolean byteNeedsRex() {
    return ordinal() >= 4 && ordinal() <= 7;
  }

  /** The AT&amp;T name without {@code %} at the given operand size. */
  public String name(Size size) {
    return switch (size) {
      case QWORD -> name64;
      case DWORD -> name32;
      case WORD -> name16;
      case BYTE -> name8;
    };
  }

  @Override
  public String toString() {
    return "%" + name64;
  }

  @Override
  public RegClass regClass() {
    return RegClass.INT;
  }
}
