package dev.kiln.codegen.aarch64.asm;

import dev.kiln.codegen.regalloc.MachineRegister;
import dev.kiln.codegen.regalloc.RegClass;

/**
 * The SIMD and floating-point registers V0-V31 (Arm ARM C1.2.5), used here through their scalar
 * views S (32-bit) and D (64-bit), which the form chooses.
 */
public enum FpReg implements Operand, MachineRegister {
  V0, V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13, V14, V15,
  V16, V17, V18, V19, V20, V21, V22, V23, V24, V25, V26, V27, V28, V29, V30, V31;

  /** {@link #values()} copies its array on every call; {@link #of} runs once per register operand. */
  private static final FpReg[] BY_ENCODING = values();

  @Override
  public int enc() {
    return ordinal();
  }

  public static FpReg of(int enc) {
    return BY_ENCODING[enc];
  }

  @Override
  public RegClass regClass() {
    return RegClass.FLOAT;
  }
}
