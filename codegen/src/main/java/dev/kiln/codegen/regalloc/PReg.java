package dev.kiln.codegen.regalloc;

/**
 * A physical register: its class and its hardware encoding (x86-64 rax=0 .. r15=15, xmm0=0 ..;
 * AArch64 x0=0 .. x30=30, v0=0 .. v31=31). The ISA module owns the names; the allocator only needs
 * identity.
 *
 * @param regClass the register file
 * @param hwEnc hardware encoding, 0..63
 */
public record PReg(RegClass regClass, int hwEnc) implements Allocation {
  /** Largest number of registers per class; {@link PRegSet} keeps one bit per register. */
  public static final int MAX_PER_CLASS = 64;

  public PReg {
    if (regClass == null) {
      throw new IllegalArgumentException("register class is required");
    }
    if (hwEnc < 0 || hwEnc >= MAX_PER_CLASS) {
      throw new IllegalArgumentException("hardware encoding out of range 0..63: " + hwEnc);
    }
  }

  public static PReg intReg(int hwEnc) {
    return new PReg(RegClass.INT, hwEnc);
  }

  public static PReg floatReg(int hwEnc) {
    return new PReg(RegClass.FLOAT, hwEnc);
  }

  @Override
  public String toString() {
    return (regClass == RegClass.INT ? "p" : "f") + hwEnc;
  }
}
