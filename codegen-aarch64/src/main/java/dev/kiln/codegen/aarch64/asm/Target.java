package dev.kiln.codegen.aarch64.asm;

import dev.kiln.codegen.Label;
import java.util.Objects;

/** Where a PC-relative instruction points. */
public sealed interface Target extends Operand {
  /** A label of the code buffer, patched when the buffer is finished (veneers if out of reach). */
  record ToLabel(Label label) implements Target {
    public ToLabel {
      Objects.requireNonNull(label, "label");
    }
  }

  /** A fixed byte displacement from the instruction (tests, hand-placed code). */
  record PcOffset(int bytes) implements Target {
    public PcOffset {
      if ((bytes & 3) != 0) {
        throw new IllegalArgumentException("branch displacement must be a multiple of 4: " + bytes);
      }
    }
  }

  /** Another function, by raw FuncKey, reached through a relocation (BL only). */
  record Function(long funcKey) implements Target {}

  static Target label(Label label) {
    return new ToLabel(label);
  }

  static Target function(long funcKey) {
    return new Function(funcKey);
  }
}
