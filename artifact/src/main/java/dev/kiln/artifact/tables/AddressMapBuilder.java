package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteSink;
import java.util.Arrays;

/**
 * Writes {@code .kiln.addrmap} from (text offset, wasm byte offset) pairs given in increasing
 * text-offset order. A pair whose wasm offset equals the previous pair's is dropped: the map answers
 * "the last entry at or before this pc", so the earlier entry already covers it.
 */
public final class AddressMapBuilder {
  private final OffsetColumn.Builder offsets = new OffsetColumn.Builder();
  private int[] wasmOffsets = new int[32];
  private int lastTextOffset = -1; // including dropped repeats, so order is checked for every call

  /** An empty builder. */
  public AddressMapBuilder() {}

  /**
   * Maps code from {@code textOffset} on to the wasm instruction at byte {@code wasmOffset} of the
   * module (unsigned; {@link AddressMap#NONE} marks code with no wasm origin, e.g. a prologue).
   */
  public AddressMapBuilder add(int textOffset, int wasmOffset) {
    if (textOffset <= lastTextOffset) {
      throw new IllegalArgumentException("text offsets must be strictly increasing: 0x"
          + Integer.toHexString(textOffset) + " after 0x" + Integer.toHexString(lastTextOffset));
    }
    lastTextOffset = textOffset;
    if (offsets.size() > 0 && wasmOffsets[offsets.size() - 1] == wasmOffset) {
      return this;
    }
    offsets.add(textOffset);
    if (offsets.size() > wasmOffsets.length) {
      wasmOffsets = Arrays.copyOf(wasmOffsets, wasmOffsets.length * 2);
    }
    wasmOffsets[offsets.size() - 1] = wasmOffset;
    return this;
  }

  /** Entries kept after dropping repeats. */
  public int size() {
    return offsets.size();
  }

  /** The encoded section: {@code u32 count, count x u32 text offset, count x u32 wasm offset}. */
  public byte[] build() {
    ByteSink out = new ByteSink();
    offsets.writeHeaderAndOffsets(out);
    for (int i = 0; i < offsets.size(); i++) {
      out.u32(wasmOffsets[i]);
    }
    return out.toByteArray();
  }
}
