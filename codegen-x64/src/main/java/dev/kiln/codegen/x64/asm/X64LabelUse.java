package dev.kiln.codegen.x64.asm;

import dev.kiln.codegen.LabelUse;

/**
 * x86-64's PC-relative fields. Both count from the end of the field, which for branches is the end of
 * the instruction (SDM Vol. 2A, JMP/Jcc: "relative to the next instruction"). x86-64 needs no veneers:
 * rel32 reaches any offset within a function.
 */
public enum X64LabelUse implements LabelUse {
  /** A signed byte: {@code label - (use + 1)}; short jumps. Reach [-127, 128] from the field. */
  REL8 {
    @Override
    public long maxPositiveRange() {
      return 128;
    }

    @Override
    public long maxNegativeRange() {
      return 127;
    }

    @Override
    public int patchSize() {
      return 1;
    }

    @Override
    public void patch(byte[] code, int useOffset, int labelOffset) {
      long value = (long) labelOffset - (useOffset + 1);
      if (value < Byte.MIN_VALUE || value > Byte.MAX_VALUE) {
        throw new IllegalArgumentException("rel8 displacement " + value + " out of range");
      }
      code[useOffset] = (byte) value;
    }
  },

  /**
   * A signed little-endian dword: {@code addend + label - (use + 4)}, where the addend is the value the
   * encoder left in the field. A RIP-relative operand followed by an immediate stores minus the
   * immediate's width there, because RIP then points past the immediate (SDM Vol. 2A section 2.2.1.6).
   */
  REL32 {
    @Override
    public long maxPositiveRange() {
      return Integer.MAX_VALUE;
    }

    @Override
    public long maxNegativeRange() {
      return Integer.MAX_VALUE;
    }

    @Override
    public int patchSize() {
      return 4;
    }

    @Override
    public void patch(byte[] code, int useOffset, int labelOffset) {
      int addend = (code[useOffset] & 0xFF) | (code[useOffset + 1] & 0xFF) << 8
          | (code[useOffset + 2] & 0xFF) << 16 | (code[useOffset + 3] & 0xFF) << 24;
      long value = addend + (long) labelOffset - (useOffset + 4L);
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("rel32 displacement " + value + " out of range");
      }
      for (int i = 0; i < 4; i++) {
        code[useOffset + i] = (byte) (value >>> (8 * i));
      }
    }
  }
}
