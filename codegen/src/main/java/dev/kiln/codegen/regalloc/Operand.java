package dev.kiln.codegen.regalloc;

/**
 * One register operand of a machine instruction, as the lowering reports it to the allocator.
 *
 * @param vreg the virtual register read or written
 * @param kind USE or DEF
 * @param pos EARLY or LATE point of the instruction
 * @param constraint what the encoding needs of the location
 */
public record Operand(VReg vreg, OperandKind kind, OperandPos pos, OperandConstraint constraint) {
  public Operand {
    if (vreg == null || kind == null || pos == null || constraint == null) {
      throw new IllegalArgumentException("operand fields are required");
    }
    if (constraint instanceof OperandConstraint.Reuse && kind != OperandKind.DEF) {
      throw new IllegalArgumentException("a reuse constraint belongs on a DEF: " + vreg);
    }
    if (constraint instanceof OperandConstraint.FixedReg(PReg p) && p.regClass() != vreg.regClass()) {
      throw new IllegalArgumentException("fixed register " + p + " has another class than " + vreg);
    }
  }

  /** A read at the EARLY point. */
  public static Operand use(VReg v, OperandConstraint c) {
    return new Operand(v, OperandKind.USE, OperandPos.EARLY, c);
  }

  /** A read that stays live through the LATE point. */
  public static Operand lateUse(VReg v, OperandConstraint c) {
    return new Operand(v, OperandKind.USE, OperandPos.LATE, c);
  }

  /** A write at the LATE point. */
  public static Operand def(VReg v, OperandConstraint c) {
    return new Operand(v, OperandKind.DEF, OperandPos.LATE, c);
  }

  /** A write at the EARLY point, so it shares a location with no input. */
  public static Operand earlyDef(VReg v, OperandConstraint c) {
    return new Operand(v, OperandKind.DEF, OperandPos.EARLY, c);
  }

  /** A read in any register of its class. */
  public static Operand useReg(VReg v) {
    return use(v, OperandConstraint.REG);
  }

  /** A write to any register of its class. */
  public static Operand defReg(VReg v) {
    return def(v, OperandConstraint.REG);
  }

  /** A write to the register of use operand {@code useIndex} (a two-address instruction). */
  public static Operand defReuse(VReg v, int useIndex) {
    return def(v, OperandConstraint.reuse(useIndex));
  }

  /** A read from register {@code r} (a calling convention's, or an instruction's implicit operand). */
  public static Operand useFixed(VReg v, PReg r) {
    return use(v, OperandConstraint.fixed(r));
  }

  /** A write to register {@code r}. */
  public static Operand defFixed(VReg v, PReg r) {
    return def(v, OperandConstraint.fixed(r));
  }

  @Override
  public String toString() {
    return (kind == OperandKind.USE ? "use " : "def ") + vreg + (pos == OperandPos.LATE ? "@late" : "")
        + (kind == OperandKind.DEF && pos == OperandPos.EARLY ? "@early" : "") + ":" + constraint;
  }
}
