package dev.kiln.codegen.emit;

import dev.kiln.codegen.regalloc.RegAllocOutput;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.SpillSlot;

/**
 * Where a function's spill slots sit in its frame, as offsets from the stack pointer of its body:
 * above the outgoing area its calls need, the INT slots at 8 bytes each, then the FLOAT slots at 16
 * bytes each from a 16-aligned offset, since a FLOAT vreg may be a v128 and a whole-register load or
 * store wants it aligned (x86-64 MOVAPS faults on a misaligned operand, SDM Vol. 2B; AArch64's
 * 128-bit LDR/STR (immediate, SIMD&FP) offset is scaled by 16, Arm ARM C7.2). The same on both ISAs; each frame then
 * pads {@link #bytes()} to its own alignment.
 *
 * @param intBase the offset of INT slot 0
 * @param floatBase the offset of FLOAT slot 0 (16-aligned)
 * @param bytes the bytes from the stack pointer to the end of the last slot
 */
public record SpillArea(int intBase, int floatBase, int bytes) {

  /** The slots {@code out} uses, above {@code outgoingBytes} of outgoing arguments and return areas. */
  public static SpillArea above(int outgoingBytes, RegAllocOutput out) {
    return above(outgoingBytes, out.spillSlots(RegClass.INT), out.spillSlots(RegClass.FLOAT));
  }

  static SpillArea above(int outgoingBytes, int intSlots, int floatSlots) {
    int intEnd = outgoingBytes + 8 * intSlots;
    int floatBase = (intEnd + 15) & -16;
    return new SpillArea(outgoingBytes, floatBase, floatSlots == 0 ? intEnd : floatBase + 16 * floatSlots);
  }

  /** The offset of {@code slot} from the stack pointer. */
  public int offset(SpillSlot slot) {
    return slot.regClass() == RegClass.FLOAT ? floatBase + 16 * slot.index() : intBase + 8 * slot.index();
  }
}
