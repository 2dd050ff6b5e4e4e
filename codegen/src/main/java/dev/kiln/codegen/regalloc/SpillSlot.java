package dev.kiln.codegen.regalloc;

/**
 * A frame slot owned by the allocator. Slots are numbered per class from 0; the ABI code lays them out
 * (8 bytes for {@link RegClass#INT}, 16 for {@link RegClass#FLOAT} so vectors fit) using
 * {@link RegAllocOutput#spillSlots(RegClass)}.
 *
 * @param regClass class of the values stored here
 * @param index slot number within the class
 */
public record SpillSlot(RegClass regClass, int index) implements Allocation {
  public SpillSlot {
    if (regClass == null) {
      throw new IllegalArgumentException("register class is required");
    }
    if (index < 0) {
      throw new IllegalArgumentException("slot index must not be negative: " + index);
    }
  }

  // Written out for the same reason as PReg's.
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof SpillSlot s && s.index == index && s.regClass == regClass);
  }

  @Override
  public int hashCode() {
    return index * 2 + regClass.ordinal();
  }

  @Override
  public String toString() {
    return (regClass == RegClass.INT ? "slot" : "fslot") + index;
  }
}
