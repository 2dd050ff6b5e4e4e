package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteSink;

/**
 * Writes {@code .kiln.addrmap} ({@link AddressMap}) from (text offset, wasm byte offset) pairs given
 * in increasing text-offset order. A pair whose wasm offset equals the previous pair's is dropped:
 * the map answers "the last entry at or before this pc", so the earlier entry already covers it.
 */
public final class AddressMapBuilder {
  private final OffsetPairs entries = new OffsetPairs();
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
    if (entries.size() > 0 && entries.lastValue() == wasmOffset) {
      return this;
    }
    entries.add(textOffset, wasmOffset);
    return this;
  }

  /** The bytes {@link ByteSink#zigzag} takes for {@code value}. */
  private static int zigzagBytes(int value) {
    int bits = 32 - Integer.numberOfLeadingZeros((value << 1) ^ (value >> 31));
    return Math.max(1, (bits + 6) / 7);
  }

  /** Entries kept after dropping repeats. */
  public int size() {
    return entries.size();
  }

  /** The encoded section, its blocks restarting at each of {@code functionStarts} (increasing). */
  public byte[] build(int[] functionStarts) {
    return new Encoder(functionStarts).encodeAll(entries);
  }

  /** The encoding's state from one entry to the next. */
  private static final class Encoder extends OffsetPairs.Encoder {
    private int v;
    private int back;

    Encoder(int[] functionStarts) {
      super(functionStarts);
    }

    @Override
    void encode(int textOffset, int value) {
      int next = value + 1; // "none" (all ones) becomes 0
      int distance = blocks.entry(textOffset);
      if (distance < 0) {
        data.varint(Integer.toUnsignedLong(next));
        back = next;
      } else {
        int change = next - v;
        int t = distance <= 15 ? distance : 0;
        int w = change >= 1 && change < AddressMap.BACK ? change : 0;
        if (w == 0 && zigzagBytes(next - back) < zigzagBytes(change)) {
          w = AddressMap.BACK;
        }
        data.u8(t << 4 | w);
        if (t == 0) {
          data.varint(distance);
        }
        if (w == 0 || w == AddressMap.BACK) {
          data.zigzag(w == 0 ? change : next - back);
          back = v;
        }
      }
      v = next;
    }
  }
}
