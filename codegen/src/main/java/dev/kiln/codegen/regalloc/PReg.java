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

  /** One instance per register, so code that walks register sets does not allocate. */
  private static final PReg[][] ALL = new PReg[RegClass.values().length][MAX_PER_CLASS];

  static {
    for (RegClass c : RegClass.values()) {
      for (int enc = 0; enc < MAX_PER_CLASS; enc++) {
        ALL[c.ordinal()][enc] = new PReg(c, enc);
      }
    }
  }

  /** The register of class {@code regClass} with encoding {@code hwEnc}. */
  public static PReg of(RegClass regClass, int hwEnc) {
    if (hwEnc < 0 || hwEnc >= MAX_PER_CLASS) {
      throw new IllegalArgumentException("hardware encoding out of range 0..63: " + hwEnc);
    }
    return ALL[regClass.ordinal()][hwEnc];
  }

  public static PReg intReg(int hwEnc) {
    return of(RegClass.INT, hwEnc);
  }

  public static PReg floatReg(int hwEnc) {
    return of(RegClass.FLOAT, hwEnc);
  }

  // Written out: allocation compares registers constantly, and a record's generated equals goes
  // through an invokedynamic bootstrap that profiles showed on the allocator's hot paths.
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof PReg p && p.hwEnc == hwEnc && p.regClass == regClass);
  }

  @Override
  public int hashCode() {
    return regClass.ordinal() * MAX_PER_CLASS + hwEnc;
  }

  @Override
  public String toString() {
    return (regClass == RegClass.INT ? "p" : "f") + hwEnc;
  }
}
