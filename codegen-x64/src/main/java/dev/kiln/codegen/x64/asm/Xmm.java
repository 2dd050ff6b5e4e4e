package dev.kiln.codegen.x64.asm;

import dev.kiln.codegen.regalloc.MachineRegister;
import dev.kiln.codegen.regalloc.RegClass;

/** The sixteen SSE registers; xmm8-xmm15 need a REX bit like r8-r15 (SDM Vol. 2A section 2.2.1.2). */
public enum Xmm implements Operand, MachineRegister {
  XMM0, XMM1, XMM2, XMM3, XMM4, XMM5, XMM6, XMM7,
  XMM8, XMM9, XMM10, XMM11, XMM12, XMM13, XMM14, XMM15;

  /** {@link #values()} copies its array on every call; encodings are looked up once per operand. */
  private static final Xmm[] BY_ENCODING = values();

  /** The register whose 4-bit hardware encoding is {@code enc}. */
  public static Xmm ofEncoding(int enc) {
    return BY_ENCODING[enc];
  }

  @Override
  public int enc() {
    return ordinal();
  }

  public int low3() {
    return ordinal() & 7;
  }

  public boolean isExtended() {
    return ordinal() >= 8;
  }

  @Override
  public String toString() {
    return "%xmm" + ordinal();
  }

  @Override
  public RegClass regClass() {
    return RegClass.FLOAT;
  }
}
