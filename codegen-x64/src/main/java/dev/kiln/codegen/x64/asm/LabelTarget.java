package dev.kiln.codegen.x64.asm;

import dev.kiln.codegen.Label;
import java.util.Objects;

/** A branch target inside the same function, resolved by the code buffer. */
public record LabelTarget(Label label) implements Operand {
  public LabelTarget {
    Objects.requireNonNull(label, "label");
  }
}
