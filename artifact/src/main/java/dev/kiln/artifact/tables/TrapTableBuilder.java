package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteSink;
import java.util.Arrays;

/** Writes {@code .kiln.traps} from trap sites given in increasing text-offset order. */
public final class TrapTableBuilder {
  private final OffsetColumn.Builder offsets = new OffsetColumn.Builder();
  private byte[] codes = new byte[32];

  /** An empty builder. */
  public TrapTableBuilder() {}

  /**
   * Records that the instruction at {@code textOffset} (relative to {@code .text}) traps with {@code
   * code}. The offset is the one a trap stub records: the trapping instruction's address.
   */
  public TrapTableBuilder add(int textOffset, TrapCode code) {
    offsets.add(textOffset);
    if (offsets.size() > codes.length) {
      codes = Arrays.copyOf(codes, codes.length * 2);
    }
    codes[offsets.size() - 1] = (byte) code.code();
    return this;
  }

  public int size() {
    return offsets.size();
  }

  /** The encoded section: {@code u32 count, count x u32 offset, count x u8 code}. */
  public byte[] build() {
    ByteSink out = new ByteSink();
    offsets.writeHeaderAndOffsets(out);
    out.bytes(Arrays.copyOf(codes, offsets.size()));
    return out.toByteArray();
  }
}
