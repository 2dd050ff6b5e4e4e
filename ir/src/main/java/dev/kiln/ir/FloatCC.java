package dev.kiln.ir;

/**
 * Floating-point comparison condition codes of {@link Opcode#FCMP}. Wasm's {@code f32.eq}, {@code
 * lt}, {@code le}, {@code gt}, {@code ge} are ordered (false when either operand is NaN) and
 * {@code ne} is unordered-or-not-equal (true when either is NaN), WebAssembly spec 4.3.3
 * "feq"/"fne"; {@code ord} and {@code uno} exist so lowering and passes can name the NaN test.
 */
public enum FloatCC {
  EQ("eq"),
  NE("ne"),
  LT("lt"),
  LE("le"),
  GT("gt"),
  GE("ge"),
  ORD("ord"),
  UNO("uno");

  private static final FloatCC[] VALUES = values();
  private final String text;

  FloatCC(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** Evaluates the condition with IEEE 754 semantics (Java's double comparisons are ordered). */
  public boolean evaluate(double x, double y) {
    boolean unordered = Double.isNaN(x) || Double.isNaN(y);
    return switch (this) {
      case EQ -> x == y;
      case NE -> x != y;
      case LT -> x < y;
      case LE -> x <= y;
      case GT -> x > y;
      case GE -> x >= y;
      case ORD -> !unordered;
      case UNO -> unordered;
    };
  }

  public static FloatCC ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }

  public static FloatCC byText(String text) {
    for (FloatCC c : VALUES) {
      if (c.text.equals(text)) {
        return c;
      }
    }
    return null;
  }
}
