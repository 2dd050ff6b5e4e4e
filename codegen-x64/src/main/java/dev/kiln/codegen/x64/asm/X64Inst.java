package dev.kiln.codegen.x64.asm;

import dev.kiln.codegen.emit.EncodableInst;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One x86-64 instruction: a form and its operands, in the form's (Intel) order. Immutable; checked on
 * construction, so the encoder and printer never see an operand that does not fit ({@link
 * EncodableInst} holds them).
 *
 * @throws IllegalArgumentException from the constructor if the operand count or any operand does not
 *     match the form's kinds (wrong register class, immediate out of range, ...)
 */
public final class X64Inst extends EncodableInst<Form, Operand> {
  /** The form's row, looked up once: the encoder reads it per instruction (an interface call on the form). */
  private final FormSpec spec;

  public X64Inst(Form form, List<Operand> operands) {
    this(form, operands.toArray(new Operand[0]));
  }

  /** Takes {@code operands} as it is: the caller hands over an array nothing else holds ({@link #of} copies). */
  X64Inst(Form form, Operand[] operands) {
    super(form, operands);
    FormSpec spec = form.spec();
    check(form, spec, operands);
    this.spec = spec;
  }

  /**
   * Throws if {@code operands} do not fit {@code form} (its row {@code spec}): the constructor's check,
   * which {@link X64Encoder#encode(Form, Operand[], dev.kiln.codegen.CodeBuffer)} makes without an
   * instruction.
   */
  static void check(Form form, FormSpec spec, Operand[] operands) {
    // Small enough for C2 to inline where it is called per instruction; the messages are made apart.
    OperandKind[] kinds = spec.kinds;
    if (operands.length != kinds.length) {
      throw wrongCount(form, spec, operands);
    }
    for (int i = 0; i < kinds.length; i++) {
      if (!kinds[i].accepts(Objects.requireNonNull(operands[i], "operand"))) {
        throw wrongOperand(form, spec, operands, i);
      }
    }
  }

  private static IllegalArgumentException wrongCount(Form form, FormSpec spec, Operand[] operands) {
    return new IllegalArgumentException(form.name() + " takes " + spec.operandCount() + " operands "
        + spec.operands() + ", got " + operands.length + " " + Arrays.toString(operands));
  }

  private static IllegalArgumentException wrongOperand(Form form, FormSpec spec, Operand[] operands, int i) {
    OperandKind kind = spec.kind(i);
    return new IllegalArgumentException(form.name() + " operand " + (i + 1) + " (" + kind + ") "
        + kind.mismatch(operands[i]) + ": " + operands[i]);
  }

  /** The operands where they are, for the encoder (which does not keep them). */
  Operand[] operandsInPlace() {
    return operandArray();
  }

  /** The form's row ({@code form().spec()}). */
  public FormSpec spec() {
    return spec;
  }

  public static X64Inst of(Form form, Operand... operands) {
    // Copied once: a caller may keep and reuse the array it passed.
    return new X64Inst(form, operands.clone());
  }

  @Override
  public String toString() {
    return X64Printer.print(this);
  }
}
