package dev.kiln.codegen;

import java.util.Arrays;

/**
 * A GC safepoint call, for the artifact's stack map table (docs/cwasm-format.md, {@code
 * .kiln.stackmaps}): while the call at {@code returnOffset} is under way, the frame's GC references
 * are exactly the words at {@code slotOffsets} above its body's stack pointer, which lies {@code
 * frameBelowFp} below its frame pointer, and the function's resident slots ({@link
 * CompiledFunction#residentSlotOffsets}), which every site of the function names and none lists. A
 * collection under the call reads and rewrites those words.
 *
 * @param returnOffset code offset just after the call instruction: the return address it pushes
 * @param frameBelowFp the function's frame size below its frame pointer ({@code
 *     codegen.abi.Frame#sizeBelowFramePointer})
 * @param slotOffsets the call's own slots' offsets from the body's stack pointer, 8-aligned, each
 *     word inside the frame ({@code offset + 8 <= frameBelowFp})
 */
public record StackMapSite(int returnOffset, int frameBelowFp, int[] slotOffsets) {
  public StackMapSite {
    if (returnOffset < 0 || frameBelowFp < 0) {
      throw new IllegalArgumentException("negative stack map site field: " + returnOffset + ", frame " + frameBelowFp);
    }
    slotOffsets = slotOffsets.clone();
    for (int offset : slotOffsets) {
      if (offset < 0 || offset % 8 != 0 || offset > frameBelowFp - 8) {
        throw new IllegalArgumentException("stack map slot at sp+" + offset + " is not an aligned word of a frame of "
            + frameBelowFp + " bytes");
      }
    }
  }

  @Override
  public int[] slotOffsets() {
    return slotOffsets.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StackMapSite s && s.returnOffset == returnOffset && s.frameBelowFp == frameBelowFp
        && Arrays.equals(s.slotOffsets, slotOffsets);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * returnOffset + frameBelowFp) + Arrays.hashCode(slotOffsets);
  }

  @Override
  public String toString() {
    return "StackMapSite[+0x" + Integer.toHexString(returnOffset) + ", frame " + frameBelowFp + ", sp+"
        + Arrays.toString(slotOffsets) + "]";
  }
}
