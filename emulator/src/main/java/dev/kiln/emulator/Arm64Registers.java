package dev.kiln.emulator;

/**
 * Unicorn 2's AArch64 register numbers ({@code unicorn/arm64.h}, enum {@code uc_arm64_reg}): X29,
 * X30 and SP come first, then the banks B0-B31, D0-D31, H0-H31, Q0-Q31, S0-S31, W0-W30, X0-X28,
 * V0-V31 and PC.
 */
final class Arm64Registers {
  private Arm64Registers() {}

  static final int X29 = 1;
  static final int X30 = 2;
  static final int SP = 4;
  private static final int D0 = 40;
  private static final int X0 = 199;
  static final int PC = 260;

  /** General register {@code n} (0-30); x29 and x30 are numbered apart from the rest. */
  static int x(int n) {
    if (n < 0 || n > 30) {
      throw new IllegalArgumentException("x" + n);
    }
    return n == 29 ? X29 : n == 30 ? X30 : X0 + n;
  }

  /** The low 64 bits of vector register {@code n}. */
  static int d(int n) {
    if (n < 0 || n > 31) {
      throw new IllegalArgumentException("d" + n);
    }
    return D0 + n;
  }
}
