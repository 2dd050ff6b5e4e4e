package dev.kiln.codegen.regalloc;

/**
 * What the instruction's encoding needs of an operand's location (regalloc2's
 * {@code OperandConstraint}).
 */
public sealed interface OperandConstraint
    permits OperandConstraint.Any, OperandConstraint.Reg, OperandConstraint.Stack,
        OperandConstraint.FixedReg, OperandConstraint.Reuse {

  Any ANY = new Any();
  Reg REG = new Reg();
  Stack STACK = new Stack();

  /** The constraint to {@code preg}, made once per register: a call fixes a dozen operands. */
  static FixedReg fixed(PReg preg) {
    if (preg == null) {
      throw new IllegalArgumentException("fixed register is required");
    }
    return FixedReg.BY_REGISTER[preg.regClass().ordinal() * PReg.MAX_PER_CLASS + preg.hwEnc()];
  }

  static Reuse reuse(int useIndex) {
    return new Reuse(useIndex);
  }

  /** A register or a spill slot: the instruction has a memory form for this operand. */
  record Any() implements OperandConstraint {
    @Override
    public String toString() {
      return "any";
    }
  }

  /** Any allocatable register of the vreg's class. */
  record Reg() implements OperandConstraint {
    @Override
    public String toString() {
      return "reg";
    }
  }

  /** The vreg's spill slot (e.g. an operand addressed through the frame). */
  record Stack() implements OperandConstraint {
    @Override
    public String toString() {
      return "stack";
    }
  }

  /**
   * Exactly this register (x86 shift count in rcx, division in rax:rdx, ABI argument and return
   * registers). The register need not be allocatable.
   */
  record FixedReg(PReg preg) implements OperandConstraint {
    /** By class ordinal x {@link PReg#MAX_PER_CLASS} + encoding ({@link #fixed}). */
    private static final FixedReg[] BY_REGISTER = new FixedReg[RegClass.values().length * PReg.MAX_PER_CLASS];

    static {
      for (RegClass c : RegClass.values()) {
        for (int enc = 0; enc < PReg.MAX_PER_CLASS; enc++) {
          BY_REGISTER[c.ordinal() * PReg.MAX_PER_CLASS + enc] = new FixedReg(PReg.of(c, enc));
        }
      }
    }

    public FixedReg {
      if (preg == null) {
        throw new IllegalArgumentException("fixed register is required");
      }
    }

    // Written out for the same reason as PReg's: the validator and the allocator compare these per operand.
    @Override
    public boolean equals(Object o) {
      return o instanceof FixedReg f && f.preg.equals(preg);
    }

    @Override
    public int hashCode() {
      return preg.hashCode();
    }

    @Override
    public String toString() {
      return "fixed(" + preg + ")";
    }
  }

  /**
   * Only on a DEF: the same register as the USE operand at {@code useIndex} of the same instruction
   * (x86 two-address forms such as {@code add r/m64, r64}, Intel SDM Vol. 2A "ADD"). The allocator
   * copies the input into the output's register before the instruction when the input must survive.
   */
  record Reuse(int useIndex) implements OperandConstraint {
    public Reuse {
      if (useIndex < 0) {
        throw new IllegalArgumentException("reuse index must not be negative: " + useIndex);
      }
    }

    @Override
    public String toString() {
      return "reuse(" + useIndex + ")";
    }
  }
}
