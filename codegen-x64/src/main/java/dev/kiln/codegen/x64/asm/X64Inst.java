package dev.kiln.codegen.x64.asm;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One x86-64 instruction: a form and its operands, in the form's (Intel) order. Immutable; checked on
 * construction, so the encoder and printer never see an operand that does not fit. The operands are
 * kept in an array of their own, not a list: the lowering makes one instruction per machine
 * instruction and the encoder reads every operand, and with the compiler's JVM running C1 code
 * only, each list read was an interface call (about 4% of a large module's compile samples
 * between building, checking and encoding).
 *
 * @throws IllegalArgumentException from the constructor if the operand count or any operand does not
 *     match the form's kinds (wrong register class, immediate out of range, ...)
 */
public final class X64Inst {
  private final Form form;
  private final Operand[] operands;

  public X64Inst(Form form, List<Operand> operands) {
    this(form, operands.toArray(new Operand[0]));
  }

  /** Takes {@code operands} as it is: the caller hands over an array nothing else holds. */
  private X64Inst(Form form, Operand[] operands) {
    this.form = Objects.requireNonNull(form, "form");
    this.operands = operands;
    List<OperandKind> kinds = form.spec().operands();
    int count = kinds.size();
    if (operands.length != count) {
      throw new IllegalArgumentException(form.name() + " takes " + count + " operands "
          + kinds + ", got " + operands.length + " " + Arrays.toString(operands));
    }
    for (int i = 0; i < count; i++) {
      OperandKind kind = kinds.get(i);
      String why = kind.mismatch(Objects.requireNonNull(operands[i], "operand"));
      if (why != null) {
        throw new IllegalArgumentException(form.name() + " operand " + (i + 1) + " (" + kind
            + ") " + why + ": " + operands[i]);
      }
    }
  }

  public static X64Inst of(Form form, Operand... operands) {
    // Copied once: a caller may keep and reuse the array it passed.
    return new X64Inst(form, operands.clone());
  }

  public Form form() {
    return form;
  }

  /** The operands, in the form's order (a copy). */
  public List<Operand> operands() {
    return List.of(operands);
  }

  public int operandCount() {
    return operands.length;
  }

  public Operand operand(int index) {
    return operands[index];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof X64Inst other && form.equals(other.form)
        && Arrays.equals(operands, other.operands);
  }

  @Override
  public int hashCode() {
    return 31 * form.hashCode() + Arrays.hashCode(operands);
  }

  @Override
  public String toString() {
    return X64Printer.print(this);
  }
}
