package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteSink;
import java.util.Arrays;

/**
 * Writes {@code .kiln.addrmap} ({@link AddressMap}) from (text offset, wasm byte offset) pairs given
 * in increasing text-offset order. A pair whose wasm offset equals the previous pair's is dropped:
 * the map answers "the last entry at or before this pc", so the earlier entry already covers it.
 */
public final class AddressMapBuilder {
  private int[] textOffsets = new int[32];
  private int[] wasmOffsets = new int[32];
  private int size;
  private int lastTextOffset = -1; // including dropped repeats, so order is checked for every call

  /** An empty builder. */
  public AddressMapBuilder() {}

  /**
   * Maps code from {@code textOffset} on to the wasm instruction at byte {@code wasmOffset} of the
   * module (unsigned; {@link AddressMap#NONE} marks code with no wasm origin, e.g. a prologue).
   */
  public AddressMapBuilder add(int textOffset, int wasmOffset) {
    if (textOffset <= lastTextOffset || textOffset < 0) {
      throw new IllegalArgumentException("text offsets must be strictly increasing and non-negative: 0x"
          + Integer.toHexString(textOffset) + " after 0x" + Integer.toHexString(lastTextOffset));
    }
    lastTextOffset = textOffset;
    if (size > 0 && wasmOffsets[size - 1] == wasmOffset) {
      return this;
    }
    if (size == textOffsets.length) {
      textOffsets = Arrays.copyOf(textOffsets, size * 2);
      wasmOffsets = Arrays.copyOf(wasmOffsets, size * 2);
    }
    textOffsets[size] = textOffset;
    wasmOffsets[size++] = wasmOffset;
    return this;
  }

  /** Entries kept after dropping repeats. */
  public int size() {
    return size;
  }

  /** The encoded section, its blocks restarting at each of {@code functionStarts} (increasing). */
  public byte[] build(int[] functionStarts) {
    TextBlocks.Writer blocks = new TextBlocks.Writer(functionStarts);
    ByteSink data = blocks.data();
    int v = 0;
    for (int i = 0; i < size; i++) {
      int next = wasmOffsets[i] + 1; // "none" (all ones) becomes 0
      int distance = blocks.entry(textOffsets[i]);
      if (distance < 0) {
        data.varint(Integer.toUnsignedLong(next));
      } else {
        int change = next - v;
        int t = distance <= 15 ? distance : 0;
        int w = change >= 1 && change <= 15 ? change : 0;
        data.u8(t << 4 | w);
        if (t == 0) {
          data.varint(distance);
        }
        if (w == 0) {
          data.zigzag(change);
        }
      }
      v = next;
    }
    return blocks.build();
  }
}
