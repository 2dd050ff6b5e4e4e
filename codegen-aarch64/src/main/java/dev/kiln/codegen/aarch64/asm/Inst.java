package dev.kiln.codegen.aarch64.asm;

import dev.kiln.codegen.emit.EncodableInst;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One machine instruction: a {@link Form} and its operands, checked against the form's shape and
 * register views when built, so that every {@code Inst} encodes ({@link EncodableInst} holds them).
 */
public final class Inst extends EncodableInst<Form, Operand> {

  public Inst(Form form, List<Operand> operands) {
    this(form, operands.toArray(new Operand[0]));
  }

  /** Takes {@code operands} as it is: the caller hands over an array nothing else holds ({@link #of} copies). */
  Inst(Form form, Operand[] operands) {
    super(form, operands);
    check(form, operands);
  }

  /**
   * Checks {@code operands} against {@code form}'s shape, register views and arrangements: what every
   * instruction built or encoded meets ({@link A64Encoder#encode(Form, Operand[],
   * dev.kiln.codegen.CodeBuffer)} checks without building one).
   */
  static void check(Form form, Operand[] operands) {
    Objects.requireNonNull(form, "form");
    Shape shape = form.shape();
    if (operands.length != shape.operandCount()) {
      throw new IllegalArgumentException(form + " takes " + shape.operands() + ", got "
          + Arrays.toString(operands));
    }
    int view = 0;
    for (int i = 0; i < operands.length; i++) {
      Operand o = Objects.requireNonNull(operands[i], "operand");
      Shape.Kind kind = shape.kind(i);
      if (!kind.accepts(o)) {
        throw new IllegalArgumentException(form + " operand " + i + " must be " + kind
            + ", got " + o);
      }
      if (kind == Shape.Kind.R) {
        checkView(form, form.views().charAt(view++), o);
      }
      if (o instanceof VArr arr && !form.arrangements().contains(arr)) {
        throw new IllegalArgumentException(form + " takes arrangements " + form.arrangements()
            + ", not " + arr);
      }
    }
  }

  /** The operands where they are, for the encoder (which does not keep them). */
  Operand[] operandsInPlace() {
    return operandArray();
  }

  /** The arrangement of a vector instruction, or null. */
  public VArr arrangement() {
    for (int i = 0; i < operandCount(); i++) {
      if (operand(i) instanceof VArr a) {
        return a;
      }
    }
    return null;
  }

  private static void checkView(Form form, char view, Operand o) {
    boolean ok = switch (view) {
      case 'w', 'x' -> o instanceof Gpr g && g != Gpr.SP;
      case 'W', 'X' -> o instanceof Gpr g && g != Gpr.ZR;
      case 's', 'd', 'q', 'V', 'L', 'E' -> o instanceof FpReg;
      default -> throw new IllegalStateException("unknown view " + view);
    };
    if (!ok) {
      throw new IllegalArgumentException(form + ": " + o + " does not fit view '" + view + "'");
    }
  }

  public static Inst of(Form form, Operand... operands) {
    // Copied once: a caller may keep and reuse the array it passed.
    return new Inst(form, operands.clone());
  }

  @Override
  public String toString() {
    return A64Printer.print(this, 0);
  }
}
