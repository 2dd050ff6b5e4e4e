package dev.kiln.codegen.emit;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What both ISAs' encodable instructions are: a form and its operands in the form's order, checked by
 * the ISA's constructor so that the encoder and printer never see an operand that does not fit.
 * Shared so that the two ISA folders keep only their checks and their printing. The operands are an
 * array of their own, not a list: the lowering makes one instruction per machine instruction and the
 * encoder reads every operand, and with the compiler's JVM running C1 code only each list read was an
 * interface call (about 4% of a large module's compile samples between building, checking and
 * encoding); the accessors are final so that C1 inlines them.
 *
 * @param <F> the ISA's form (opcode and encoding) type
 * @param <O> the ISA's operand type
 */
public abstract class EncodableInst<F, O> {
  private final F form;
  private final O[] operands;

  /** Takes {@code operands} as it is: the caller hands over an array nothing else holds. */
  protected EncodableInst(F form, O[] operands) {
    this.form = Objects.requireNonNull(form, "form");
    this.operands = operands;
  }

  public final F form() {
    return form;
  }

  /** The operands, in the form's order (a copy). */
  public final List<O> operands() {
    return List.of(operands);
  }

  /** The operands themselves, for the ISA's encoder: not to be changed. */
  protected final O[] operandArray() {
    return operands;
  }

  public final int operandCount() {
    return operands.length;
  }

  public final O operand(int index) {
    return operands[index];
  }

  /** Same ISA, same form, equal operands. */
  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && form.equals(((EncodableInst<?, ?>) o).form)
        && Arrays.equals(operands, ((EncodableInst<?, ?>) o).operands);
  }

  @Override
  public final int hashCode() {
    return 31 * form.hashCode() + Arrays.hashCode(operands);
  }
}
