package dev.kiln.codegen.x64.asm;

import java.util.List;
import java.util.Objects;

/**
 * One x86-64 instruction: a form and its operands, in the form's (Intel) order. Immutable; checked on
 * construction, so the encoder and printer never see an operand that does not fit.
 *
 * @throws IllegalArgumentException from the constructor if the operand count or any operand does not
 *     match the form's kinds (wrong register class, immediate out of range, ...)
 */
public record X64Inst(Form form, List<Operand> operands) {
  public X64Inst {
    Objects.requireNonNull(form, "form");
    operands = List.copyOf(operands);
    List<OperandKind> kinds = form.spec().operands();
    if (operands.size() != kinds.size()) {
      throw new IllegalArgumentException(form.name() + " takes " + kinds.size() + " operands "
          + kinds + ", got " + operands.size() + " " + operands);
    }
    for (int i = 0; i < kinds.size(); i++) {
      String why = kinds.get(i).mismatch(operands.get(i));
      if (why != null) {
        throw new IllegalArgumentException(form.name() + " operand " + (i + 1) + " (" + kinds.get(i)
            + ") " + why + ": " + operands.get(i));
      }
    }
  }

  public static X64Inst of(Form form, Operand... operands) {
    // List.of copies the array once; the constructor's List.copyOf keeps an immutable list as it is.
    return new X64Inst(form, List.of(operands));
  }

  public Operand operand(int index) {
    return operands.get(index);
  }

  @Override
  public String toString() {
    return X64Printer.print(this);
  }
}
