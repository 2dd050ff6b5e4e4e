package dev.kiln.codegen.regalloc;

/**
 * A virtual register: an SSA value of the lowered function. Each one is defined exactly once, by a
 * DEF operand or as a block parameter.
 *
 * @param index dense index, {@code 0 <= index < RegAllocFunction.numVRegs()}
 * @param regClass the register file the value needs
 */
public record VReg(int index, RegClass regClass) {
  public VReg {
    if (index < 0) {
      throw new IllegalArgumentException("vreg index must not be negative: " + index);
    }
    if (regClass == null) {
      throw new IllegalArgumentException("register class is required");
    }
  }

  // Written out, as PReg's: lowering and allocation compare and hash values constantly, and a record's
  // generated equals and hashCode go through an invokedynamic bootstrap that C1 does not inline.
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof VReg v && v.index == index && v.regClass == regClass);
  }

  @Override
  public int hashCode() {
    return index * 2 + regClass.ordinal();
  }

  @Override
  public String toString() {
    return (regClass == RegClass.INT ? "v" : "w") + index;
  }
}
