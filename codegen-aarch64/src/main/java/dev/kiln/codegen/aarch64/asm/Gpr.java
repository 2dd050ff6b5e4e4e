package dev.kiln.codegen.aarch64.asm;

import dev.kiln.codegen.regalloc.MachineRegister;
import dev.kiln.codegen.regalloc.RegClass;

/**
 * The general-purpose registers (Arm ARM C1.2.5, "Register names"). Encoding 31 names either the
 * stack pointer or the zero register depending on the operand (Arm ARM C1.2.5: "in instructions
 * where register 31 is ...", each instruction page says which); the form's register view ({@link
 * Form#views()}) decides which of {@link #SP} and {@link #ZR} an operand accepts. Whether the W
 * (32-bit) or X (64-bit) name is printed is also the form's choice.
 */
public enum Gpr implements Operand, MachineRegister {
  X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15,
  X16, X17, X18, X19, X20, X21, X22, X23, X24, X25, X26, X27, X28, X29, X30,
  /** Encoding 31 as the stack pointer (SP/WSP). */
  SP,
  /** Encoding 31 as the zero register (XZR/WZR). */
  ZR;

  /** {@link #values()} copies its array on every call; {@link #of} runs once per register operand. */
  private static final Gpr[] BY_ENCODING = values();

  /** The 5-bit register number. */
  @Override
  public int enc() {
    return this == SP || this == ZR ? 31 : ordinal();
  }

  /** The register with hardware number {@code enc} (0..30). */
  public static Gpr of(int enc) {
    if (enc < 0 || enc > 30) {
      throw new IllegalArgumentException("general register number out of range 0..30: " + enc);
    }
    return BY_ENCODING[enc];
  }

  /** The name in the 64-bit ({@code x3}, {@code sp}, {@code xzr}) or 32-bit view. */
  public String name(boolean wide) {
    return switch (this) {
      case SP -> wide ? "sp" : "wsp";
      case ZR -> wide ? "xzr" : "wzr";
      default -> (wide ? "x" : "w") + ordinal();
    };
  }

  @Override
  public RegClass regClass() {
    return RegClass.INT;
  }
}
