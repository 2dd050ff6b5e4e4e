package dev.kiln.codegen.aarch64.asm;

import java.util.List;
import java.util.Objects;

/**
 * One machine instruction: a {@link Form} and its operands, checked against the form's shape and
 * register views when built, so that every {@code Inst} encodes.
 */
public record Inst(Form form, List<Operand> operands) {
  public Inst {
    Objects.requireNonNull(form, "form");
    operands = List.copyOf(operands);
    List<Shape.Kind> kinds = form.shape().operands();
    if (operands.size() != kinds.size()) {
      throw new IllegalArgumentException(form + " takes " + kinds + ", got " + operands);
    }
    int view = 0;
    for (int i = 0; i < kinds.size(); i++) {
      Operand o = operands.get(i);
      if (!kinds.get(i).accepts(o)) {
        throw new IllegalArgumentException(form + " operand " + i + " must be " + kinds.get(i)
            + ", got " + o);
      }
      if (kinds.get(i) == Shape.Kind.R) {
        checkView(form, form.views().charAt(view++), o);
      }
      if (o instanceof VArr arr && !form.arrangements().contains(arr)) {
        throw new IllegalArgumentException(form + " takes arrangements " + form.arrangements()
            + ", not " + arr);
      }
    }
  }

  /** The arrangement of a vector instruction, or null. */
  public VArr arrangement() {
    for (Operand o : operands) {
      if (o instanceof VArr a) {
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
    return new Inst(form, List.of(operands));
  }

  @Override
  public String toString() {
    return A64Printer.print(this, 0);
  }
}
