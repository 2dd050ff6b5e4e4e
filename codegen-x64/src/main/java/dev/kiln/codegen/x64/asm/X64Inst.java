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

  /**
   * Takes {@code operands} as it is: the caller hands over an array nothing else holds, or one
   * nothing changes while the instruction is in use ({@link X64Encoder#encode(Form, Operand[],
   * dev.kiln.codegen.CodeBuffer)}).
   */
  X64Inst(Form form, Operand[] operands) {
    super(form, operands);
    FormSpec spec = form.spec();
    this.spec = spec;
    int count = spec.operandCount();
    if (operands.length != count) {
      throw new IllegalArgumentException(form.name() + " takes " + count + " operands "
          + spec.operands() + ", got " + operands.length + " " + Arrays.toString(operands));
    }
    for (int i = 0; i < count; i++) {
      OperandKind kind = spec.kind(i);
      String why = kind.mismatch(Objects.requireNonNull(operands[i], "operand"));
      if (why != null) {
        throw new IllegalArgumentException(form.name() + " operand " + (i + 1) + " (" + kind
            + ") " + why + ": " + operands[i]);
      }
    }
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
