package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code .kiln.stackmaps} ({@link StackMapTable}) from safepoints given in increasing
 * return-address order.
 */
public final class StackMapTableBuilder {
  private record Entry(int returnOffset, int frameBelowFp, int[] slotOffsets) {}

  private final List<Entry> entries = new ArrayList<>();

  /** An empty builder. */
  public StackMapTableBuilder() {}

  /**
   * Records that while the call whose return address is {@code returnOffset} (relative to {@code
   * .text}) is under way, its frame ({@code frameBelowFp} bytes below the frame pointer, a multiple
   * of {@link HandlerTable#FRAME_ALIGNMENT}) holds GC references in the words at {@code slotOffsets}
   * above its stack pointer.
   */
  public StackMapTableBuilder add(int returnOffset, int frameBelowFp, int[] slotOffsets) {
    if (returnOffset < 0 || !entries.isEmpty() && returnOffset <= entries.getLast().returnOffset()) {
      throw new IllegalArgumentException("stack map return offsets must be strictly increasing and non-negative: 0x"
          + Integer.toHexString(returnOffset));
    }
    if (frameBelowFp < 0 || frameBelowFp % HandlerTable.FRAME_ALIGNMENT != 0
        || frameBelowFp > HandlerTable.MAX_FRAME_BELOW_FP) {
      throw new IllegalArgumentException("stack map frame size " + frameBelowFp + " at 0x"
          + Integer.toHexString(returnOffset) + " is not a multiple of " + HandlerTable.FRAME_ALIGNMENT
          + " up to " + HandlerTable.MAX_FRAME_BELOW_FP);
    }
    if (slotOffsets.length > frameBelowFp / 8) {
      throw new IllegalArgumentException(slotOffsets.length + " stack map slots at 0x" + Integer.toHexString(returnOffset)
          + " in a frame of " + frameBelowFp + " bytes");
    }
    for (int slot : slotOffsets) {
      if (slot < 0 || slot % 8 != 0 || slot > frameBelowFp - 8) {
        throw new IllegalArgumentException("stack map slot sp+" + slot + " at 0x" + Integer.toHexString(returnOffset)
            + " is not an aligned word of its frame of " + frameBelowFp + " bytes");
      }
    }
    entries.add(new Entry(returnOffset, frameBelowFp, slotOffsets.clone()));
    return this;
  }

  public int size() {
    return entries.size();
  }

  /** The encoded section, its blocks restarting at each of {@code functionStarts} (increasing). */
  public byte[] build(int[] functionStarts) {
    TextBlocks.Writer blocks = new TextBlocks.Writer(functionStarts);
    ByteSink data = blocks.data();
    for (Entry e : entries) {
      int distance = blocks.entry(e.returnOffset());
      if (distance >= 0) {
        data.varint(distance);
      }
      data.varint(e.frameBelowFp() / HandlerTable.FRAME_ALIGNMENT);
      data.varint(e.slotOffsets().length);
      for (int slot : e.slotOffsets()) {
        data.varint(slot / 8);
      }
    }
    return blocks.build();
  }
}
