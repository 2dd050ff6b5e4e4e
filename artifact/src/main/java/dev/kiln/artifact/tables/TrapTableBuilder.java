package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteSink;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.util.Arrays;

/** Writes {@code .kiln.traps} ({@link TrapTable}) from trap sites given in increasing text-offset order. */
public final class TrapTableBuilder {
  private int[] offsets = new int[32];
  private byte[] codes = new byte[32];
  private int size;

  /** An empty builder. */
  public TrapTableBuilder() {}

  /**
   * Records that the instruction at {@code textOffset} (relative to {@code .text}) traps with {@code
   * code}. The offset is the one a trap stub records: the trapping instruction's address.
   */
  public TrapTableBuilder add(int textOffset, TrapCode code) {
    if (textOffset < 0 || size > 0 && textOffset <= offsets[size - 1]) {
      throw new IllegalArgumentException("trap offsets must be strictly increasing and non-negative: 0x"
          + Integer.toHexString(textOffset));
    }
    if (size == offsets.length) {
      offsets = Arrays.copyOf(offsets, size * 2);
      codes = Arrays.copyOf(codes, size * 2);
    }
    offsets[size] = textOffset;
    codes[size++] = (byte) code.code();
    return this;
  }

  public int size() {
    return size;
  }

  /** The encoded section, its blocks restarting at each of {@code functionStarts} (increasing). */
  public byte[] build(int[] functionStarts) {
    TextBlocks.Writer blocks = new TextBlocks.Writer(functionStarts);
    ByteSink data = blocks.data();
    CompileDeadline.forEach(Phase.ASSEMBLY, size, i -> {
      int code = Byte.toUnsignedInt(codes[i]);
      int distance = blocks.entry(offsets[i]);
      if (distance < 0) {
        data.u8(code);
      } else {
        data.varint((long) distance << 5 | Math.min(code, TrapTable.CODE_ESCAPE));
        if (code >= TrapTable.CODE_ESCAPE) {
          data.u8(code);
        }
      }
    });
    return blocks.build();
  }
}
