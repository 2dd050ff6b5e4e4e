package dev.kiln.codegen.lower;

import dev.kiln.codegen.abi.ArgumentArea;
import dev.kiln.codegen.vcode.VCode;

/**
 * A function lowered by an ISA's {@link LowerBackend}: what emission allocates registers in and
 * lays the frame out from.
 *
 * @param vcode the function's VCode
 * @param outgoingBytes the outgoing-area bytes its calls need
 * @param arguments its incoming argument area, grown for its tail calls
 * @param residentSlotOffsets the offsets above the body's stack pointer of the slots every stack map
 *     of the function names besides its own (its frame-resident GC references); empty when none
 * @param <C> the ISA's emit context
 */
public record Lowered<C>(VCode<MInst<C>> vcode, int outgoingBytes, ArgumentArea arguments, int[] residentSlotOffsets) {
  public Lowered {
    residentSlotOffsets = residentSlotOffsets.clone();
  }

  @Override
  public int[] residentSlotOffsets() {
    return residentSlotOffsets.clone();
  }
}
