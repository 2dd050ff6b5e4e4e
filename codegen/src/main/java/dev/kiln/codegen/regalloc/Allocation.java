package dev.kiln.codegen.regalloc;

/**
 * Where a value lives at one program point: a physical register or a spill slot in the frame. The
 * allocator hands one allocation per operand back to the lowering, and moves ({@link Edit}) go from
 * one allocation to another.
 */
public sealed interface Allocation permits PReg, SpillSlot {
  /** The register class whose values this location can hold. */
  RegClass regClass();

  /**
   * The register of an operand the instruction needs in a register (a REG or fixed constraint);
   * the allocator never gives such an operand a spill slot, so one here is a broken contract.
   */
  default PReg register() {
    // instanceof, not a pattern switch: C1 does not inline the switch's invokedynamic type test.
    if (this instanceof PReg p) {
      return p;
    }
    throw new IllegalStateException("register operand allocated to " + this);
  }
}
