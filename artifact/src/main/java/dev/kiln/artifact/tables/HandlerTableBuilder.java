package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteSink;
import java.util.Arrays;

/**
 * Writes {@code .kiln.handlers} ({@link HandlerTable}) from handler sites given in increasing
 * return-address order.
 */
public final class HandlerTableBuilder {
  private int[] returnOffsets = new int[16];
  private int[] landingOffsets = new int[16];
  private int[] framesBelowFp = new int[16];
  private int size;

  /** An empty builder. */
  public HandlerTableBuilder() {}

  /**
   * Records that the call whose return address is {@code returnOffset} (relative to {@code .text})
   * lands at {@code landingOffset} when an exception unwinds through it, its frame {@code
   * frameBelowFp} bytes deep below the frame pointer (a multiple of {@link
   * HandlerTable#FRAME_ALIGNMENT}).
   */
  public HandlerTableBuilder add(int returnOffset, int landingOffset, int frameBelowFp) {
    if (returnOffset < 0 || landingOffset < 0 || size > 0 && returnOffset <= returnOffsets[size - 1]) {
      throw new IllegalArgumentException("handler return offsets must be strictly increasing and non-negative: 0x"
          + Integer.toHexString(returnOffset));
    }
    if (frameBelowFp < 0 || frameBelowFp % HandlerTable.FRAME_ALIGNMENT != 0) {
      throw new IllegalArgumentException("handler frame size " + frameBelowFp + " at 0x"
          + Integer.toHexString(returnOffset) + " is not a non-negative multiple of " + HandlerTable.FRAME_ALIGNMENT);
    }
    if (size == returnOffsets.length) {
      returnOffsets = Arrays.copyOf(returnOffsets, size * 2);
      landingOffsets = Arrays.copyOf(landingOffsets, size * 2);
      framesBelowFp = Arrays.copyOf(framesBelowFp, size * 2);
    }
    framesBelowFp[size] = frameBelowFp;
    returnOffsets[size] = returnOffset;
    landingOffsets[size++] = landingOffset;
    return this;
  }

  public int size() {
    return size;
  }

  /** The encoded section, its blocks restarting at each of {@code functionStarts} (increasing). */
  public byte[] build(int[] functionStarts) {
    TextBlocks.Writer blocks = new TextBlocks.Writer(functionStarts);
    ByteSink data = blocks.data();
    for (int i = 0; i < size; i++) {
      int distance = blocks.entry(returnOffsets[i]);
      if (distance >= 0) {
        data.varint(distance);
      }
      data.zigzag(landingOffsets[i] - returnOffsets[i]);
      data.varint(framesBelowFp[i] / HandlerTable.FRAME_ALIGNMENT);
    }
    return blocks.build();
  }
}
